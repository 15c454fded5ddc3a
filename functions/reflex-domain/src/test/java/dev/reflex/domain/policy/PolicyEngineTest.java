package dev.reflex.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.TestData;
import dev.reflex.domain.model.DecisionCheck;
import dev.reflex.domain.model.DecisionCheck.Outcome;
import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.ReliabilityScore;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.model.StepAction;
import dev.reflex.domain.port.ActionCounters;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.risk.RiskClassifier;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Pass/fail pairs for every rule of the decision flow, one policy field at a time. */
class PolicyEngineTest {

  /** Friday 2025-03-14 09:26:53 UTC. */
  static final Instant NOW = Instant.parse("2025-03-14T09:26:53Z");
  static final Signature SIGNATURE = Signature.of("high_latency", "payment-api", "india");

  /**
   * Counts in memory, with fixed windows like the real adapters: a verdict's slots are taken after
   * it, as DecideRemediation reserves them.
   */
  static final class Counters {
    final Map<ActionCounters.Limit, Integer> counts = new HashMap<>();
    final Map<String, Instant> cooldowns = new HashMap<>();
    final List<ActionCounters.Slots> taken = new ArrayList<>();

    ActionCounters.Usage usage(ActionCounters.Slots slots) {
      Map<ActionCounters.Limit, Integer> used = new HashMap<>();
      slots.limits().forEach(limit -> used.put(limit, counts.getOrDefault(limit, 0)));
      return new ActionCounters.Usage(used, slots.cooldown() == null ? null : cooldowns.get(slots.cooldown().key()));
    }

    void take(ActionCounters.Slots slots) {
      taken.add(slots);
      slots.limits().forEach(limit -> counts.merge(limit, 1, Integer::sum));
      if (slots.cooldown() != null) {
        cooldowns.put(slots.cooldown().key(), NOW.plus(slots.cooldown().duration()));
      }
    }
  }

  final Counters counters = new Counters();
  final PolicyEngine engine = new PolicyEngine(new RiskClassifier(), ForbiddenCommands.defaults());

  /** A policy under which an eligible, reliable safe_write plan runs without approval. */
  static Policy auto() {
    return Policy.defaults().toBuilder().name("test").autoRemediation(true).build();
  }

  static Playbook playbook() {
    return TestData.playbook("db-pool", PlaybookSource.CATALOG, PlaybookStatus.ACTIVE, List.of("high_latency"), null,
        0.95, "");
  }

