package dev.reflex.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.port.ActionCounters.Cooldown;
import dev.reflex.domain.port.ActionCounters.CoolingDown;
import dev.reflex.domain.port.ActionCounters.Limit;
import dev.reflex.domain.port.ActionCounters.LimitReached;
import dev.reflex.domain.port.ActionCounters.Reserved;
import dev.reflex.domain.port.ActionCounters.Slots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** The exact conditional writes of a reservation, and how a cancelled transaction is read. */
class DynamoDbActionCountersTest {

  private static final Instant NOW = Instant.parse("2025-03-14T09:26:53Z");
  private static final Limit GLOBAL = new Limit("global", "all", 6, Duration.ofHours(1));
  private static final Limit PER_SIGNATURE = new Limit("per_signature", "high_latency|payment-api|india", 3,
      Duration.ofDays(1));
  private static final Cooldown COOLDOWN = new Cooldown("payment-api|db-pool", Duration.ofMinutes(15));

  private final List<TransactWriteItemsRequest> transactions = new ArrayList<>();
  private final List<UpdateItemRequest> updates = new ArrayList<>();

  private DynamoDbActionCounters counters(Function<Integer, RuntimeException> failure) {
    DynamoDbClient client = new DynamoDbClient() {
      @Override
      public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        transactions.add(request);
        RuntimeException e = failure.apply(transactions.size());
        if (e != null) {
          throw e;
        }
        return TransactWriteItemsResponse.builder().build();
      }

      @Override
      public UpdateItemResponse updateItem(UpdateItemRequest request) {
        updates.add(request);
        return UpdateItemResponse.builder().build();
      }

      @Override
      public String serviceName() {
        return "dynamodb";
      }

      @Override
      public void close() {}
    };
    return new DynamoDbActionCounters(client, "counters", Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static TransactionCanceledException cancelled(CancellationReason... reasons) {
    return TransactionCanceledException.builder().message("Transaction cancelled").cancellationReasons(reasons).build();
  }

  private static CancellationReason none() {
    return CancellationReason.builder().code("None").build();
  }

  @Test
  void reserve_sendsOneConditionalAddPerLimitAndTheCooldownInOneTransaction() {
    assertThat(counters(n -> null).reserve(new Slots(List.of(GLOBAL, PER_SIGNATURE), COOLDOWN)))
        .isEqualTo(new Reserved(NOW.plus(Duration.ofMinutes(15))));

    List<Update> writes = transactions.get(0).transactItems().stream().map(item -> item.update()).toList();
    assertThat(writes).hasSize(3);
    Update global = writes.get(0);
    assertThat(global.tableName()).isEqualTo("counters");
    assertThat(global.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("CNT#global#all#"
        + Instant.parse("2025-03-14T09:00:00Z").toEpochMilli())));
    assertThat(global.updateExpression()).isEqualTo("ADD #n :count SET #ttl = if_not_exists(#ttl, :ttl)");
    assertThat(global.conditionExpression()).isEqualTo("attribute_not_exists(#n) OR #n <= :room");
    assertThat(global.expressionAttributeValues()).as("room for one more: taken <= limit - 1")
        .containsEntry(":room", AttributeValue.fromN("5"))
        .containsEntry(":count", AttributeValue.fromN("1"))
        .containsEntry(":ttl", AttributeValue.fromN(Long.toString(Instant.parse("2025-03-14T11:00:00Z")
            .getEpochSecond())));
    assertThat(writes.get(1).key()).isEqualTo(Map.of("pk", AttributeValue.fromS(
        "CNT#per_signature#high_latency|payment-api|india#" + Instant.parse("2025-03-14T00:00:00Z").toEpochMilli())));
    assertThat(writes.get(1).expressionAttributeValues()).containsEntry(":room", AttributeValue.fromN("2"));
    Update cooldown = writes.get(2);
    assertThat(cooldown.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("COOL#payment-api|db-pool")));
    assertThat(cooldown.updateExpression()).isEqualTo("SET #until = :until, #ttl = :ttl");
    assertThat(cooldown.conditionExpression()).isEqualTo("attribute_not_exists(#until) OR #until <= :now");
    assertThat(cooldown.expressionAttributeValues())
        .containsEntry(":until", AttributeValue.fromN(Long.toString(NOW.plus(Duration.ofMinutes(15)).toEpochMilli())))
        .containsEntry(":now", AttributeValue.fromN(Long.toString(NOW.toEpochMilli())));
    assertThat(cooldown.returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
    assertThat(updates).isEmpty();
  }

