package dev.reflex.adapters.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.policy.ApprovalMode;
import dev.reflex.domain.policy.Policy;
import dev.reflex.domain.policy.PolicySet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePolicySourceTest {

  static final Path TEMPLATE = Path.of("../../playbook-repo-template");

  static PolicySet parse(String... nameThenText) {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < nameThenText.length; i += 2) {
      files.put(nameThenText[i], nameThenText[i + 1]);
    }
    return FilePolicySource.parse(files);
  }

  static void assertFails(String yaml, String message) {
    assertThatThrownBy(() -> parse("policies/default.yml", yaml)).isInstanceOf(CatalogException.class)
        .hasMessage(message);
  }

  @Test
  void template_defaultPolicy_loadsWithAutoRemediationOff() {
    Policy policy = new FilePolicySource(TEMPLATE).policies().resolve("high_latency", "payment-api");

    assertThat(policy.name()).isEqualTo("policies/default.yml");
    assertThat(policy.enabled()).isTrue();
    assertThat(policy.autoRemediation()).isFalse();
    assertThat(policy.minConfidence()).isEqualTo(0.9);
    assertThat(policy.approvalMode(RiskClass.CRITICAL_WRITE)).isEqualTo(ApprovalMode.ALWAYS);
    assertThat(policy.limits().perHourGlobal()).isEqualTo(6);
    assertThat(policy.limits().perDayPerSignature()).isEqualTo(3);
    assertThat(policy.allowedHours().days()).doesNotContain(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    assertThat(policy.forbiddenCommands()).isNotEmpty();
    assertThat(policy.approvers()).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void missingPoliciesFolder_isTheBuiltInDefault(@TempDir Path repo) {
    assertThat(new FilePolicySource(repo).policies().resolve("x", "y").autoRemediation()).isFalse();
  }

  @Test
  void scopedPolicy_inheritsTheDefaultsMissingKeysAndAddsForbiddenCommands(@TempDir Path repo) throws Exception {
    Files.createDirectories(repo.resolve("policies"));
    Files.writeString(repo.resolve("policies/default.yml"), """
        version: 1
        min_confidence: 0.8
        max_actions_per_hour: 6
        forbidden_commands:
          - {id: no-helm, pattern: '\\bhelm\\b', reason: "helm is managed by CD"}
        """);
    Files.writeString(repo.resolve("policies/payments.yml"), """
        version: 1
        applies_to:
          services: [payment-api]
        auto_remediation: true
        max_actions_per_hour: {per_service: 2, per_playbook: 1}
        cooldown_after_action: 15m
        max_targets: 3
        min_reliability: 50
        auto_approve_threshold: 85
        allowed_action_types: [read_only, safe_write]
        forbidden_commands:
          - {id: no-scale-zero, pattern: 'replicas=0', reason: "never scale payments to zero"}
        allowed_hours: {timezone: Europe/Paris, days: [mon, fri], from: "22:00", to: "06:00"}
        approvers:
          - {email: a@example.com}
          - {email: b@example.com, risk: [critical_write]}
        approvals_required: 2
        approval_timeout_seconds: 3600
        """);

    PolicySet set = new FilePolicySource(repo).policies();
    Policy payments = set.resolve("high_latency", "payment-api");

    assertThat(payments.name()).isEqualTo("policies/payments.yml");
    assertThat(payments.autoRemediation()).isTrue();
    assertThat(payments.minConfidence()).isEqualTo(0.8);
    assertThat(payments.limits().perHourGlobal()).isEqualTo(6);
    assertThat(payments.limits().perHourPerService()).isEqualTo(2);
    assertThat(payments.limits().perHourPerPlaybook()).isEqualTo(1);
    assertThat(payments.cooldownAfterAction()).isEqualTo(Duration.ofMinutes(15));
    assertThat(payments.maxTargets()).isEqualTo(3);
    assertThat(payments.minReliability()).isEqualTo(50);
    assertThat(payments.autoApproveThreshold()).isEqualTo(85);
    assertThat(payments.allowedActionTypes()).containsExactlyInAnyOrder(RiskClass.READ_ONLY, RiskClass.SAFE_WRITE);
    assertThat(payments.forbiddenCommands()).extracting(r -> r.name().split(":")[0])
        .containsExactly("no-helm", "no-scale-zero");
    assertThat(payments.allowedHours().contains(Instant.parse("2025-03-14T22:00:00Z"))).isTrue();
    assertThat(payments.approvalsRequired()).isEqualTo(2);
    assertThat(payments.approvalTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(set.resolve("high_latency", "search").name()).isEqualTo("policies/default.yml");
    assertThat(set.resolve("high_latency", "search").autoRemediation()).isFalse();
  }

  @Test
  void rateControl_isReadAsCountOrPercentage_andInheritedByScopedPolicies() {
    PolicySet set = parse("policies/default.yml", """
        version: 1
        max_concurrency: 10%
        max_errors: 0
        """, "policies/payments.yml", """
        version: 1
        applies_to: {services: [payment-api]}
        max_concurrency: 2
        """);

    assertThat(set.resolve("high_latency", "search").maxConcurrency()).isEqualTo("10%");
    assertThat(set.resolve("high_latency", "payment-api").maxConcurrency()).isEqualTo("2");
    assertThat(set.resolve("high_latency", "payment-api").maxErrors()).isEqualTo("0");
  }

  @Test
  void rateControl_whenUnset_leavesTheExecutorsValue() {
    Policy policy = parse("policies/default.yml", "version: 1\n").resolve("x", "y");

    assertThat(policy.maxConcurrency()).isNull();
    assertThat(policy.maxErrors()).isNull();
  }

  @Test
  void maxConcurrencyOfZero_failsWithFileAndLine() {
    assertFails("""
        version: 1
        max_concurrency: 0
        """, "policies/default.yml:2: max_concurrency must be a count of at least 1 or a percentage 1%..100%: 0");
  }

  @Test
  void maxErrorsAbove100Percent_failsWithFileAndLine() {
    assertFails("""
        version: 1
        max_errors: 150%
        """, "policies/default.yml:2: max_errors must be a count of 0 or more or a percentage 0%..100%: 150%");
  }

  @Test
  void criticalWriteRelaxed_failsWithFileAndLine() {
    assertFails("""
        version: 1
        requires_approval:
          safe_write: never
          critical_write: unless_auto
        """, "policies/default.yml:4: requires_approval.critical_write must be always: no policy can relax it");
  }

  @Test
  void unknownKey_failsWithFileAndLine() {
    assertFails("""
        version: 1
        auto_remediate: true
        """, "policies/default.yml:2: policy: unknown key 'auto_remediate' (expected one of [allowed_action_types, "
        + "allowed_hours, applies_to, approval_timeout_seconds, approvals_required, approvers, auto_approve_threshold, "
        + "auto_remediation, cooldown_after_action, enabled, forbidden_commands, max_actions_per_hour, "
        + "max_actions_per_signature_per_day, max_concurrency, max_errors, max_targets, min_confidence, "
        + "min_reliability, requires_approval, version])");
  }

  @Test
  void minConfidenceOutOfRange_failsWithFileAndLine() {
    assertFails("version: 1\nmin_confidence: 90\n", "policies/default.yml:2: min_confidence must be within [0, 1]: 90");
  }

  @Test
  void enabledNotABoolean_failsWithFileAndLine() {
    assertFails("version: 1\nenabled: yes please\n", "policies/default.yml:2: enabled must be true or false");
  }

  @Test
  void badTimeZone_failsWithFileAndLine() {
    assertFails("""
        version: 1
        allowed_hours:
          timezone: Mars/Olympus
          days: [mon]
          from: "08:00"
          to: "18:00"
        """, "policies/default.yml:3: allowed_hours.timezone is not a time zone: Mars/Olympus");
  }

  @Test
  void badDay_failsWithFileAndLine() {
    assertFails("""
        version: 1
        allowed_hours: {timezone: UTC, days: [mon, funday], from: "08:00", to: "18:00"}
        """, "policies/default.yml:2: allowed_hours.days: unknown day 'funday' (expected mon, tue, wed, thu, fri, sat, sun)");
  }

  @Test
  void badForbiddenPattern_failsWithFileAndLine() {
    assertFails("""
        version: 1
        forbidden_commands:
          - id: broken
            pattern: '(unclosed'
            reason: "oops"
        """, "policies/default.yml:4: forbidden command 'broken': invalid pattern: Unclosed group");
  }

  @Test
  void badActionType_failsWithFileAndLine() {
    assertFails("version: 1\nallowed_action_types: [read_only, yolo]\n",
        "policies/default.yml:2: allowed_action_types: risk class must be read_only, safe_write or critical_write: yolo");
  }

  @Test
  void badCooldown_failsWithFileAndLine() {
    assertFails("version: 1\ncooldown_after_action: soon\n",
        "policies/default.yml:2: cooldown_after_action must be seconds or like 30s, 15m, 2h, 1d: soon");
  }

  @Test
  void approvalsRequiredAboveApprovers_failsWithFileAndLine() {
    assertFails("""
        version: 1
        approvers:
          - email: a@example.com
        approvals_required: 2
        """, "policies/default.yml:4: approvals_required 2 exceeds the 1 approvers who may approve critical_write");
  }

  @Test
  void twoDefaultPolicies_fail() {
    assertThatThrownBy(() -> parse("policies/a.yml", "version: 1\n", "policies/b.yml", "version: 1\n"))
        .hasMessage("policies/b.yml:1: a second default policy (no applies_to); the first is policies/a.yml");
  }

  @Test
  void scopedPolicyWithEmptyScope_fails() {
    assertThatThrownBy(() -> parse("policies/x.yml", "version: 1\napplies_to: {categories: []}\n"))
        .hasMessage("policies/x.yml:2: applies_to needs categories or services");
  }
}
