package dev.reflex.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.ActionCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rate limits, cooldowns and feedback on DynamoDB Local. */
class DynamoDbActionCountersIT {

  @RegisterExtension
  static LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();

  private static final AtomicInteger TABLES = new AtomicInteger();

  /** A clock the test moves by hand. */
  static final class TestClock extends java.time.Clock {
    private final java.util.concurrent.atomic.AtomicReference<Instant> now;

    TestClock(Instant start) {
      now = new java.util.concurrent.atomic.AtomicReference<>(start);
    }

    void set(Instant instant) {
      now.set(instant);
    }

    void advance(Duration by) {
      now.updateAndGet(i -> i.plus(by));
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  private final TestClock clock = new TestClock(Instant.parse("2025-03-14T09:26:53Z"));
  private DynamoDbActionCounters counters;
  private DynamoDbFeedbackStore feedback;
  private DynamoDbOutcomeHistory history;

  @BeforeEach
  void tables() {
    int n = TABLES.incrementAndGet();
    String counterTable = "it-counters-" + n;
    String feedbackTable = "it-feedback-" + n;
    dynamo.client().createTable(DynamoDbActionCounters.definition(counterTable));
    dynamo.client().createTable(DynamoDbFeedbackStore.definition(feedbackTable));
    counters = new DynamoDbActionCounters(dynamo.client(), counterTable, clock);
    feedback = new DynamoDbFeedbackStore(dynamo.client(), feedbackTable);
    dynamo.client().createTable(DynamoDbOutcomeHistory.definition("it-history-" + n));
    history = new DynamoDbOutcomeHistory(dynamo.client(), "it-history-" + n);
  }

  @Test
  void tryAcquire_twentyConcurrentCallersOnLimitFive_exactlyFiveAcquire() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ActionCounters.Result>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return counters.tryAcquire("per_service", "payment-api", 5, Duration.ofHours(1));
        }));
      }
      start.countDown();
      List<ActionCounters.Result> done = new ArrayList<>();
      for (Future<ActionCounters.Result> result : results) {
        done.add(result.get());
      }
      assertThat(done).filteredOn(r -> r instanceof ActionCounters.Acquired).hasSize(5)
          .extracting(r -> ((ActionCounters.Acquired) r).count()).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
      assertThat(done).filteredOn(r -> r instanceof ActionCounters.Refused).hasSize(15)
          .allSatisfy(r -> assertThat(r).isEqualTo(new ActionCounters.Refused(5, Instant.parse("2025-03-14T10:00:00Z"))));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tryAcquire_nextWindow_startsAgain() {
    assertThat(counters.tryAcquire("global", "all", 1, Duration.ofHours(1))).isInstanceOf(ActionCounters.Acquired.class);
    assertThat(counters.tryAcquire("global", "all", 1, Duration.ofHours(1))).isInstanceOf(ActionCounters.Refused.class);

    clock.set(Instant.parse("2025-03-14T10:00:00Z"));

    assertThat(counters.tryAcquire("global", "all", 1, Duration.ofHours(1)))
        .isEqualTo(new ActionCounters.Acquired(1, Instant.parse("2025-03-14T11:00:00Z")));
  }

  @Test
  void tryAcquire_keysAndScopesAreIndependent() {
    assertThat(counters.tryAcquire("per_service", "a", 1, Duration.ofHours(1))).isInstanceOf(ActionCounters.Acquired.class);
    assertThat(counters.tryAcquire("per_service", "b", 1, Duration.ofHours(1))).isInstanceOf(ActionCounters.Acquired.class);
    assertThat(counters.tryAcquire("per_playbook", "a", 1, Duration.ofHours(1))).isInstanceOf(ActionCounters.Acquired.class);
  }

  @Test
  void tryAcquire_limitZero_isAlwaysRefused() {
    assertThat(counters.tryAcquire("global", "all", 0, Duration.ofHours(1))).isInstanceOf(ActionCounters.Refused.class);
  }

  @Test
  void tryAcquire_setsTtlOneWindowAfterTheReset() {
    counters.tryAcquire("global", "all", 3, Duration.ofHours(1));
    var item = dynamo.client().scan(r -> r.tableName("it-counters-" + TABLES.get())).items().get(0);
    assertThat(item.get("ttl").n()).isEqualTo(Long.toString(Instant.parse("2025-03-14T11:00:00Z").getEpochSecond()));
  }

  @Test
  void tryStartCooldown_whileRunning_isRefusedWithItsEnd_thenStartsAgain() {
    Instant end = Instant.parse("2025-03-14T09:41:53Z");
    assertThat(counters.tryStartCooldown("payment-api|db-pool", Duration.ofMinutes(15)))
        .isEqualTo(new ActionCounters.Acquired(1, end));
    clock.advance(Duration.ofMinutes(5));
    assertThat(counters.tryStartCooldown("payment-api|db-pool", Duration.ofMinutes(15)))
        .isEqualTo(new ActionCounters.Refused(1, end));
    clock.set(end);
    assertThat(counters.tryStartCooldown("payment-api|db-pool", Duration.ofMinutes(15)))
        .isInstanceOf(ActionCounters.Acquired.class);
  }

  @Test
  void tryStartCooldown_concurrentCallers_exactlyOneStarts() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(10);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ActionCounters.Result>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return counters.tryStartCooldown("svc|pb", Duration.ofMinutes(10));
        }));
      }
      start.countDown();
      int acquired = 0;
      for (Future<ActionCounters.Result> result : results) {
        acquired += result.get() instanceof ActionCounters.Acquired ? 1 : 0;
      }
      assertThat(acquired).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void feedback_appendedIsFoundByIncidentAndPattern() {
    Signature signature = Signature.of("high_latency", "payment-api", "india");
    Feedback first = Feedback.of("inc-1", Feedback.Type.REMEDIATION, 5, true, null, true, "fast", "restart", "", "bob")
        .recorded(Instant.parse("2025-03-14T10:00:00Z"), signature, "db-pool");
    Feedback second = Feedback.of("inc-2", Feedback.Type.CORRECTION, 2, false, false, false, "", "", "scaled by hand",
        "alice").recorded(Instant.parse("2025-03-14T11:00:00Z"), signature, "db-pool");
    Feedback other = Feedback.of("inc-3", Feedback.Type.GENERAL, 3, null, null, null, "", "", "", "carol")
        .recorded(Instant.parse("2025-03-14T12:00:00Z"), signature, "other");

    feedback.append(first);
    feedback.append(second);
    feedback.append(other);

    assertThat(feedback.forIncident("inc-1")).containsExactly(first);
    assertThat(feedback.forPattern(signature, "db-pool")).containsExactly(first, second);
    assertThat(feedback.forIncident("inc-9")).isEmpty();
  }

  @Test
  void history_decisionThenOutcome_isFoundByPatternAndCategory() {
    Signature signature = Signature.of("high_latency", "payment-api", "india");
    Instant decided = Instant.parse("2025-03-14T10:00:00Z");
    history.recordDecision(new dev.reflex.domain.model.PatternOccurrence("inc-1", signature, "db-pool", "high_latency",
        87.5, true, decided, null, null));
    history.recordDecision(new dev.reflex.domain.model.PatternOccurrence("inc-1", signature, "db-pool", "high_latency",
        10, false, decided, null, null));
    history.recordDecision(new dev.reflex.domain.model.PatternOccurrence("inc-old", signature, "other", "high_latency",
        50, false, Instant.parse("2024-01-01T00:00:00Z"), null, null));
    history.recordOutcome("inc-1", true, decided.plusSeconds(600));
    history.recordOutcome("inc-unknown", false, decided);

    assertThat(history.forPattern(signature, "db-pool")).singleElement().satisfies(o -> {
      assertThat(o.reliability()).isEqualTo(87.5);
      assertThat(o.automatic()).isTrue();
      assertThat(o.success()).isTrue();
      assertThat(o.outcomeAt()).isEqualTo(decided.plusSeconds(600));
    });
    assertThat(history.forCategory("high_latency", Instant.parse("2025-01-01T00:00:00Z")))
        .extracting(dev.reflex.domain.model.PatternOccurrence::incidentId).containsExactly("inc-1");
  }
}
