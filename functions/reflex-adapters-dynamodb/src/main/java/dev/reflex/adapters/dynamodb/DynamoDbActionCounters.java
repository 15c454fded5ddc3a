package dev.reflex.adapters.dynamodb;

import dev.reflex.domain.port.ActionCounters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Rate limits and cooldowns as atomic DynamoDB updates, one item per window bucket.
 *
 * <ul>
 *   <li>a limit: {@code pk = CNT#<scope>#<key>#<windowStartMillis>}, {@code UpdateItem ADD #n :one}
 *       conditioned on {@code attribute_not_exists(#n) OR #n < :limit}: of N concurrent callers
 *       exactly {@code limit} succeed; a failed condition is the refusal;
 *   <li>a cooldown: {@code pk = COOL#<key>}, {@code SET #until = :until} conditioned on
 *       {@code attribute_not_exists(#until) OR #until <= :now}.
 * </ul>
 *
 * Items carry {@code ttl} (epoch seconds, one window after they stop mattering) so DynamoDB removes
 * them; the TTL must be enabled on the table ({@link #TTL_ATTRIBUTE}).
 */
public final class DynamoDbActionCounters implements ActionCounters {

  public static final String TTL_ATTRIBUTE = "ttl";

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

  @Override
  public Result tryAcquire(String scope, String key, int limit, Duration window) {
    Instant start = ActionCounters.windowStart(clock.instant(), window);
    Instant resets = start.plus(window);
    if (limit <= 0) {
      return new Refused(limit, resets);
    }
    try {
      UpdateItemResponse response = dynamo.updateItem(r -> r.tableName(table)
          .key(Map.of("pk", s("CNT#" + scope + "#" + key + "#" + start.toEpochMilli())))
          .updateExpression("ADD #n :one SET #ttl = if_not_exists(#ttl, :ttl)")
          .conditionExpression("attribute_not_exists(#n) OR #n < :limit")
          .expressionAttributeNames(Map.of("#n", "n", "#ttl", TTL_ATTRIBUTE))
          .expressionAttributeValues(Map.of(":one", n(1), ":limit", n(limit),
              ":ttl", n(resets.plus(window).getEpochSecond())))
          .returnValues(ReturnValue.UPDATED_NEW));
      return new Acquired(Integer.parseInt(response.attributes().get("n").n()), resets);
    } catch (ConditionalCheckFailedException e) {
      return new Refused(limit, resets);
    }
  }

  @Override
  public Result tryStartCooldown(String key, Duration cooldown) {
    Instant now = clock.instant();
    Instant until = now.plus(cooldown);
    try {
      dynamo.updateItem(r -> r.tableName(table)
          .key(Map.of("pk", s("COOL#" + key)))
          .updateExpression("SET #until = :until, #ttl = :ttl")
          .conditionExpression("attribute_not_exists(#until) OR #until <= :now")
          .expressionAttributeNames(Map.of("#until", "until", "#ttl", TTL_ATTRIBUTE))
          .expressionAttributeValues(Map.of(":until", n(until.toEpochMilli()), ":now", n(now.toEpochMilli()),
              ":ttl", n(until.plus(cooldown).getEpochSecond()))));
      return new Acquired(1, until);
    } catch (ConditionalCheckFailedException e) {
      Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
          .key(Map.of("pk", s("COOL#" + key)))).item();
      Instant running = item == null || !item.containsKey("until") ? until
          : Instant.ofEpochMilli(Long.parseLong(item.get("until").n()));
      return new Refused(1, running);
    }
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
