package dev.reflex.domain.policy;

import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.DecisionCheck;
import dev.reflex.domain.model.ReliabilityScore;
import dev.reflex.domain.port.ActionCounters;
import java.util.List;
import java.util.Objects;

/**
 * The policy engine's full answer: the {@link Decision} recorded on the incident, every check in
 * the order of the decision flow, the reliability score with its breakdown, the pattern's
 * eligibility, and the policy that applied (its approvers and {@code approvals_required} are who
 * must approve).
 *
 * @param score {@code null} when there was no playbook to score
 * @param eligibility {@code null} when there was no playbook or pattern to judge
 * @param slots what the allowed plan takes of the rate limits and cooldown, to be reserved before
 *     the decision is recorded ({@link ActionCounters#reserve}); {@code null} when it takes
 *     nothing (refused, read-only, a preview, or no limit applies)
 */
public record PolicyVerdict(Decision decision, List<DecisionCheck> checks, ReliabilityScore score,
    PatternEligibility eligibility, Policy policy, ActionCounters.Slots slots) {

  public PolicyVerdict {
    Objects.requireNonNull(decision, "decision");
    checks = List.copyOf(checks);
    Objects.requireNonNull(policy, "policy");
  }

  /** A verdict that takes no slots. */
  public PolicyVerdict(Decision decision, List<DecisionCheck> checks, ReliabilityScore score,
      PatternEligibility eligibility, Policy policy) {
    this(decision, checks, score, eligibility, policy, null);
  }

  public PolicyVerdict withSlots(ActionCounters.Slots newSlots) {
    return new PolicyVerdict(decision, checks, score, eligibility, policy, newSlots);
  }

  /** The checks that did not pass (refusals and approval requirements). */
  public List<DecisionCheck> failed() {
    return checks.stream().filter(check -> !check.passed()).toList();
  }

  public boolean runsWithoutApproval() {
    return decision.allowed() && !decision.requiresApproval();
  }
}
