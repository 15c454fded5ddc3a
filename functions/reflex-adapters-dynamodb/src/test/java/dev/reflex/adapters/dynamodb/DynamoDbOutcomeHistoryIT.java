package dev.reflex.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.CategoryTotals;
import dev.reflex.domain.policy.PatternTotals;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Pattern occurrences on DynamoDB Local, and the totals kept with them. */
class DynamoDbOutcomeHistoryIT {

  @RegisterExtension
  static LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final Signature SIGNATURE = Signature.of("high_latency", "payment-api", "india");
  private static final Instant DECIDED = Instant.parse("2025-03-14T10:00:00Z");

  private DynamoDbOutcomeHistory history;
  private String table;

  @BeforeEach
  void table() {
    table = "it-history-" + TABLES.incrementAndGet();
    dynamo.client().createTable(DynamoDbOutcomeHistory.definition(table));
    history = new DynamoDbOutcomeHistory(dynamo.client(), table);
  }

  private static PatternOccurrence decided(String incidentId, String playbookId, double reliability, Instant at) {
    return new PatternOccurrence(incidentId, SIGNATURE, playbookId, "high_latency", reliability, false, at, null, null);
  }

  @Test
  void decisionThenOutcome_isFoundByPatternAndCategory() {
    history.recordDecision(new PatternOccurrence("inc-1", SIGNATURE, "db-pool", "high_latency", 87.5, true, DECIDED,
        null, null));
    history.recordDecision(decided("inc-1", "db-pool", 10, DECIDED));
    history.recordDecision(decided("inc-old", "other", 50, Instant.parse("2024-01-01T00:00:00Z")));
    history.recordOutcome("inc-1", true, DECIDED.plusSeconds(600));
    history.recordOutcome("inc-unknown", false, DECIDED);

    assertThat(history.forPattern(SIGNATURE, "db-pool")).singleElement().satisfies(o -> {
      assertThat(o.reliability()).isEqualTo(87.5);
      assertThat(o.automatic()).isTrue();
      assertThat(o.success()).isTrue();
      assertThat(o.outcomeAt()).isEqualTo(DECIDED.plusSeconds(600));
    });
    assertThat(history.forCategory("high_latency", Instant.parse("2025-01-01T00:00:00Z")))
        .extracting(PatternOccurrence::incidentId).containsExactly("inc-1");
  }

  @Test
  void recordDecision_isOneTransactionThatAddsToThePatternTotals_once() {
    dynamo.calls().reset();
    history.recordDecision(decided("inc-1", "db-pool", 85.1, DECIDED));
    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("TransactWriteItems", 1L));
    history.recordDecision(decided("inc-1", "db-pool", 85.1, DECIDED));
    history.recordDecision(decided("inc-2", "db-pool", 84.9, DECIDED));
    dynamo.calls().reset();

    PatternTotals totals = history.patternTotals(SIGNATURE, "db-pool");

