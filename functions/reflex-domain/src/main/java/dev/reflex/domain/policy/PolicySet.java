package dev.reflex.domain.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every policy of the playbook repository. The policy for an incident is the most specific one
 * that applies: category and service, then service, then category, then the default; two equally
 * specific policies are resolved by name, so the choice is stable.
 */
public record PolicySet(List<Policy> policies) {

  public PolicySet {
    policies = List.copyOf(policies);
    if (policies.stream().noneMatch(Policy::isDefault)) {
      List<Policy> withDefault = new ArrayList<>(policies);
      withDefault.add(Policy.defaults());
      policies = List.copyOf(withDefault);
    }
  }

  /** Just the built-in default: enabled, auto-remediation off. */
  public static PolicySet defaults() {
    return new PolicySet(List.of(Policy.defaults()));
  }

  public static PolicySet of(Policy... policies) {
    return new PolicySet(List.of(policies));
  }

  /** The policy that governs an incident of this category (anomaly type) on this service. */
  public Policy resolve(String category, String service) {
    return policies.stream()
        .filter(policy -> policy.specificity(category, service) >= 0)
        .max(Comparator.<Policy>comparingInt(policy -> policy.specificity(category, service))
            .thenComparing(Policy::name, Comparator.reverseOrder()))
        .orElseThrow();
  }

  public Optional<Policy> named(String name) {
    return policies.stream().filter(policy -> policy.name().equals(name)).findFirst();
  }
}
