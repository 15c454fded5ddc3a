package dev.reflex.domain.approval;

import dev.reflex.domain.error.NoApproverException;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.Approver;
import dev.reflex.domain.policy.Policy;
import dev.reflex.domain.port.PolicySource;
import java.util.List;
import java.util.Objects;

/**
 * Who approves an incident's plan. With policies: the approvers of the policy that governs the
 * incident (its category and service) who may approve the plan's highest risk class, and
 * {@code approvals_required} of them for {@code critical_write} (one otherwise). Without policies,
 * or when the policy names none: the configured fallback addresses, one of whom must approve.
 */
@FunctionalInterface
public interface ApproverRule {

  /** @throws NoApproverException when nobody may approve this plan */
  ApprovalRequirement requirementFor(Incident incident);

  /** Always these addresses, one approval needed. */
  static ApproverRule fixed(List<String> addresses) {
    List<String> fallback = List.copyOf(addresses);
    return incident -> {
      if (fallback.isEmpty()) {
        throw new NoApproverException("no approver is configured for incident " + incident.id()
            + " (set reflex.approval.approvers or name approvers in the policy)");
      }
      return new ApprovalRequirement(fallback, 1, "configured approvers");
    };
  }

  /** The governing policy's approvers, else {@code fallback}. */
  static ApproverRule fromPolicies(PolicySource policies, List<String> fallback) {
    Objects.requireNonNull(policies, "policies");
    ApproverRule configured = fixed(fallback);
    return incident -> {
      Policy policy = policies.policies().resolve(category(incident), service(incident));
      RiskClass risk = incident.decision() == null ? RiskClass.CRITICAL_WRITE : incident.decision().riskLevel();
      List<String> able = policy.approvers().stream().filter(a -> a.mayApprove(risk)).map(Approver::email).toList();
      int required = risk == RiskClass.CRITICAL_WRITE ? policy.approvalsRequired() : 1;
      if (able.isEmpty()) {
        if (!policy.approvers().isEmpty()) {
          throw new NoApproverException("policy " + policy.name() + " names no approver who may approve "
              + risk.wireName() + " (incident " + incident.id() + ")");
        }
        ApprovalRequirement fallbackRequirement = configured.requirementFor(incident);
        if (required > fallbackRequirement.approvers().size()) {
          throw new NoApproverException("policy " + policy.name() + " asks " + required + " approvals for "
              + risk.wireName() + " but only " + fallbackRequirement.approvers().size() + " approvers are configured");
        }
        return new ApprovalRequirement(fallbackRequirement.approvers(), required, "configured approvers");
      }
      if (required > able.size()) {
        throw new NoApproverException("policy " + policy.name() + " asks " + required + " approvals for "
            + risk.wireName() + " but names " + able.size() + " approver(s) who may give them");
      }
      return new ApprovalRequirement(able, required, policy.name());
    };
  }

  private static String category(Incident incident) {
    if (incident.anomaly() != null) {
      return incident.anomaly().anomalyType();
    }
    return incident.signature() == null ? Signature.UNKNOWN : incident.signature().anomalyType();
  }

  private static String service(Incident incident) {
    return incident.anomaly() != null ? incident.anomaly().service() : incident.alert().label("service");
  }
}