  @Test
  void reserve_oneSlot_isOneConditionalUpdateItemWithoutTransaction() {
    assertThat(counters(n -> null).reserve(new Slots(List.of(GLOBAL), null))).isEqualTo(new Reserved(null));

    assertThat(transactions).isEmpty();
    UpdateItemRequest update = updates.get(0);
    assertThat(update.updateExpression()).isEqualTo("ADD #n :count SET #ttl = if_not_exists(#ttl, :ttl)");
    assertThat(update.conditionExpression()).isEqualTo("attribute_not_exists(#n) OR #n <= :room");
    assertThat(update.expressionAttributeNames()).isEqualTo(Map.of("#n", "n", "#ttl", "ttl"));
  }

  @Test
  void reserve_threeSlotsAtOnce_addsThreeOnConditionThereIsRoomForThree() {
    assertThat(counters(n -> null).reserve(new Slots(List.of(GLOBAL), null, 3))).isEqualTo(new Reserved(null));

    UpdateItemRequest update = updates.get(0);
    assertThat(update.expressionAttributeValues()).containsEntry(":count", AttributeValue.fromN("3"))
        .containsEntry(":room", AttributeValue.fromN(Integer.toString(GLOBAL.limit() - 3)));
  }

  @Test
  void reserve_whenTheSecondConditionFails_namesThatLimit() {
    DynamoDbActionCounters counters = counters(n -> cancelled(none(),
        CancellationReason.builder().code("ConditionalCheckFailed").build(), none()));

    assertThat(counters.reserve(new Slots(List.of(GLOBAL, PER_SIGNATURE), COOLDOWN)))
        .isEqualTo(new LimitReached(PER_SIGNATURE, Instant.parse("2025-03-15T00:00:00Z")));
    assertThat(transactions).hasSize(1);
  }

  @Test
  void reserve_whenTheCooldownConditionFails_saysWhenTheRunningOneEnds() {
    Instant running = Instant.parse("2025-03-14T09:30:00Z");
    DynamoDbActionCounters counters = counters(n -> cancelled(none(), CancellationReason.builder()
        .code("ConditionalCheckFailed").item(Map.of("until", AttributeValue.fromN(Long.toString(running.toEpochMilli()))))
        .build()));

    assertThat(counters.reserve(new Slots(List.of(GLOBAL), COOLDOWN)))
        .isEqualTo(new CoolingDown("payment-api|db-pool", running));
  }

  @Test
  void reserve_afterTransactionConflicts_retriesUntilItCommits() {
    DynamoDbActionCounters counters = counters(n -> n <= 2
        ? cancelled(CancellationReason.builder().code("TransactionConflict").build(), none()) : null);

    assertThat(counters.reserve(new Slots(List.of(GLOBAL, PER_SIGNATURE), null))).isInstanceOf(Reserved.class);
    assertThat(transactions).hasSize(3);
  }

  @Test
  void reserve_whenConflictsPersist_givesUpWithConcurrentUpdate() {
    DynamoDbActionCounters counters = counters(n ->
        cancelled(CancellationReason.builder().code("TransactionConflict").build(), none()));

    assertThatThrownBy(() -> counters.reserve(new Slots(List.of(GLOBAL, PER_SIGNATURE), null)))
        .isInstanceOf(ConcurrentUpdateException.class);
    assertThat(transactions).hasSize(8);
  }

  @Test
  void reserve_limitZero_refusesWithoutAsking() {
    Limit none = new Limit("global", "all", 0, Duration.ofHours(1));

    assertThat(counters(n -> null).reserve(new Slots(List.of(none), null)))
        .isEqualTo(new LimitReached(none, Instant.parse("2025-03-14T10:00:00Z")));
    assertThat(transactions).isEmpty();
    assertThat(updates).isEmpty();
  }
}
