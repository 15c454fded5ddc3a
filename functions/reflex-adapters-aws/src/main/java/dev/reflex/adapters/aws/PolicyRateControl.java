package dev.reflex.adapters.aws;

import dev.reflex.domain.execution.PolicyScope;
import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.policy.Policy;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.PolicySource;
import java.util.Objects;
import java.util.Optional;

/**
 * A pass's rate control from the reviewed policy in force for its incident (by anomaly type and
 * service, as decide resolves it): its {@code max_concurrency} and {@code max_errors}, each
 * falling back to the executor's configured value when the policy leaves it unset.
 */
public record PolicyRateControl(PolicySource policies, IncidentStore incidents)
    implements SsmExecutor.RateControlSource {

  public PolicyRateControl {
    Objects.requireNonNull(policies, "policies");
    Objects.requireNonNull(incidents, "incidents");
  }

  @Override
  public Optional<SsmExecutor.RateControl> forPass(ExecutionPass pass) {
    return incidents.find(pass.incidentId())
        .map(incident -> PolicyScope.policy(policies, incident))
        .filter(policy -> policy.maxConcurrency() != null || policy.maxErrors() != null)
        .map(PolicyRateControl::rateControl);
  }

  private static SsmExecutor.RateControl rateControl(Policy policy) {
    return new SsmExecutor.RateControl(policy.maxConcurrency(), policy.maxErrors());
  }
}
