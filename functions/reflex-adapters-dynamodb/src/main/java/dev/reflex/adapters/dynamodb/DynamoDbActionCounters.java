package dev.reflex.adapters.dynamodb;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.port.ActionCounters;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Rate limits and cooldowns as DynamoDB items, one per window bucket.
 *
 * <ul>
 *   <li>a limit: {@code pk = CNT#<scope>#<key>#<windowStartMillis>}, the slots taken in {@code n};
 *       taking one is {@code ADD #n :one} conditioned on {@code attribute_not_exists(#n) OR #n < :limit};
 *   <li>a cooldown: {@code pk = COOL#<key>}, its end in {@code until} (epoch millis); starting it is
 *       {@code SET #until = :until} conditioned on {@code attribute_not_exists(#until) OR #until <= :now}.
 * </ul>
 *
 * {@link #usage} reads them with one BatchGetItem; {@link #reserve} writes them with one
 * TransactWriteItems (one UpdateItem when there is a single slot), so a failed condition takes
 * nothing and names what was full. Items carry {@code ttl} (epoch seconds, one window after they
 * stop mattering) so DynamoDB removes them; the TTL must be enabled on the table
 * ({@link #TTL_ATTRIBUTE}).
 */
public final class DynamoDbActionCounters implements ActionCounters {

  public static final String TTL_ATTRIBUTE = "ttl";
  private static final int RESERVE_ATTEMPTS = 8;

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public DynamoDbActionCounters(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The table: key {@code pk} (string), TTL on {@value #TTL_ATTRIBUTE}. */
  public static CreateTableRequest definition(String table) {
    return CreateTableRequest.builder().tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
        .build();
  }

  String table() {
    return table;
  }

  Clock clock() {
    return clock;
  }

  /** One consistent BatchGetItem of the limits' current buckets and the cooldown. */
  @Override
  public Usage usage(Slots slots) {
    Instant now = clock.instant();
    List<Map<String, AttributeValue>> keys = keys(slots, now);
    if (keys.isEmpty()) {
      return Usage.none();
    }
    Map<String, Map<String, AttributeValue>> byKey = new HashMap<>();
    Map<String, KeysAndAttributes> request =
        Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
    while (!request.isEmpty()) {
      Map<String, KeysAndAttributes> current = request;
      BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(current));
      response.responses().getOrDefault(table, List.of()).forEach(item -> byKey.put(item.get("pk").s(), item));
      request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
    }
    return usage(slots, byKey, now);
  }

  /**
   * Every slot in one write, each conditioned on its room: one UpdateItem for a single slot, else
   * one TransactWriteItems. A transaction cancelled by a conflict (another one on the same items)
   * is retried; one cancelled by a failed condition takes nothing and names the first slot that
   * was full.
   */
  @Override
  public Reservation reserve(Slots slots) {
    Instant now = clock.instant();
    for (Limit limit : slots.limits()) {
      if (limit.limit() < slots.count()) {
        return new LimitReached(limit, limit.resetsAt(now)); // more than the whole window holds: no item to ask
      }
    }
    List<Update> updates = updates(slots, now);
    if (updates.isEmpty()) {
      return new Reserved(null);
    }
    Instant cooldownUntil = slots.cooldown() == null ? null : now.plus(slots.cooldown().duration());
    if (updates.size() == 1) {
      Update only = updates.get(0);
      try {
        dynamo.updateItem(r -> r.tableName(only.tableName()).key(only.key())
            .updateExpression(only.updateExpression())
            .conditionExpression(only.conditionExpression())
            .expressionAttributeNames(only.expressionAttributeNames())
            .expressionAttributeValues(only.expressionAttributeValues())
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        return new Reserved(cooldownUntil);
      } catch (ConditionalCheckFailedException e) {
        return refusal(slots, 0, e.hasItem() ? e.item() : null, now);
      }
    }
    List<TransactWriteItem> writes = updates.stream().map(u -> TransactWriteItem.builder().update(u).build()).toList();
    for (int attempt = 1; ; attempt++) {
      try {
        dynamo.transactWriteItems(r -> r.transactItems(writes));
        return new Reserved(cooldownUntil);
      } catch (TransactionCanceledException e) {
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        for (int i = 0; i < reasons.size(); i++) {
          if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
            return refusal(slots, i, reasons.get(i).hasItem() ? reasons.get(i).item() : null, now);
          }
        }
        if (attempt >= RESERVE_ATTEMPTS) {
          throw new ConcurrentUpdateException("could not reserve " + slots + " after " + attempt
              + " conflicting attempts");
        }
        backOff(attempt);
      }
    }
  }

  /** The keys {@link #usage} reads: the limits' current buckets, then the cooldown. */
  static List<Map<String, AttributeValue>> keys(Slots slots, Instant now) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    slots.limits().forEach(limit -> keys.add(key(limitKey(limit, now))));
    if (slots.cooldown() != null) {
      keys.add(key(cooldownKey(slots.cooldown().key())));
    }
    return keys;
  }

  /** The use read from the items found, by {@code pk}; a missing item is an unused slot. */
  static Usage usage(Slots slots, Map<String, Map<String, AttributeValue>> byKey, Instant now) {
    Map<Limit, Integer> taken = new HashMap<>();
    for (Limit limit : slots.limits()) {
      Map<String, AttributeValue> item = byKey.get(limitKey(limit, now));
      taken.put(limit, item == null || !item.containsKey("n") ? 0 : Integer.parseInt(item.get("n").n()));
    }
    Instant until = null;
    if (slots.cooldown() != null) {
      until = until(byKey.get(cooldownKey(slots.cooldown().key())));
    }
    return new Usage(taken, until);
  }

  /** The conditional updates, in the order of the slots: limits, then the cooldown. */
  List<Update> updates(Slots slots, Instant now) {
    List<Update> updates = new ArrayList<>();
    for (Limit limit : slots.limits()) {
      Instant resets = limit.resetsAt(now);
      updates.add(Update.builder().tableName(table)
          .key(key(limitKey(limit, now)))
          .updateExpression("ADD #n :count SET #ttl = if_not_exists(#ttl, :ttl)")
          .conditionExpression("attribute_not_exists(#n) OR #n <= :room")
          .expressionAttributeNames(Map.of("#n", "n", "#ttl", TTL_ATTRIBUTE))
          .expressionAttributeValues(Map.of(":count", n(slots.count()), ":room", n(limit.limit() - slots.count()),
              ":ttl", n(resets.plus(limit.window()).getEpochSecond())))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
          .build());
    }
    Cooldown cooldown = slots.cooldown();
    if (cooldown != null) {
      Instant until = now.plus(cooldown.duration());
      updates.add(Update.builder().tableName(table)
          .key(key(cooldownKey(cooldown.key())))
          .updateExpression("SET #until = :until, #ttl = :ttl")
          .conditionExpression("attribute_not_exists(#until) OR #until <= :now")
          .expressionAttributeNames(Map.of("#until", "until", "#ttl", TTL_ATTRIBUTE))
          .expressionAttributeValues(Map.of(":until", n(until.toEpochMilli()), ":now", n(now.toEpochMilli()),
              ":ttl", n(until.plus(cooldown.duration()).getEpochSecond())))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
          .build());
    }
    return updates;
  }

  private static Reservation refusal(Slots slots, int index, Map<String, AttributeValue> current, Instant now) {
    if (index < slots.limits().size()) {
      Limit limit = slots.limits().get(index);
      return new LimitReached(limit, limit.resetsAt(now));
    }
    Cooldown cooldown = slots.cooldown();
    Instant until = until(current);
    return new CoolingDown(cooldown.key(), until == null ? now.plus(cooldown.duration()) : until);
  }

  private static Instant until(Map<String, AttributeValue> item) {
    return item == null || !item.containsKey("until") ? null
        : Instant.ofEpochMilli(Long.parseLong(item.get("until").n()));
  }

  static String limitKey(Limit limit, Instant now) {
    return "CNT#" + limit.scope() + "#" + limit.key() + "#" + ActionCounters.windowStart(now, limit.window())
        .toEpochMilli();
  }

  static String cooldownKey(String key) {
    return "COOL#" + key;
  }

  private static Map<String, AttributeValue> key(String pk) {
    return Map.of("pk", AttributeValue.fromS(pk));
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private static void backOff(int attempt) {
    long ceiling = Math.min(200, 10L << attempt);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reserving rate-limit slots", e);
    }
  }

  @Override
  public String toString() {
    return "DynamoDbActionCounters[" + table + "]";
  }
}
