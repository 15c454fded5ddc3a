package dev.reflex.domain.model;

import java.util.List;
import java.util.Objects;

/**
 * The policy engine's verdict on a plan: whether it may run at all, whether a person must
 * approve it first, and every reason that led there.
 *
 * @param riskLevel the highest risk class among the plan's steps, as Reflex computed it
 */
public record Decision(boolean allowed, boolean requiresApproval, RiskClass riskLevel, List<String> reasoning) {

  public Decision {
    Objects.requireNonNull(riskLevel, "riskLevel");
    reasoning = List.copyOf(Objects.requireNonNullElse(reasoning, List.of()));
    if (!allowed && !requiresApproval) {
      // a refused plan never runs; requiresApproval is meaningless but kept true for safety
      requiresApproval = true;
    }
  }
}
