package dev.reflex.domain.matching;

import static dev.reflex.domain.model.PlaybookSource.CATALOG;
import static dev.reflex.domain.model.PlaybookSource.LEARNED;
import static dev.reflex.domain.model.PlaybookStatus.ACTIVE;
import static dev.reflex.domain.model.PlaybookStatus.DISABLED;
import static dev.reflex.domain.model.PlaybookStatus.PENDING_REVIEW;
import static dev.reflex.domain.model.PlaybookStatus.REJECTED;
import static dev.reflex.domain.model.PlaybookStatus.REJECTED_BY_GATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.TestData;
import dev.reflex.domain.detection.AnomalyDetector;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.MatchResult.MatchedBy;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.Signature;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PlaybookMatcherTest {

  private static final Signature SIGNATURE = new Signature("high_latency", "payment-api", "india");
  private final PlaybookMatcher matcher = new PlaybookMatcher(0.7);
  private final Alert alert = TestData.highLatency();
  private final AnomalyReport anomaly = new AnomalyDetector(TestData.rules()).detect(alert);

  private static Playbook learned(String id, Signature signature, PlaybookStatus status, double confidence, String evidence) {
    return TestData.playbook(id, LEARNED, status, List.of(signature.anomalyType()), signature, confidence, evidence);
  }

  private static Playbook catalog(String id, PlaybookStatus status, double confidence, String... patterns) {
    Playbook base = TestData.playbook(id, CATALOG, status, List.of("high_latency"), null, confidence, "");
    return new Playbook(base.id(), base.version(), base.title(), CATALOG, status, base.anomalyTypes(),
        List.of(patterns), null, "", "", base.parameters(), base.steps(), null, base.stats(), List.of(), "", null,
        null, 0);
  }

  @Test
  void match_whenSignatureRecurs_picksLearnedPlaybook() {
    Playbook learned = learned("learned-x", SIGNATURE, PENDING_REVIEW, 0.8, "");
    Playbook catalog = catalog("db-pool", ACTIVE, 0.75);

    MatchResult result = matcher.match(alert, anomaly, List.of(learned), List.of(catalog, learned), List.of(learned));

    assertThat(result.matched()).isTrue();
    assertThat(result.playbookId()).isEqualTo("learned-x");
    assertThat(result.matchedBy()).isEqualTo(MatchedBy.SIGNATURE);
    assertThat(result.confidence()).isEqualTo(0.8);
    assertThat(result.source()).isEqualTo(LEARNED);
    assertThat(result.candidatesConsidered()).isEqualTo(2);
  }

  @Test
  void match_whenCatalogIsMoreConfident_catalogWins() {
    Playbook learned = learned("learned-x", SIGNATURE, PENDING_REVIEW, 0.75, "");
    Playbook catalog = catalog("db-pool", ACTIVE, 0.85, "high_latency|*|*");

    MatchResult result = matcher.match(alert, anomaly, List.of(learned), List.of(catalog), List.of());

    assertThat(result.playbookId()).isEqualTo("db-pool");
    assertThat(result.matchedBy()).isEqualTo(MatchedBy.ANOMALY_TYPE);
    assertThat(result.confidence()).isEqualTo(0.85);
  }

  @Test
  void match_catalogWithNonMatchingSignaturePattern_isNotACandidate() {
    Playbook other = catalog("other-region", ACTIVE, 0.9, "high_latency|*|europe");
    Playbook any = catalog("any", ACTIVE, 0.8);

    MatchResult result = matcher.match(alert, anomaly, List.of(), List.of(other, any), List.of());

    assertThat(result.playbookId()).isEqualTo("any");
    assertThat(result.candidatesConsidered()).isEqualTo(1);
  }

  @Test
  void match_belowThreshold_reportsBestButNotMatched() {
    Playbook catalog = catalog("weak", ACTIVE, 0.6);

    MatchResult result = matcher.match(alert, anomaly, List.of(), List.of(catalog), List.of());

    assertThat(result.matched()).isFalse();
    assertThat(result.playbookId()).isEqualTo("weak");
    assertThat(result.threshold()).isEqualTo(0.7);
  }

  @Test
  void match_atThreshold_matches() {
    assertThat(matcher.match(alert, anomaly, List.of(), List.of(catalog("exact", ACTIVE, 0.7)), List.of()).matched())
        .isTrue();
  }

  @Test
  void match_noCandidates_returnsNone() {
    MatchResult result = matcher.match(alert, anomaly, List.of(), List.of(), List.of());
    assertThat(result.matched()).isFalse();
    assertThat(result.matchedBy()).isEqualTo(MatchedBy.NONE);
    assertThat(result.playbookId()).isNull();
  }

  @ParameterizedTest
  @EnumSource(value = PlaybookStatus.class, names = {"REJECTED", "REJECTED_BY_GATE", "DISABLED"})
  void match_unmatchableStatus_isNeverReturned_notEvenAsBest(PlaybookStatus status) {
    Playbook learned = learned("learned-x", SIGNATURE, status, 0.95, alert.describe());
    Playbook catalog = catalog("cat", status, 0.95);

    MatchResult result = matcher.match(alert, anomaly, List.of(learned), List.of(catalog, learned), List.of(learned));

    assertThat(result.playbookId()).isNull();
    assertThat(result.candidatesConsidered()).isZero();
  }

  @Test
  void match_similarEvidence_findsLearnedPlaybookOfAnotherService() {
    Signature other = new Signature("high_latency", "payment-gateway", "india");
    Playbook similar = learned("learned-gw", other, ACTIVE, 0.9,
        "HighLatency alertname=HighLatency region=india service=payment-gateway severity=critical 1850ms 500ms");
    Playbook unrelated = learned("learned-disk", other, ACTIVE, 0.9, "disk full on ledger volume");

    MatchResult result = matcher.match(alert, anomaly, List.of(), List.of(), List.of(similar, unrelated));

    assertThat(result.playbookId()).isEqualTo("learned-gw");
    assertThat(result.matchedBy()).isEqualTo(MatchedBy.SIMILARITY);
    assertThat(result.confidence()).isGreaterThan(0).isLessThan(0.9);
  }

  @Test
  void match_similarityScore_isCosineTimesConfidence() {
    Signature other = new Signature("high_latency", "x", "y");
    Playbook same = learned("learned-same", other, ACTIVE, 0.8, alert.describe() + " high_latency");

    MatchResult result = matcher.match(alert, anomaly, List.of(), List.of(), List.of(same));

    assertThat(result.confidence()).isEqualTo(0.8 * new TfIdfIndex(java.util.Map.of("learned-same",
        same.evidenceText() + " " + same.title() + " " + same.description()))
        .similarity(alert.describe() + " high_latency", "learned-same"), org.assertj.core.api.Assertions.within(1e-4));
  }

  @Test
  void match_tie_isBrokenBySourceThenId() {
    Playbook b = catalog("b-playbook", ACTIVE, 0.8);
    Playbook a = catalog("a-playbook", ACTIVE, 0.8);
    Playbook learned = learned("learned-a", SIGNATURE, ACTIVE, 0.8, "");

    assertThat(matcher.match(alert, anomaly, List.of(), List.of(b, a), List.of()).playbookId()).isEqualTo("a-playbook");
    assertThat(matcher.match(alert, anomaly, List.of(learned), List.of(b, a), List.of()).playbookId())
        .isEqualTo("learned-a");
  }

  @Test
  void match_learnedPlaybookOfAnotherSignature_isNotASignatureMatch() {
    Playbook other = learned("learned-eu", new Signature("high_latency", "payment-api", "europe"), ACTIVE, 0.9, "");
    MatchResult result = matcher.match(alert, anomaly, List.of(other), List.of(), List.of());
    assertThat(result.playbookId()).isNull();
  }

  @Test
  void unused_statusesAreCovered() {
    assertThat(List.of(REJECTED, REJECTED_BY_GATE, DISABLED)).noneMatch(PlaybookStatus::matchable);
  }
}
