package dev.reflex.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.PatternOccurrence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** The exact transactions that keep pattern and category totals, and feedback scores, with their items. */
class DynamoDbOutcomeHistoryTest {

  private static final Instant DECIDED = Instant.parse("2025-03-14T10:00:00Z");

  private final List<TransactWriteItemsRequest> transactions = new ArrayList<>();
  private Map<String, AttributeValue> stored = Map.of();

  private final DynamoDbClient client = new DynamoDbClient() {
    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
      transactions.add(request);
      return TransactWriteItemsResponse.builder().build();
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
      return GetItemResponse.builder().item(stored).build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  };

  private static PatternOccurrence occurrence(Boolean success) {
    return new PatternOccurrence("inc-1", Fixtures.SIGNATURE, "db-pool", "high_latency", 87.25, false, DECIDED,
        success, success == null ? null : DECIDED);
  }

  @Test
  void recordDecision_putsTheOccurrenceIfNewAndAddsToItsPatternInOneTransaction() {
    new DynamoDbOutcomeHistory(client, "outcomes").recordDecision(occurrence(null));

    var items = transactions.get(0).transactItems();
    assertThat(items).hasSize(2);
    Put put = items.get(0).put();
    assertThat(put.item().get("pk").s()).isEqualTo("OCC#inc-1");
    assertThat(put.item().get("reliability").n()).isEqualTo("87.25");
    assertThat(put.conditionExpression()).isEqualTo("attribute_not_exists(pk)");
    Update pattern = items.get(1).update();
    assertThat(pattern.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("PAT#high_latency|payment-api|india#db-pool")));
    assertThat(pattern.updateExpression())
        .isEqualTo("ADD #occurrences :occurrences, #reliabilitySum :reliability, #outcomes :outcomes, #successes :successes");
    assertThat(pattern.expressionAttributeValues()).containsEntry(":occurrences", AttributeValue.fromN("1"))
        .containsEntry(":reliability", AttributeValue.fromN("87.25"))
        .containsEntry(":outcomes", AttributeValue.fromN("0"));
    assertThat(pattern.conditionExpression()).isNull();
  }

  @Test
  void recordOutcome_setsItOnConditionItIsStillUnknownAndAddsToPatternAndDecisionDay() {
    stored = occurrenceItem(null);

    new DynamoDbOutcomeHistory(client, "outcomes").recordOutcome("inc-1", true, DECIDED.plusSeconds(60));

    var items = transactions.get(0).transactItems();
    assertThat(items).hasSize(3);
    Update outcome = items.get(0).update();
    assertThat(outcome.updateExpression()).isEqualTo("SET success = :s, outcomeAt = :at");
    assertThat(outcome.conditionExpression()).isEqualTo("attribute_not_exists(success)");
    assertThat(items.get(1).update().expressionAttributeValues()).containsEntry(":outcomes", AttributeValue.fromN("1"))
        .containsEntry(":successes", AttributeValue.fromN("1")).containsEntry(":occurrences", AttributeValue.fromN("0"));
    Update category = items.get(2).update();
    long day = DynamoDbOutcomeHistory.day(DECIDED);
    assertThat(category.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("CAT#high_latency")));
    assertThat(category.updateExpression()).startsWith("ADD #o :outcomes, #s :successes REMOVE #po0, #ps0, ");
    assertThat(category.expressionAttributeNames()).containsEntry("#o", "o" + day).containsEntry("#s", "s" + day)
        .containsEntry("#po0", "o" + (day - 182 - DynamoDbOutcomeHistory.PRUNED_DAYS))
        .containsEntry("#ps0", "s" + (day - 182 - DynamoDbOutcomeHistory.PRUNED_DAYS))
        .doesNotContainValue("o" + (day - 182));
  }

  @Test
  void recordOutcome_changed_isConditionedOnThePreviousOutcomeAndMovesOnlyTheSuccess() {
    stored = occurrenceItem(true);

    new DynamoDbOutcomeHistory(client, "outcomes").recordOutcome("inc-1", false, DECIDED.plusSeconds(60));

    var items = transactions.get(0).transactItems();
    assertThat(items.get(0).update().conditionExpression()).isEqualTo("success = :previous");
    assertThat(items.get(0).update().expressionAttributeValues()).containsEntry(":previous", AttributeValue.fromBool(true));
    assertThat(items.get(1).update().expressionAttributeValues()).containsEntry(":outcomes", AttributeValue.fromN("0"))
        .containsEntry(":successes", AttributeValue.fromN("-1"));
  }

  @Test
  void recordOutcome_sameAgain_writesNothing() {
    stored = occurrenceItem(true);

    new DynamoDbOutcomeHistory(client, "outcomes").recordOutcome("inc-1", true, DECIDED.plusSeconds(60));

    assertThat(transactions).isEmpty();
  }

  @Test
  void feedbackAppend_putsTheFeedbackAndAppendsItsScoreToThePatternInOneTransaction() {
    Feedback feedback = Feedback.of("inc-1", Feedback.Type.REMEDIATION, 5, true, null, null, "", "", "", "bob")
        .recorded(DECIDED, Fixtures.SIGNATURE, "db-pool");

    new DynamoDbFeedbackStore(client, "feedback").append(feedback);

    var items = transactions.get(0).transactItems();
    assertThat(items.get(0).put().conditionExpression()).isEqualTo("attribute_not_exists(pk)");
    Update scores = items.get(1).update();
    assertThat(scores.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("PAT#high_latency|payment-api|india#db-pool"),
        "sk", AttributeValue.fromS("SCORES")));
    assertThat(scores.updateExpression()).isEqualTo("SET #scores = list_append(if_not_exists(#scores, :none), :score)");
    assertThat(scores.expressionAttributeValues().get(":score").l()).singleElement().satisfies(score -> {
      assertThat(score.m().get("v")).isEqualTo(AttributeValue.fromN("1.0"));
      assertThat(score.m().get("at")).isEqualTo(AttributeValue.fromS("2025-03-14T10:00:00.000000000Z"));
    });
  }

  private static Map<String, AttributeValue> occurrenceItem(Boolean success) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS("OCC#inc-1"));
    item.put("incidentId", AttributeValue.fromS("inc-1"));
    item.put("signature", AttributeValue.fromS(Fixtures.SIGNATURE.toString()));
    item.put("playbookId", AttributeValue.fromS("db-pool"));
    item.put("category", AttributeValue.fromS("high_latency"));
    item.put("reliability", AttributeValue.fromN("87.25"));
    item.put("automatic", AttributeValue.fromBool(false));
    item.put("decidedAt", AttributeValue.fromS("2025-03-14T10:00:00.000000000Z"));
    if (success != null) {
      item.put("success", AttributeValue.fromBool(success));
    }
    return item;
  }
}
