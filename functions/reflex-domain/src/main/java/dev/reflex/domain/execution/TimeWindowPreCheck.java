package dev.reflex.domain.execution;

import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.policy.AllowedHours;
import dev.reflex.domain.port.PolicySource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The policy's {@code allowed_hours}, checked again before each write step of an unapproved plan:
 * the decision was made inside the window, but a long remediation may run past its end. A plan a
 * person approved may run at any time (the policy says so), and read-only steps always may.
 */
public final class TimeWindowPreCheck implements StepPreCheck {

  private final PolicySource policies;

  public TimeWindowPreCheck(PolicySource policies) {
    this.policies = Objects.requireNonNull(policies, "policies");
  }

  @Override
  public String name() {
    return "time_window";
  }

  @Override
  public Optional<String> refuse(Incident incident, List<PlaybookStep> steps, ExecutionPass pass, Instant now) {
    boolean approved = incident.decision() != null && incident.decision().requiresApproval();
    boolean writes = steps.stream().anyMatch(step -> step.declaredRisk() != RiskClass.READ_ONLY);
    if (approved || !writes) {
      return Optional.empty();
    }
    AllowedHours hours = PolicyScope.policy(policies, incident).allowedHours();
    if (hours == null || hours.contains(now)) {
      return Optional.empty();
    }
    return Optional.of(now + " is outside allowed_hours " + hours + ": unapproved writes may not start now");
  }
}
