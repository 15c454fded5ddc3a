package dev.reflex.domain.execution;

import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.port.ActionCounters;
import dev.reflex.domain.port.PolicySource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How many write steps may start per hour on one service, counted step by step as they start
 * (scope {@value #SCOPE}): the decision counts plans, this counts what they change, so that a plan
 * of many steps, or many plans at once, cannot restart a service more often than the limit. The
 * limit is the policy's {@code max_actions_per_hour.per_service}, else {@code defaultPerHour}.
 * Read-only steps are not counted. A pass of several write steps (a whole play) takes one slot per
 * write step in one reservation, all or none: a refused pass takes nothing. A slot is not given
 * back when a step later fails.
 */
public final class RateLimitPreCheck implements StepPreCheck {

  public static final String SCOPE = "write_steps_per_service";
  public static final Duration WINDOW = Duration.ofHours(1);

  private final PolicySource policies;
  private final ActionCounters counters;
  private final int defaultPerHour;

  public RateLimitPreCheck(PolicySource policies, ActionCounters counters, int defaultPerHour) {
    this.policies = Objects.requireNonNull(policies, "policies");
    this.counters = Objects.requireNonNull(counters, "counters");
    if (defaultPerHour < 0) {
      throw new IllegalArgumentException("defaultPerHour cannot be negative: " + defaultPerHour);
    }
    this.defaultPerHour = defaultPerHour;
  }

  @Override
  public String name() {
    return "rate_limit";
  }

  @Override
  public Optional<String> refuse(Incident incident, List<PlaybookStep> steps, ExecutionPass pass, Instant now) {
    String service = PolicyScope.service(incident);
    if (service == null || service.isBlank()) {
      service = "unknown";
    }
    Integer configured = PolicyScope.policy(policies, incident).limits().perHourPerService();
    int limit = configured != null ? configured : defaultPerHour;
    List<PlaybookStep> writes = steps.stream().filter(step -> step.declaredRisk() != RiskClass.READ_ONLY).toList();
    if (writes.isEmpty()) {
      return Optional.empty();
    }
    ActionCounters.Slots slots = new ActionCounters.Slots(
        List.of(new ActionCounters.Limit(SCOPE, service, limit, WINDOW)), null, writes.size());
    if (counters.reserve(slots) instanceof ActionCounters.LimitReached reached) {
      String what = writes.size() == 1 ? "write step \"" + writes.get(0).name() + "\""
          : writes.size() + " write steps from \"" + writes.get(0).name() + "\"";
      return Optional.of(what + " would exceed " + reached.limit().limit()
          + " write steps per hour on this service (until " + reached.resetsAt() + ")");
    }
    return Optional.empty();
  }
}
