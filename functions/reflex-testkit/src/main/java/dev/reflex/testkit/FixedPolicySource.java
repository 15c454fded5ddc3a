package dev.reflex.testkit;

import dev.reflex.domain.policy.Policy;
import dev.reflex.domain.policy.PolicySet;
import dev.reflex.domain.port.PolicySource;
import java.util.List;

/** A {@link PolicySource} with a set of policies a test can replace. */
public final class FixedPolicySource implements PolicySource {

  private volatile PolicySet policies;

  public FixedPolicySource(Policy... policies) {
    this.policies = new PolicySet(List.of(policies));
  }

  @Override
  public PolicySet policies() {
    return policies;
  }

  public FixedPolicySource set(Policy... newPolicies) {
    policies = new PolicySet(List.of(newPolicies));
    return this;
  }
}