  static PatternEligibility eligible() {
    List<PatternOccurrence> occurrences = new ArrayList<>();
    List<Feedback> feedback = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      occurrences.add(new PatternOccurrence("inc-" + i, SIGNATURE, "db-pool", "high_latency", 95, false,
          NOW.minusSeconds(3600L * (i + 1)), true, NOW));
      feedback.add(Feedback.of("inc-" + i, Feedback.Type.REMEDIATION, 5, true, true, true, "", "", "", "sre"));
    }
    return PatternEligibility.of(occurrences, feedback);
  }

  static ReliabilityScore score(double total) {
    // confidence 25 + feedback 30 + history 25 + pattern scaled to reach the total
    double rest = total / 100;
    return ReliabilityScore.of(rest, rest, rest, rest);
  }

  PolicyVerdict judge(Policy policy, Playbook playbook) {
    return judge(policy, playbook, 0.95, score(95), eligible(), null, 1, NOW);
  }

  PolicyVerdict judge(Policy policy, Playbook playbook, double confidence, ReliabilityScore score,
      PatternEligibility eligibility, String label, int targets, Instant now) {
    MatchResult match = new MatchResult(true, playbook == null ? null : playbook.id(), "1.0.0", PlaybookSource.CATALOG,
        confidence, MatchResult.MatchedBy.ANOMALY_TYPE, 0.7, 1);
    ActionCounters.Slots slots = PolicyEngine.slots(policy, playbook == null ? "none" : playbook.id(), "payment-api",
        SIGNATURE);
    PolicyVerdict verdict = engine.evaluate(new PolicyEngine.Request(policy, playbook, match, confidence, SIGNATURE,
        "payment-api", label, targets, score, eligibility, now, true, counters.usage(slots)));
    if (verdict.slots() != null) {
      counters.take(verdict.slots());
    }
    return verdict;
  }

  static DecisionCheck check(PolicyVerdict verdict, String name) {
    return verdict.checks().stream().filter(c -> c.name().equals(name)).reduce((a, b) -> b.passed() ? a : b)
        .orElseThrow(() -> new AssertionError("no check " + name + " in " + verdict.checks()));
  }

  static void assertRunsUnapproved(PolicyVerdict verdict) {
    assertThat(verdict.failed()).as("failed checks").isEmpty();
    assertThat(verdict.decision().allowed()).isTrue();
    assertThat(verdict.decision().requiresApproval()).isFalse();
    assertThat(verdict.decision().reasoning()).last().isEqualTo("decision: allowed, runs without approval");
  }

  static void assertApproval(PolicyVerdict verdict, String checkName) {
    assertThat(verdict.decision().allowed()).isTrue();
    assertThat(verdict.decision().requiresApproval()).isTrue();
    assertThat(check(verdict, checkName).outcome()).isEqualTo(Outcome.APPROVAL_REQUIRED);
  }

  static void assertRefused(PolicyVerdict verdict, String checkName) {
    assertThat(verdict.decision().allowed()).isFalse();
    assertThat(check(verdict, checkName).outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(verdict.decision().reasoning()).last().asString().startsWith("decision: refused").contains(checkName);
  }

  // ------------------------------------------------------------------ the baseline

  @Test
  void evaluate_reliableEligibleSafeWriteUnderAutoPolicy_runsWithoutApprovalAndRecordsEveryCheck() {
    PolicyVerdict verdict = judge(auto(), playbook());

    assertRunsUnapproved(verdict);
    assertThat(verdict.checks()).extracting(DecisionCheck::name).containsSubsequence("enabled", "auto_remediation",
        "policy", "playbook_status", "risk_class", "allowed_action_types", "forbidden_commands", "reliability",
        "min_reliability", "min_confidence", "auto_approve_threshold", "max_targets", "allowed_hours",
        "rate_limit.global", "cooldown", "pattern_eligibility", "requires_approval", "review", "source");
    assertThat(verdict.decision().reasoning()).contains("step \"Rolling restart\" is safe_write (computed)",
        "confidence 0.95 >= 0.90: ok");
  }

  // ------------------------------------------------------------------ enabled

  @Test
  void evaluate_policyDisabled_refuses() {
    assertRefused(judge(auto().toBuilder().enabled(false).build(), playbook()), "enabled");
  }

  @Test
  void evaluate_autoRemediationOff_requiresApproval() {
    assertApproval(judge(auto().toBuilder().autoRemediation(false).build(), playbook()), "auto_remediation");
  }

  @Test
  void evaluate_autoRemediationOffButAlertOptsIn_runsWithoutApproval() {
    PolicyVerdict verdict = judge(auto().toBuilder().autoRemediation(false).build(), playbook(), 0.95, score(95),
        eligible(), "true", 1, NOW);
    assertRunsUnapproved(verdict);
    assertThat(check(verdict, "auto_remediation").detail()).contains("reflex_auto_remediate=true");
  }

  @Test
  void evaluate_autoPolicyButAlertOptsOut_requiresApproval() {
    assertApproval(judge(auto(), playbook(), 0.95, score(95), eligible(), "false", 1, NOW), "auto_remediation");
  }

  // ------------------------------------------------------------------ policy / playbook

  @Test
  void evaluate_withoutPlaybook_refuses() {
    assertRefused(judge(auto(), null), "playbook");
  }

  @Test
  void evaluate_disabledPlaybook_refusesSayingAPersonMustReenable() {
    Playbook disabled = playbook().withStatus(PlaybookStatus.DISABLED)
        .withStats(new PlaybookStats(0.5, 1, 3, 3, NOW));
    PolicyVerdict verdict = judge(auto(), disabled);
    assertRefused(verdict, "playbook_status");
    assertThat(check(verdict, "playbook_status").detail()).contains("after 3 consecutive failures", "re-enable");
  }

  // ------------------------------------------------------------------ pattern standing

  /** The eligible pattern with a run of failures, disabled at {@code disabledAt} ({@code null}: enabled). */
  static PatternEligibility standing(long failuresInARow, Instant disabledAt) {
    PatternEligibility e = eligible();
    return new PatternEligibility(e.occurrences(), e.positiveFeedback(), e.averageReliability(), e.successRate(),
        e.shortfalls(), failuresInARow, disabledAt);
  }

  @Test
  void evaluate_playbookDisabledForTheIncidentsSignature_refusesNamingSignatureRunSinceAndCommand() {
    Instant since = NOW.minusSeconds(600);
    PolicyVerdict verdict = judge(auto(), playbook(), 0.95, score(95), standing(3, since), null, 1, NOW);

    assertRefused(verdict, "pattern_status");
    assertThat(check(verdict, "pattern_status").detail()).contains("playbook db-pool for signature "
        + "high_latency|payment-api|india is disabled since " + since + " after 3 consecutive failures",
        "./reflex playbooks enable db-pool --signature 'high_latency|payment-api|india' --reason TEXT");
    assertThat(check(verdict, "playbook_status").passed()).isTrue();
  }

  @Test
  void evaluate_patternWithFailuresBelowTheLimit_passesAndSaysItsRun() {
    PolicyVerdict verdict = judge(auto(), playbook(), 0.95, score(95), standing(2, null), null, 1, NOW);

    assertThat(verdict.decision().allowed()).isTrue();
    assertThat(check(verdict, "pattern_status").passed()).isTrue();
    assertThat(check(verdict, "pattern_status").detail()).contains("is enabled: 2 consecutive failure(s), disabled at 3");
  }

  @Test
  void evaluate_withoutPatternHistory_hasNoPatternStatusCheck() {
    PolicyVerdict verdict = judge(auto(), playbook(), 0.95, score(95), null, null, 1, NOW);

    assertThat(verdict.checks()).extracting(DecisionCheck::name).doesNotContain("pattern_status");
  }

  // ------------------------------------------------------------------ risk class

  @Test
  void evaluate_stepClassNotInAllowedActionTypes_refuses() {
    Policy readOnly = auto().toBuilder().allowedActionTypes(Set.of(RiskClass.READ_ONLY)).build();
    assertRefused(judge(readOnly, playbook()), "allowed_action_types");
  }

  @Test
  void evaluate_stepClassInAllowedActionTypes_passes() {
    Policy writes = auto().toBuilder().allowedActionTypes(Set.of(RiskClass.READ_ONLY, RiskClass.SAFE_WRITE)).build();
    assertRunsUnapproved(judge(writes, playbook()));
  }

  @Test
  void evaluate_policyForbiddenCommandInPlaybook_refuses() {
    Policy noKubectlRestart = auto().toBuilder().forbiddenCommands(List.of(new ForbiddenCommands.Rule(
        "no-restart: restarts are banned here", Pattern.compile("rollout\\s+restart", Pattern.CASE_INSENSITIVE))))
        .build();
    PolicyVerdict verdict = judge(noKubectlRestart, playbook());
    assertRefused(verdict, "forbidden_commands");
    assertThat(check(verdict, "forbidden_commands").detail()).contains("no-restart");
  }

  @Test
  void evaluate_policyForbiddenCommandAbsent_passes() {
    Policy other = auto().toBuilder().forbiddenCommands(List.of(new ForbiddenCommands.Rule("no-helm",
        Pattern.compile("\\bhelm\\b", Pattern.CASE_INSENSITIVE)))).build();
    assertRunsUnapproved(judge(other, playbook()));
  }

  @Test
  void evaluate_builtInForbiddenCommand_refusesWhateverThePolicy() {
    Playbook wipe = TestData.playbook("wipe", PlaybookSource.CATALOG, PlaybookStatus.ACTIVE, List.of("high_latency"),
        null, 0.95, "", new PlaybookStep(StepAction.of("Wipe", "shell", Map.of("cmd", "rm -rf /")),
            RiskClass.SAFE_WRITE, null));
    assertRefused(judge(auto(), wipe), "forbidden_commands");
  }

  // ------------------------------------------------------------------ thresholds

  @Test
  void evaluate_reliabilityBelowMinReliability_refuses() {
    assertRefused(judge(auto().toBuilder().minReliability(96).build(), playbook()), "min_reliability");
  }

  @Test
  void evaluate_reliabilityAtMinReliability_passes() {
    assertRunsUnapproved(judge(auto().toBuilder().minReliability(95).build(), playbook()));
  }

  @Test
  void evaluate_confidenceBelowMinConfidence_requiresApproval() {
    PolicyVerdict verdict = judge(auto(), playbook(), 0.75, score(95), eligible(), null, 1, NOW);
    assertApproval(verdict, "min_confidence");
    assertThat(verdict.decision().reasoning()).contains("confidence 0.75 < 0.90: approval required");
  }

  @Test
  void evaluate_confidenceAtMinConfidence_passes() {
    assertRunsUnapproved(judge(auto(), playbook(), 0.90, score(95), eligible(), null, 1, NOW));
  }

  @Test
  void evaluate_reliabilityBelowAutoApproveThreshold_requiresApproval() {
    assertApproval(judge(auto(), playbook(), 0.95, score(89), eligible(), null, 1, NOW), "auto_approve_threshold");
  }

  @Test
  void evaluate_reliabilityAtAutoApproveThreshold_passes() {
    assertRunsUnapproved(judge(auto(), playbook(), 0.95, score(90), eligible(), null, 1, NOW));
  }

  // ------------------------------------------------------------------ safety checks

  @Test
  void evaluate_moreTargetsThanMaxTargets_refuses() {
    PolicyVerdict verdict = judge(auto().toBuilder().maxTargets(3).build(), playbook(), 0.95, score(95), eligible(),
        null, 4, NOW);
    assertRefused(verdict, "max_targets");
    assertThat(check(verdict, "max_targets").detail()).contains("4 target(s) > max_targets 3");
  }

  @Test
  void evaluate_targetsWithinMaxTargets_passes() {
    assertRunsUnapproved(judge(auto().toBuilder().maxTargets(3).build(), playbook(), 0.95, score(95), eligible(),
        null, 3, NOW));
  }

  static AllowedHours officeHours() {
    return new AllowedHours(ZoneId.of("Europe/Paris"), EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
        LocalTime.of(8, 0), LocalTime.of(18, 0));
  }

  @Test
  void evaluate_outsideAllowedHours_requiresApprovalAndSaysWhenTheWindowOpens() {
    Instant saturday = Instant.parse("2025-03-15T10:00:00Z");
    PolicyVerdict verdict = judge(auto().toBuilder().allowedHours(officeHours()).build(), playbook(), 0.95, score(95),
        eligible(), null, 1, saturday);
    assertApproval(verdict, "allowed_hours");
    assertThat(check(verdict, "allowed_hours").detail()).contains("2025-03-17T07:00:00Z");
  }

  @Test
  void evaluate_insideAllowedHours_passes() {
    assertRunsUnapproved(judge(auto().toBuilder().allowedHours(officeHours()).build(), playbook()));
  }

  @Test
  void evaluate_readOnlyPlanOutsideAllowedHours_passes() {
    Playbook inspect = TestData.playbook("inspect", PlaybookSource.CATALOG, PlaybookStatus.ACTIVE,
        List.of("high_latency"), null, 0.95, "", TestData.inspect());
    PolicyVerdict verdict = judge(auto().toBuilder().allowedHours(officeHours()).build(), inspect, 0.95, score(95),
        eligible(), null, 1, Instant.parse("2025-03-15T10:00:00Z"));
    assertRunsUnapproved(verdict);
  }

  @Test
  void evaluate_globalHourlyLimitReached_refusesNamingTheLimitAndItsReset() {
    Policy limited = auto().toBuilder().limits(new RateLimits(2, null, null, null)).build();
    assertRunsUnapproved(judge(limited, playbook()));
    assertRunsUnapproved(judge(limited, playbook()));

    PolicyVerdict third = judge(limited, playbook());

    assertRefused(third, "rate_limit.global");
    assertThat(check(third, "rate_limit.global").detail())
        .isEqualTo("max_actions_per_hour.global all: limit 2 per hour reached; resets at 2025-03-14T10:00:00Z");
  }

  @Test
  void evaluate_perServiceLimitReached_refuses() {
    Policy limited = auto().toBuilder().limits(new RateLimits(null, 1, null, null)).build();
    assertRunsUnapproved(judge(limited, playbook()));
    assertRefused(judge(limited, playbook()), "rate_limit.service");
  }

  @Test
  void evaluate_perPlaybookLimitReached_refuses() {
    Policy limited = auto().toBuilder().limits(new RateLimits(null, null, 1, null)).build();
    assertRunsUnapproved(judge(limited, playbook()));
    assertRefused(judge(limited, playbook()), "rate_limit.playbook");
  }

  @Test
  void evaluate_perSignatureDailyLimitReached_refusesUntilMidnightUtc() {
    Policy limited = auto().toBuilder().limits(new RateLimits(null, null, null, 1)).build();
    assertRunsUnapproved(judge(limited, playbook()));
    PolicyVerdict second = judge(limited, playbook());
    assertRefused(second, "rate_limit.signature");
    assertThat(check(second, "rate_limit.signature").detail()).contains("resets at 2025-03-15T00:00:00Z");
  }

  @Test
  void evaluate_cooldownRunning_refusesUntilItEnds() {
    Policy cooling = auto().toBuilder().cooldownAfterAction(Duration.ofMinutes(15)).build();
    assertRunsUnapproved(judge(cooling, playbook()));
    PolicyVerdict second = judge(cooling, playbook());
    assertRefused(second, "cooldown");
    assertThat(check(second, "cooldown").detail()).contains("payment-api|db-pool", "ends at 2025-03-14T09:41:53Z");
  }

  @Test
  void evaluate_refusedPlan_takesNoRateLimitSlot() {
    Policy limited = auto().toBuilder().enabled(false).limits(new RateLimits(1, 1, 1, 1))
        .cooldownAfterAction(Duration.ofMinutes(5)).build();
    PolicyVerdict verdict = judge(limited, playbook());
    assertThat(verdict.slots()).isNull();
    assertThat(counters.taken).isEmpty();
  }

  @Test
  void evaluate_readOnlyPlan_takesNoRateLimitSlot() {
    Playbook inspect = TestData.playbook("inspect", PlaybookSource.CATALOG, PlaybookStatus.ACTIVE,
        List.of("high_latency"), null, 0.95, "", TestData.inspect());
    PolicyVerdict verdict = judge(auto().toBuilder().limits(new RateLimits(0, 0, 0, 0)).build(), inspect);
    assertThat(verdict.slots()).isNull();
    assertThat(counters.taken).isEmpty();
  }

  @Test
  void evaluate_planWaitingForApproval_stillCountsAgainstLimits() {
    Policy limited = auto().toBuilder().autoRemediation(false).limits(new RateLimits(1, null, null, null)).build();
    assertApproval(judge(limited, playbook()), "auto_remediation");
    assertRefused(judge(limited, playbook()), "rate_limit.global");
  }

  @Test
  void evaluate_allowedWritingPlan_namesEveryLimitAndTheCooldownAsItsSlots() {
    Policy limited = auto().toBuilder().limits(new RateLimits(6, 3, 2, 1)).cooldownAfterAction(Duration.ofMinutes(5))
        .build();

    PolicyVerdict verdict = judge(limited, playbook());

    assertRunsUnapproved(verdict);
    assertThat(verdict.slots().limits()).extracting(ActionCounters.Limit::scope)
        .containsExactly("global", "per_service", "per_playbook", "per_signature");
    assertThat(verdict.slots().limits()).extracting(ActionCounters.Limit::key)
        .containsExactly("all", "payment-api", "db-pool", "high_latency|payment-api|india");
    assertThat(verdict.slots().cooldown()).isEqualTo(new ActionCounters.Cooldown("payment-api|db-pool",
        Duration.ofMinutes(5)));
    assertThat(check(verdict, "rate_limit.service").detail())
        .isEqualTo("max_actions_per_hour.per_service payment-api: action 1 of 3 this hour (resets at 2025-03-14T10:00:00Z)");
  }

  @Test
  void evaluate_laterLimitFull_refusesAndCountsNoEarlierLimit() {
    Policy limited = auto().toBuilder().limits(new RateLimits(5, null, 1, null)).build();
    assertRunsUnapproved(judge(limited, playbook()));

    PolicyVerdict second = judge(limited, playbook());

    assertRefused(second, "rate_limit.playbook");
    assertThat(second.slots()).isNull();
    assertThat(check(second, "rate_limit.global").detail())
        .isEqualTo("max_actions_per_hour.global 5 for all not counted: a later limit refused");
    assertThat(counters.taken).hasSize(1);
  }

  @Test
  void evaluate_preview_judgesWithoutNamingSlots() {
    PolicyVerdict verdict = engine.evaluate(new PolicyEngine.Request(auto().toBuilder()
        .limits(new RateLimits(1, null, null, null)).build(), playbook(), null, 0.95, SIGNATURE, "payment-api", null, 1,
        score(95), eligible(), NOW, false));

    assertThat(verdict.slots()).isNull();
    assertThat(check(verdict, "rate_limits").detail()).isEqualTo("not counted: preview");
  }

  // ------------------------------------------------------------------ pattern eligibility

  @Test
  void evaluate_patternNotEligible_requiresApprovalListingShortfalls() {
    PatternEligibility young = PatternEligibility.of(List.of(), List.of());
    PolicyVerdict verdict = judge(auto(), playbook(), 0.95, score(95), young, null, 1, NOW);
    assertApproval(verdict, "pattern_eligibility");
    assertThat(check(verdict, "pattern_eligibility").detail()).contains("0 occurrences < 5");
  }

  // ------------------------------------------------------------------ approval requirement

  @Test
  void evaluate_criticalWrite_alwaysRequiresApprovalWhateverTheScore() {
    Playbook rollback = TestData.playbook("rollback", PlaybookSource.CATALOG, PlaybookStatus.ACTIVE,
        List.of("high_latency"), null, 1.0, "", new PlaybookStep(StepAction.of("Undo deploy", "command",
            Map.of("argv", List.of("kubectl", "rollout", "undo", "deployment/api"))), RiskClass.CRITICAL_WRITE, null));
    PolicyVerdict verdict = judge(auto(), rollback, 1.0, ReliabilityScore.of(1, 1, 1, 1), eligible(), "true", 1, NOW);
    assertThat(verdict.decision().riskLevel()).isEqualTo(RiskClass.CRITICAL_WRITE);
    assertApproval(verdict, "requires_approval");
    assertThat(check(verdict, "requires_approval").detail()).contains("always requires approval, whatever the score");
  }

  @Test
  void policy_relaxingCriticalWriteApproval_isRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> auto().toBuilder()
            .requiresApproval(Map.of(RiskClass.CRITICAL_WRITE, ApprovalMode.UNLESS_AUTO)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("critical_write must be always");
  }

  @Test
  void evaluate_safeWriteModeAlways_requiresApproval() {
    Policy always = auto().toBuilder().requiresApproval(Map.of(RiskClass.SAFE_WRITE, ApprovalMode.ALWAYS)).build();
    assertApproval(judge(always, playbook()), "requires_approval");
  }

  @Test
  void evaluate_readOnlyModeNever_runsWithoutApprovalEvenWithAutoRemediationOff() {
    Playbook inspect = TestData.playbook("inspect", PlaybookSource.CATALOG, PlaybookStatus.ACTIVE,
        List.of("high_latency"), null, 0.5, "", TestData.inspect());
    PolicyVerdict verdict = judge(Policy.defaults(), inspect, 0.5, score(10), PatternEligibility.of(List.of(), List.of()),
        null, 1, NOW);
    assertRunsUnapproved(verdict);
  }

  @Test
  void evaluate_readOnlyModeAlways_requiresApproval() {
    Playbook inspect = TestData.playbook("inspect", PlaybookSource.CATALOG, PlaybookStatus.ACTIVE,
        List.of("high_latency"), null, 0.95, "", TestData.inspect());
    Policy always = auto().toBuilder().requiresApproval(Map.of(RiskClass.READ_ONLY, ApprovalMode.ALWAYS)).build();
    assertApproval(judge(always, inspect), "requires_approval");
  }

  @Test
  void evaluate_safeWriteModeNeverWithAutoRemediationOff_stillRequiresApproval() {
    Policy never = Policy.defaults().toBuilder().requiresApproval(Map.of(RiskClass.SAFE_WRITE, ApprovalMode.NEVER))
        .build();
    assertApproval(judge(never, playbook()), "auto_remediation");
  }

  @Test
  void evaluate_pendingReview_requiresApproval() {
    assertApproval(judge(auto(), playbook().withStatus(PlaybookStatus.PENDING_REVIEW)), "review");
  }

  @Test
  void evaluate_llmDraft_requiresApproval() {
    Playbook llm = TestData.playbook("llm-draft", PlaybookSource.LLM, PlaybookStatus.ACTIVE, List.of("high_latency"),
        null, 0.95, "");
    assertApproval(judge(auto(), llm), "source");
  }

  @Test
  void evaluate_criticalWriteWithMofN_notesHowManyApprovalsAreNeeded() {
    Policy mofn = auto().toBuilder().approvers(List.of(new Approver("a@example.com", "A", null),
        new Approver("b@example.com", "B", null), new Approver("c@example.com", "C", Set.of(RiskClass.SAFE_WRITE))))
        .approvalsRequired(2).build();
    Playbook rollback = TestData.playbook("rollback", PlaybookSource.CATALOG, PlaybookStatus.ACTIVE,
        List.of("high_latency"), null, 1.0, "", new PlaybookStep(StepAction.of("Undo deploy", "command",
            Map.of("argv", List.of("kubectl", "rollout", "undo", "deployment/api"))), RiskClass.CRITICAL_WRITE, null));
    assertThat(check(judge(mofn, rollback), "approvers").detail())
        .isEqualTo("2 of 2 approver(s) who may approve critical_write must approve");
  }

  @Test
  void policy_approvalsRequiredAboveCriticalApprovers_isRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> auto().toBuilder()
            .approvers(List.of(new Approver("a@example.com", "A", null))).approvalsRequired(2).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("approvals_required 2");
  }
}
