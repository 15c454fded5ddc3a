package dev.reflex.domain.execution;

import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.Policy;
import dev.reflex.domain.port.PolicySource;

/** The policy in force for an incident: by its anomaly type (category) and service, as decide resolves it. */
public final class PolicyScope {

  private PolicyScope() {}

  public static Policy policy(PolicySource policies, Incident incident) {
    return policies.policies().resolve(category(incident), service(incident));
  }

  static String service(Incident incident) {
    return incident.anomaly() != null ? incident.anomaly().service() : incident.alert().label("service");
  }

  private static String category(Incident incident) {
    if (incident.anomaly() != null) {
      return incident.anomaly().anomalyType();
    }
    return incident.signature() == null ? Signature.UNKNOWN : incident.signature().anomalyType();
  }
}
