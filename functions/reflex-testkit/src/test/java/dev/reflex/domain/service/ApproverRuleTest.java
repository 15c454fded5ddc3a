package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.approval.ApprovalRequirement;
import dev.reflex.domain.approval.ApproverRule;
import dev.reflex.domain.error.NoApproverException;
import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.policy.Approver;
import dev.reflex.domain.policy.Policy;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.FixedPolicySource;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApproverRuleTest {

  private final World world = new World();
  private final Policy withApprovers = Policy.defaults().toBuilder().approvers(List.of(
          new Approver("alice@example.com", "Alice", null),
          new Approver("bob@example.com", "Bob", null),
          new Approver("carol@example.com", "Carol", Set.of(RiskClass.SAFE_WRITE))))
      .approvalsRequired(2).build();

  private Incident decided(RiskClass risk) {
    Incident incident = world.detected(Alerts.highLatency());
    return incident.toBuilder().decision(new Decision(true, true, risk, List.of("decision: allowed"))).build();
  }

  @Test
  void fromPolicies_criticalWrite_asksApprovalsRequiredOfThoseWhoMayApproveIt() {
    ApprovalRequirement requirement = ApproverRule.fromPolicies(new FixedPolicySource(withApprovers), List.of())
        .requirementFor(decided(RiskClass.CRITICAL_WRITE));

    assertThat(requirement.approvers()).containsExactly("alice@example.com", "bob@example.com");
    assertThat(requirement.required()).isEqualTo(2);
  }

  @Test
  void fromPolicies_safeWrite_asksOneOfEveryApprover() {
    ApprovalRequirement requirement = ApproverRule.fromPolicies(new FixedPolicySource(withApprovers), List.of())
        .requirementFor(decided(RiskClass.SAFE_WRITE));

    assertThat(requirement.approvers()).containsExactly("alice@example.com", "bob@example.com", "carol@example.com");
    assertThat(requirement.required()).isEqualTo(1);
  }

  @Test
  void fromPolicies_policyWithoutApprovers_usesConfiguredFallback() {
    ApprovalRequirement requirement = ApproverRule.fromPolicies(new FixedPolicySource(Policy.defaults()),
        List.of("ops@example.com")).requirementFor(decided(RiskClass.SAFE_WRITE));

    assertThat(requirement.approvers()).containsExactly("ops@example.com");
    assertThat(requirement.policy()).isEqualTo("configured approvers");
  }

  @Test
  void fixed_withoutAnyApprover_refusesNamingTheSetting() {
    assertThatThrownBy(() -> ApproverRule.fixed(List.of()).requirementFor(decided(RiskClass.SAFE_WRITE)))
        .isInstanceOf(NoApproverException.class).hasMessageContaining("reflex.approval.approvers");
  }
}
