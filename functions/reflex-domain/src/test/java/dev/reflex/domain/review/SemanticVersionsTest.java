package dev.reflex.domain.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.TestData;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import dev.reflex.domain.review.SemanticVersions.Change;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SemanticVersionsTest {

  static Playbook with(PlaybookStep... steps) {
    return TestData.playbook("pb-1", PlaybookSource.LEARNED, PlaybookStatus.PENDING_REVIEW, List.of("high_latency"),
        null, 0.75, "", steps);
  }

  static Playbook titled(Playbook p, String title) {
    return new Playbook(p.id(), p.version(), title, p.source(), p.status(), p.anomalyTypes(), p.signaturePatterns(),
        p.signature(), p.description(), p.guidance(), p.parameters(), p.steps(), p.verification(), p.stats(),
        p.supportingIncidents(), p.evidenceText(), p.branch(), p.commitSha(), p.revision());
  }

  @Test
  void change_whenAStepIsAdded_isMajor() {
    assertThat(SemanticVersions.change(with(TestData.inspect()), with(TestData.inspect(), TestData.restart())))
        .isEqualTo(Change.MAJOR);
  }

  @Test
  void change_whenAStepIsRemoved_isMajor() {
    assertThat(SemanticVersions.change(with(TestData.inspect(), TestData.restart()), with(TestData.restart())))
        .isEqualTo(Change.MAJOR);
  }

  @Test
  void change_whenAStepsRiskIsRaised_isMajor() {
    PlaybookStep raised = new PlaybookStep(TestData.restart().action(), RiskClass.CRITICAL_WRITE, null);
    assertThat(SemanticVersions.change(with(TestData.restart()), with(raised))).isEqualTo(Change.MAJOR);
  }

  @Test
  void change_whenAStepsArgumentsChange_isMinor() {
    PlaybookStep changed = new PlaybookStep(StepAction.of("Rolling restart", "command",
        Map.of("argv", List.of("kubectl", "rollout", "restart", "statefulset/{{ service }}"))), RiskClass.SAFE_WRITE, null);
    assertThat(SemanticVersions.change(with(TestData.restart()), with(changed))).isEqualTo(Change.MINOR);
  }

  @Test
  void change_whenARiskIsLowered_isMinor() {
    PlaybookStep critical = new PlaybookStep(TestData.restart().action(), RiskClass.CRITICAL_WRITE, null);
    assertThat(SemanticVersions.change(with(critical), with(TestData.restart()))).isEqualTo(Change.MINOR);
  }

  @Test
  void change_whenOnlyMetadataChanges_isPatch() {
    Playbook before = with(TestData.restart());
    assertThat(SemanticVersions.change(before, titled(before, "Restart the payment API"))).isEqualTo(Change.PATCH);
  }

  @Test
  void change_whenNothingChanges_isNone() {
    assertThat(SemanticVersions.change(with(TestData.restart()), with(TestData.restart()))).isEqualTo(Change.NONE);
  }

  @Test
  void bump_followsSemanticVersioning() {
    assertThat(SemanticVersions.bump("1.4.2", Change.MAJOR)).isEqualTo("2.0.0");
    assertThat(SemanticVersions.bump("1.4.2", Change.MINOR)).isEqualTo("1.5.0");
    assertThat(SemanticVersions.bump("1.4.2", Change.PATCH)).isEqualTo("1.4.3");
    assertThat(SemanticVersions.bump("1.4.2", Change.NONE)).isEqualTo("1.4.2");
  }

  @Test
  void compare_ordersNumericallyNotAsText() {
    assertThat(SemanticVersions.compare("1.10.0", "1.9.0")).isPositive();
    assertThat(SemanticVersions.compare("1.0.0", "1.0.0")).isZero();
    assertThat(SemanticVersions.compare("0.9.9", "1.0.0")).isNegative();
  }

  @Test
  void bump_whenTheVersionIsNotSemantic_refusesIt() {
    assertThatThrownBy(() -> SemanticVersions.bump("v1", Change.PATCH)).isInstanceOf(IllegalArgumentException.class);
  }
}