    assertThat(totals).isEqualTo(new PatternTotals(2, 170.0, 0, 0));
    assertThat(totals.averageReliability()).isEqualTo(85.0);
    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("GetItem", 1L));
    assertThat(history.patternTotals(SIGNATURE, "other")).isEqualTo(PatternTotals.none());
  }

  @Test
  void recordOutcome_addsToPatternAndCategoryOnce_andAChangedOutcomeMovesTheSuccess() {
    history.recordDecision(decided("inc-1", "db-pool", 90, DECIDED));
    history.recordDecision(decided("inc-2", "db-pool", 90, DECIDED.plus(Duration.ofDays(1))));

    history.recordOutcome("inc-1", true, DECIDED.plusSeconds(60));
    history.recordOutcome("inc-1", true, DECIDED.plusSeconds(120));
    history.recordOutcome("inc-2", true, DECIDED.plus(Duration.ofDays(1)));
    history.recordOutcome("inc-2", false, DECIDED.plus(Duration.ofDays(2)));

    assertThat(history.patternTotals(SIGNATURE, "db-pool")).isEqualTo(new PatternTotals(2, 180, 2, 1));
    assertThat(history.categoryTotals("high_latency", DECIDED.minus(Duration.ofDays(1))))
        .isEqualTo(new CategoryTotals(2, 1));
    assertThat(history.forPattern(SIGNATURE, "db-pool")).filteredOn(o -> o.incidentId().equals("inc-1"))
        .singleElement().satisfies(o -> assertThat(o.outcomeAt()).isEqualTo(DECIDED.plusSeconds(60)));
  }

  @Test
  void recordOutcome_firstFailureAddsToTheRunAndASuccessResetsIt_withinTheOutcomeTransaction() {
    for (int i = 1; i <= 4; i++) {
      history.recordDecision(decided("inc-" + i, "db-pool", 90, DECIDED.plusSeconds(i)));
    }
    dynamo.calls().reset();

    history.recordOutcome("inc-1", false, DECIDED.plusSeconds(60));

    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("GetItem", 1L, "TransactWriteItems", 1L));
    assertThat(history.patternTotals(SIGNATURE, "db-pool").consecutiveFailures()).isEqualTo(1);
    history.recordOutcome("inc-2", false, DECIDED.plusSeconds(120));
    assertThat(history.patternTotals(SIGNATURE, "db-pool").consecutiveFailures()).isEqualTo(2);
    history.recordOutcome("inc-3", true, DECIDED.plusSeconds(180));
    assertThat(history.patternTotals(SIGNATURE, "db-pool").consecutiveFailures()).isZero();
    history.recordOutcome("inc-4", false, DECIDED.plusSeconds(240));
    assertThat(history.patternTotals(SIGNATURE, "db-pool")).isEqualTo(new PatternTotals(4, 360, 4, 1, 1, null));
  }

  @Test
  void recordOutcome_changedOrRepeatedOutcome_leavesTheRunOfFailuresAsItWas() {
    history.recordDecision(decided("inc-1", "db-pool", 90, DECIDED));
    history.recordOutcome("inc-1", false, DECIDED.plusSeconds(60));

    history.recordOutcome("inc-1", false, DECIDED.plusSeconds(120));
    history.recordOutcome("inc-1", true, DECIDED.plusSeconds(180));
    history.recordOutcome("inc-1", false, DECIDED.plusSeconds(240));

    assertThat(history.patternTotals(SIGNATURE, "db-pool")).isEqualTo(new PatternTotals(1, 90, 1, 0, 1, null));
  }

  @Test
  void disablePattern_isOneConditionalUpdate_andKeepsTheFirstDateWhenRepeated() {
    history.recordDecision(decided("inc-1", "db-pool", 90, DECIDED));
    history.recordOutcome("inc-1", false, DECIDED.plusSeconds(60));
    dynamo.calls().reset();

    assertThat(history.disablePattern(SIGNATURE, "db-pool", DECIDED.plusSeconds(61))).isTrue();
    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("UpdateItem", 1L));
    assertThat(history.disablePattern(SIGNATURE, "db-pool", DECIDED.plusSeconds(3600))).isFalse();

    assertThat(history.patternTotals(SIGNATURE, "db-pool"))
        .isEqualTo(new PatternTotals(1, 90, 1, 0, 1, DECIDED.plusSeconds(61)));
    assertThat(history.patternTotals(SIGNATURE, "other").disabled()).isFalse();
  }

  @Test
  void reenablePattern_removesTheDateAndRestartsTheRun_onlyWhenDisabled() {
    history.recordDecision(decided("inc-1", "db-pool", 90, DECIDED));
    history.recordOutcome("inc-1", false, DECIDED.plusSeconds(60));
    assertThat(history.reenablePattern(SIGNATURE, "db-pool")).isFalse();
    history.disablePattern(SIGNATURE, "db-pool", DECIDED.plusSeconds(61));

    assertThat(history.reenablePattern(SIGNATURE, "db-pool")).isTrue();

    assertThat(history.patternTotals(SIGNATURE, "db-pool")).isEqualTo(new PatternTotals(1, 90, 1, 0, 0, null));
    assertThat(history.reenablePattern(SIGNATURE, "db-pool")).isFalse();
    history.recordDecision(decided("inc-2", "db-pool", 90, DECIDED.plusSeconds(120)));
    history.recordOutcome("inc-2", false, DECIDED.plusSeconds(180));
    assertThat(history.patternTotals(SIGNATURE, "db-pool").consecutiveFailures()).isEqualTo(1);
  }

  @Test
  void categoryTotals_countFromTheUtcDayOfSince() {
    history.recordDecision(decided("inc-1", "db-pool", 90, Instant.parse("2025-03-10T23:00:00Z")));
    history.recordDecision(decided("inc-2", "db-pool", 90, Instant.parse("2025-03-12T01:00:00Z")));
    history.recordOutcome("inc-1", true, DECIDED);
    history.recordOutcome("inc-2", false, DECIDED);

    assertThat(history.categoryTotals("high_latency", Instant.parse("2025-03-10T23:30:00Z")))
        .isEqualTo(new CategoryTotals(2, 1));
    assertThat(history.categoryTotals("high_latency", Instant.parse("2025-03-11T00:00:00Z")))
        .isEqualTo(new CategoryTotals(1, 0));
    assertThat(history.categoryTotals("disk_full", Instant.EPOCH)).isEqualTo(CategoryTotals.none());
  }

  @Test
  void recordOutcome_removesDaysThatLeftTheWindowFromTheCategory() {
    Instant longAgo = DECIDED.minus(Duration.ofDays(200));
    history.recordDecision(decided("inc-old", "db-pool", 90, longAgo));
    history.recordOutcome("inc-old", true, longAgo.plusSeconds(60));
    String oldDay = "o" + DynamoDbOutcomeHistory.day(longAgo);
    assertThat(categoryItem()).containsKey(oldDay);
    history.recordDecision(decided("inc-new", "db-pool", 90, DECIDED));

    history.recordOutcome("inc-new", true, DECIDED.plusSeconds(60));

    assertThat(categoryItem()).doesNotContainKey(oldDay).containsKey("o" + DynamoDbOutcomeHistory.day(DECIDED));
    assertThat(history.categoryTotals("high_latency", Instant.EPOCH)).isEqualTo(new CategoryTotals(1, 1));
  }

  @Test
  void backfillTotals_buildsTheTotalsOfOccurrencesStoredBeforeThem_once() {
    storeWithoutTotals("inc-1", 85.25, DECIDED, true);
    storeWithoutTotals("inc-2", 70, DECIDED.plusSeconds(60), null);

    history.backfillTotals();
    history.recordDecision(decided("inc-3", "db-pool", 80, DECIDED.plusSeconds(120)));
    history.backfillTotals();

    assertThat(history.patternTotals(SIGNATURE, "db-pool")).isEqualTo(new PatternTotals(3, 235.25, 1, 1));
    assertThat(history.categoryTotals("high_latency", DECIDED)).isEqualTo(new CategoryTotals(1, 1));
  }

  @Test
  void backfillTotals_leavesTheRunOfFailuresToOutcomesThatArrive_andNeverUndoesADisable() {
    storeWithoutTotals("inc-1", 80, DECIDED, false);
    history.backfillTotals();
    assertThat(history.patternTotals(SIGNATURE, "db-pool")).isEqualTo(new PatternTotals(1, 80, 1, 0));

    history.recordDecision(decided("inc-2", "db-pool", 80, DECIDED.plusSeconds(60)));
    history.recordOutcome("inc-2", false, DECIDED.plusSeconds(120));
    history.disablePattern(SIGNATURE, "db-pool", DECIDED.plusSeconds(121));
    history.backfillTotals();

    assertThat(history.patternTotals(SIGNATURE, "db-pool"))
        .isEqualTo(new PatternTotals(2, 160, 2, 0, 1, DECIDED.plusSeconds(121)));
  }

  private Map<String, AttributeValue> categoryItem() {
    return dynamo.client().getItem(r -> r.tableName(table).key(DynamoDbOutcomeHistory.categoryKey("high_latency")))
        .item();
  }

  /** An occurrence as stored before totals were kept: the occurrence item only. */
  private void storeWithoutTotals(String incidentId, double reliability, Instant decidedAt, Boolean success) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS("OCC#" + incidentId));
    item.put("incidentId", AttributeValue.fromS(incidentId));
    item.put("signature", AttributeValue.fromS(SIGNATURE.toString()));
    item.put("playbookId", AttributeValue.fromS("db-pool"));
    item.put("pattern", AttributeValue.fromS(SIGNATURE + "#db-pool"));
    item.put("category", AttributeValue.fromS("high_latency"));
    item.put("reliability", AttributeValue.fromN(Double.toString(reliability)));
    item.put("automatic", AttributeValue.fromBool(false));
    item.put("decidedAt", AttributeValue.fromS(dev.reflex.adapters.dynamodb.internal.Items.sortable(decidedAt)));
    if (success != null) {
      item.put("success", AttributeValue.fromBool(success));
      item.put("outcomeAt", AttributeValue.fromS(dev.reflex.adapters.dynamodb.internal.Items.sortable(decidedAt)));
    }
    dynamo.client().putItem(r -> r.tableName(table).item(item));
  }
}
