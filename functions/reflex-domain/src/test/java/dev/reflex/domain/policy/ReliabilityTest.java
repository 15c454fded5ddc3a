package dev.reflex.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.reflex.domain.TestData;
import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.ReliabilityScore;
import dev.reflex.domain.model.ReliabilityScore.Level;
import dev.reflex.domain.model.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReliabilityTest {

  static final Instant NOW = Instant.parse("2025-03-14T09:00:00Z");
  static final Signature SIGNATURE = Signature.of("high_latency", "payment-api", "india");

  @Test
  void score_weighsConfidence25Feedback30History25Pattern20() {
    ReliabilityScore score = ReliabilityScore.of(0.8, 0.5, 0.6, 1.0);
    assertThat(score.confidencePart()).isEqualTo(20.0);
    assertThat(score.feedbackPart()).isEqualTo(15.0);
    assertThat(score.historyPart()).isEqualTo(15.0);
    assertThat(score.patternPart()).isEqualTo(20.0);
    assertThat(score.total()).isEqualTo(70.0);
    assertThat(score.level()).isEqualTo(Level.MEDIUM);
    assertThat(score.describe()).isEqualTo(
        "70.00 (medium): confidence 20.00/25, feedback 15.00/30, history 15.00/25, pattern 20.00/20");
  }

  @Test
  void score_allEvidencePerfect_is100VeryHigh() {
    assertThat(ReliabilityScore.of(1, 1, 1, 1).total()).isEqualTo(100.0);
    assertThat(ReliabilityScore.of(0, 0, 0, 0).level()).isEqualTo(Level.LOW);
  }

  @Test
  void level_boundariesAre90_75_60() {
    assertThat(Level.of(90)).isEqualTo(Level.VERY_HIGH);
    assertThat(Level.of(89.99)).isEqualTo(Level.HIGH);
    assertThat(Level.of(75)).isEqualTo(Level.HIGH);
    assertThat(Level.of(74.99)).isEqualTo(Level.MEDIUM);
    assertThat(Level.of(60)).isEqualTo(Level.MEDIUM);
    assertThat(Level.of(59.99)).isEqualTo(Level.LOW);
  }

  @Test
  void score_ratioOutsideZeroToOne_isRejectedNamingIt() {
    assertThatThrownBy(() -> ReliabilityScore.of(1.2, 0, 0, 0)).hasMessageContaining("confidence");
    assertThatThrownBy(() -> ReliabilityScore.of(0, -0.1, 0, 0)).hasMessageContaining("feedback");
  }

  @Test
  void score_totalNotTheSumOfItsParts_isRejected() {
    assertThatThrownBy(() -> new ReliabilityScore(99, Level.VERY_HIGH, 10, 10, 10, 10))
        .hasMessageContaining("not the sum");
  }

  static Feedback feedback(int rating, Instant at) {
    return Feedback.of("inc-1", Feedback.Type.REMEDIATION, rating, null, null, null, "", "", "", "sre")
        .recorded(at, SIGNATURE, "db-pool");
  }

  @Test
  void feedback_isRecencyWeighted_halvedEvery30Days() {
    // a 5-star rating today (weight 1) and a 1-star rating 30 days ago (weight 0.5)
    double value = Reliability.feedback(List.of(feedback(5, NOW), feedback(1, NOW.minus(Duration.ofDays(30)))), NOW);
    assertThat(value).isCloseTo(1.0 / 1.5, within(1e-9));
  }

  @Test
  void feedback_withoutAny_countsZero() {
    assertThat(Reliability.feedback(List.of(), NOW)).isZero();
  }

  static PatternOccurrence outcome(boolean success, Instant decidedAt) {
    return new PatternOccurrence("inc-" + decidedAt.toEpochMilli() + success, SIGNATURE, "db-pool", "high_latency",
        80, false, decidedAt, success, decidedAt);
  }

  @Test
  void history_countsOnlyTheLastSixMonths() {
    List<PatternOccurrence> history = List.of(outcome(true, NOW.minus(Duration.ofDays(10))),
        outcome(false, NOW.minus(Duration.ofDays(20))), outcome(false, NOW.minus(Duration.ofDays(200))));
    assertThat(Reliability.history(history, NOW)).isEqualTo(0.5);
  }

  @Test
  void score_ofMatchedPlaybook_combinesEveryPart() {
    Playbook playbook = TestData.playbook("db-pool", PlaybookSource.CATALOG, PlaybookStatus.ACTIVE,
        List.of("high_latency"), null, 0.8, "");
    MatchResult match = new MatchResult(true, "db-pool", "1.0.0", PlaybookSource.CATALOG, 0.8,
        MatchResult.MatchedBy.ANOMALY_TYPE, 0.7, 1);

    ReliabilityScore score = Reliability.score(playbook, match, List.of(feedback(5, NOW)),
        List.of(outcome(true, NOW.minus(Duration.ofDays(1)))), NOW);

    assertThat(score.confidencePart()).isEqualTo(20.0);
    assertThat(score.feedbackPart()).isEqualTo(30.0);
    assertThat(score.historyPart()).isEqualTo(25.0);
    assertThat(score.patternPart()).isEqualTo(16.0);
    assertThat(score.total()).isEqualTo(91.0);
    assertThat(score.level()).isEqualTo(Level.VERY_HIGH);
  }

  @Test
  void score_ofUnmatchedDraft_hasNoPatternPart() {
    Playbook draft = TestData.playbook("draft", PlaybookSource.LLM, PlaybookStatus.PENDING_REVIEW,
        List.of("high_latency"), SIGNATURE, 0.6, "");
    ReliabilityScore score = Reliability.score(draft, MatchResult.none(0.7, 0), List.of(), List.of(), NOW);
    assertThat(score.patternPart()).isZero();
    assertThat(score.total()).isEqualTo(15.0);
  }

  @Test
  void eligibility_meetingEveryCondition_isEligible() {
    List<PatternOccurrence> five = List.of(o(90, true), o(90, true), o(85, true), o(88, true), o(95, true));
    List<Feedback> positive = List.of(feedback(5, NOW), feedback(4, NOW));
    assertThat(PatternEligibility.of(five, positive).eligible()).isTrue();
  }

  @Test
  void eligibility_fourOccurrences_isNotEligible() {
    List<PatternOccurrence> four = List.of(o(90, true), o(90, true), o(90, true), o(90, true));
    assertThat(PatternEligibility.of(four, List.of(feedback(5, NOW))).shortfalls()).containsExactly("4 occurrences < 5");
  }

  @Test
  void eligibility_feedbackBelow85PercentPositive_isNotEligible() {
    List<PatternOccurrence> five = List.of(o(90, true), o(90, true), o(90, true), o(90, true), o(90, true));
    List<Feedback> mixed = List.of(feedback(5, NOW), feedback(5, NOW), feedback(5, NOW), feedback(5, NOW),
        feedback(5, NOW), feedback(2, NOW));
    assertThat(PatternEligibility.of(five, mixed).shortfalls()).singleElement().asString()
        .startsWith("positive feedback 83%");
  }

  @Test
  void eligibility_averageReliabilityBelow85_isNotEligible() {
    List<PatternOccurrence> five = List.of(o(84, true), o(84, true), o(85, true), o(84, true), o(84, true));
    assertThat(PatternEligibility.of(five, List.of(feedback(5, NOW))).shortfalls()).singleElement().asString()
        .startsWith("average reliability 84.2");
  }

  @Test
  void eligibility_successBelow85Percent_isNotEligible() {
    List<PatternOccurrence> five = List.of(o(90, true), o(90, true), o(90, true), o(90, true), o(90, false));
    assertThat(PatternEligibility.of(five, List.of(feedback(5, NOW))).shortfalls()).singleElement().asString()
        .startsWith("remediation success 80%");
  }

  @Test
  void totalsAndScores_judgeExactlyAsTheOccurrencesAndFeedbackTheySum() {
    List<PatternOccurrence> history = List.of(o(85.1, true), o(84.9, true), o(85, false), o(90.25, true),
        o(84.75, true), new PatternOccurrence("inc-open", SIGNATURE, "db-pool", "high_latency", 85, false, NOW, null,
            null));
    List<Feedback> feedback = List.of(feedback(5, NOW), feedback(2, NOW.minus(Duration.ofDays(45))),
        feedback(4, NOW.minus(Duration.ofDays(3))));
    List<FeedbackScore> scores = feedback.stream().map(FeedbackScore::of).toList();

    assertThat(PatternEligibility.of(PatternTotals.of(history), scores))
        .isEqualTo(PatternEligibility.of(history, feedback));
    assertThat(Reliability.weightedFeedback(scores, NOW)).isEqualTo(Reliability.feedback(feedback, NOW));
    assertThat(PatternTotals.of(history)).isEqualTo(new PatternTotals(6, 515, 5, 4));
  }

  @Test
  void eligibility_averageOfDecimalReliabilitiesAtExactly85_isEligible() {
    PatternTotals totals = new PatternTotals(5, 424.99999999999994, 5, 5);
    assertThat(PatternEligibility.of(totals, List.of(FeedbackScore.of(feedback(5, NOW)))).eligible()).isTrue();
  }

  @Test
  void categoryTotals_countOutcomesDecidedSinceTheWindowStart() {
    Instant since = NOW.minus(Reliability.HISTORY_WINDOW);
    PatternOccurrence inside = new PatternOccurrence("in", SIGNATURE, "db-pool", "high_latency", 50, false, since,
        true, NOW);
    PatternOccurrence outside = new PatternOccurrence("out", SIGNATURE, "db-pool", "high_latency", 50, false,
        since.minusSeconds(1), false, NOW);
    PatternOccurrence pending = new PatternOccurrence("open", SIGNATURE, "db-pool", "high_latency", 50, false, NOW,
        null, null);

    CategoryTotals totals = CategoryTotals.of(List.of(inside, outside, pending), since);

    assertThat(totals).isEqualTo(new CategoryTotals(1, 1));
    assertThat(Reliability.history(totals)).isEqualTo(Reliability.history(List.of(inside, outside, pending), NOW));
  }

  @Test
  void feedbackScore_weighsAndJudgesAsTheFeedbackItScores() {
    Feedback old = feedback(4, NOW.minus(Duration.ofDays(60)));
    FeedbackScore score = FeedbackScore.of(old);

    assertThat(score.weightAt(NOW)).isEqualTo(old.weightAt(NOW)).isCloseTo(0.25, within(1e-9));
    assertThat(score.positive()).isEqualTo(old.positive()).isTrue();
    assertThatThrownBy(() -> new FeedbackScore(NOW, 1.5)).hasMessageContaining("within [0, 1]");
  }

  private static int n;

  private static PatternOccurrence o(double reliability, boolean success) {
    return new PatternOccurrence("inc-" + n++, SIGNATURE, "db-pool", "high_latency", reliability, false, NOW, success,
        NOW);
  }
}
