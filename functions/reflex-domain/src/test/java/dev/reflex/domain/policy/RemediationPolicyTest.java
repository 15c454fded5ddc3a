package dev.reflex.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.TestData;
import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.risk.RiskClassifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RemediationPolicyTest {

  private final RemediationPolicy auto = new RemediationPolicy(true, 0.9);
  private final RiskClassifier classifier = new RiskClassifier();
  private final ForbiddenCommands forbidden = ForbiddenCommands.defaults();

  private static Playbook playbook(PlaybookSource source, PlaybookStatus status, PlaybookStep... steps) {
    return TestData.playbook("p-test", source, status, List.of("high_latency"), null, 0.95, "", steps);
  }

  private static PlaybookStep readOnly() {
    return TestData.inspect();
  }

  private Decision decide(Playbook playbook, double confidence) {
    return auto.evaluate(playbook, confidence, classifier, forbidden);
  }

  @Test
  void decide_readOnlyReviewedConfidentCatalog_runsWithoutApproval() {
    Decision decision = decide(playbook(PlaybookSource.CATALOG, PlaybookStatus.ACTIVE, readOnly()), 0.95);

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.requiresApproval()).isFalse();
    assertThat(decision.riskLevel()).isEqualTo(RiskClass.READ_ONLY);
    assertThat(decision.reasoning()).contains(
        "playbook p-test@1.0.0 is active: ok",
        "no forbidden commands: ok",
        "step \"Inspect pods\" is read_only (computed)",
        "auto-remediation is on",
        "confidence 0.95 >= 0.90: ok",
        "playbook is reviewed: ok",
        "playbook source is catalog: ok",
        "decision: allowed, runs without approval");
  }

  @Test
  void decide_whenAutoRemediationOff_requiresApproval() {
    Decision decision = new RemediationPolicy(false, 0.9)
        .evaluate(playbook(PlaybookSource.CATALOG, PlaybookStatus.ACTIVE, readOnly()), 0.95, classifier, forbidden);
    assertThat(decision.requiresApproval()).isTrue();
    assertThat(decision.reasoning()).contains("auto-remediation is off: approval required");
  }

  @Test
  void decide_whenAStepWrites_requiresApproval() {
    Decision decision = decide(playbook(PlaybookSource.CATALOG, PlaybookStatus.ACTIVE, readOnly(), TestData.restart()),
        0.95);
    assertThat(decision.requiresApproval()).isTrue();
    assertThat(decision.riskLevel()).isEqualTo(RiskClass.SAFE_WRITE);
    assertThat(decision.reasoning()).contains("step \"Rolling restart\" is safe_write (computed)",
        "highest risk is safe_write: approval required");
  }

  @Test
  void decide_whenCriticalStep_requiresApprovalWhateverTheConfidence() {
    PlaybookStep critical = new PlaybookStep(StepAction.of("Roll back", "command",
        Map.of("argv", List.of("kubectl", "rollout", "undo", "deployment/x"))), RiskClass.READ_ONLY, null);
    Decision decision = decide(playbook(PlaybookSource.CATALOG, PlaybookStatus.ACTIVE, critical), 1.0);
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.requiresApproval()).isTrue();
    assertThat(decision.riskLevel()).isEqualTo(RiskClass.CRITICAL_WRITE);
    assertThat(decision.reasoning()).contains("step \"Roll back\" is critical_write (computed, declared read_only)",
        "a critical_write step always requires approval, whatever the confidence");
  }

  @Test
  void decide_whenConfidenceBelowMinimum_requiresApproval() {
    Decision decision = decide(playbook(PlaybookSource.CATALOG, PlaybookStatus.ACTIVE, readOnly()), 0.75);
    assertThat(decision.requiresApproval()).isTrue();
    assertThat(decision.reasoning()).contains("confidence 0.75 < 0.90: approval required");
  }

  @Test
  void decide_whenPendingReview_requiresApproval() {
    Decision decision = decide(playbook(PlaybookSource.LEARNED, PlaybookStatus.PENDING_REVIEW, readOnly()), 0.95);
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.requiresApproval()).isTrue();
    assertThat(decision.reasoning()).contains("playbook is pending review: approval required");
  }

  @Test
  void decide_whenDraftedByLanguageModel_alwaysRequiresApproval() {
    Decision decision = decide(playbook(PlaybookSource.LLM, PlaybookStatus.ACTIVE, readOnly()), 0.99);
    assertThat(decision.requiresApproval()).isTrue();
    assertThat(decision.reasoning()).contains("playbook was drafted by a language model: approval always required");
  }

  @Test
  void decide_withoutPlaybook_refuses() {
    Decision decision = auto.evaluate(null, 0, classifier, forbidden);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reasoning()).containsExactly("no playbook for this incident: refused");
  }

  @ParameterizedTest
  @EnumSource(value = PlaybookStatus.class, names = {"REJECTED", "REJECTED_BY_GATE", "DISABLED"})
  void decide_whenPlaybookNotMatchable_refuses(PlaybookStatus status) {
    Decision decision = decide(playbook(PlaybookSource.CATALOG, status, readOnly()), 0.95);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reasoning()).contains("decision: refused");
  }

  @Test
  void decide_whenForbiddenCommand_refuses() {
    PlaybookStep wipe = new PlaybookStep(StepAction.of("Wipe", "shell", Map.of("cmd", "rm -rf /")),
        RiskClass.CRITICAL_WRITE, null);
    Decision decision = decide(playbook(PlaybookSource.CATALOG, PlaybookStatus.ACTIVE, wipe), 0.95);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reasoning())
        .contains("step \"Wipe\": forbidden command: rm -rf of the root directory: refused", "decision: refused");
  }
}
