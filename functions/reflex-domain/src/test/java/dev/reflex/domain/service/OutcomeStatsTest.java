package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.PlaybookStats;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutcomeStatsTest {

  private static final Instant AT = Instant.parse("2025-03-14T10:00:00Z");

  private static PlaybookStats stats(double confidence, int consecutiveFailures) {
    return new PlaybookStats(confidence, 3, 2, consecutiveFailures, null);
  }

  @Test
  void success_addsFivePoints_exactly() {
    PlaybookStats after = LearnFromOutcome.apply(stats(0.75, 2), true, AT);
    assertThat(after.confidence()).isEqualTo(0.80);
    assertThat(after.successCount()).isEqualTo(4);
    assertThat(after.failureCount()).isEqualTo(2);
    assertThat(after.consecutiveFailures()).isZero();
    assertThat(after.lastOutcomeAt()).isEqualTo(AT);
  }

  @Test
  void success_isCappedAt95() {
    assertThat(LearnFromOutcome.apply(stats(0.93, 0), true, AT).confidence()).isEqualTo(0.95);
    assertThat(LearnFromOutcome.apply(stats(0.95, 0), true, AT).confidence()).isEqualTo(0.95);
  }

  @Test
  void success_neverLowersAConfidenceAboveTheCap() {
    assertThat(LearnFromOutcome.apply(stats(0.97, 0), true, AT).confidence()).isEqualTo(0.97);
  }

  @Test
  void failure_removesTenPoints_andCountsConsecutiveFailures() {
    PlaybookStats after = LearnFromOutcome.apply(stats(0.75, 1), false, AT);
    assertThat(after.confidence()).isEqualTo(0.65);
    assertThat(after.failureCount()).isEqualTo(3);
    assertThat(after.successCount()).isEqualTo(3);
    assertThat(after.consecutiveFailures()).isEqualTo(2);
  }

  @Test
  void failure_isFlooredAt50() {
    assertThat(LearnFromOutcome.apply(stats(0.55, 0), false, AT).confidence()).isEqualTo(0.50);
    assertThat(LearnFromOutcome.apply(stats(0.50, 0), false, AT).confidence()).isEqualTo(0.50);
    assertThat(LearnFromOutcome.apply(stats(0.30, 0), false, AT).confidence()).isEqualTo(0.30);
  }

  @Test
  void repeatedSuccesses_landOnExactValues() {
    PlaybookStats stats = PlaybookStats.initial(0.75);
    for (int i = 0; i < 3; i++) {
      stats = LearnFromOutcome.apply(stats, true, AT);
    }
    assertThat(stats.confidence()).isEqualTo(0.90);
  }
}
