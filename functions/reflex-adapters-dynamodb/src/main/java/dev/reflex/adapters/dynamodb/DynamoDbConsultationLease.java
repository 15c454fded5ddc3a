package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.internal.Items.n;
import static dev.reflex.adapters.dynamodb.internal.Items.s;

import dev.reflex.adapters.dynamodb.internal.Items;
import dev.reflex.domain.port.ConsultationLease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Consultation leases in the consultations table, one item per signature: {@code pk =
 * LEASE#<signature>}, {@code sk = LEASE}, {@code owner}, {@code acquiredAt}, {@code expiresAt}
 * (epoch milliseconds) and {@code ttl} (epoch seconds, {@link #TTL_GRACE} after expiry, so that
 * DynamoDB deletes abandoned leases). Acquiring is one conditional PutItem ({@code
 * attribute_not_exists(pk) OR expiresAt < :now}); releasing is one DeleteItem conditioned on the
 * same owner and acquisition, so a late release never frees someone else's lease.
 */
public final class DynamoDbConsultationLease implements ConsultationLease {

  /** How long after expiry DynamoDB may delete a lease item (the condition never relies on it). */
  public static final Duration TTL_GRACE = Duration.ofHours(1);
  static final String SORT_KEY = "LEASE";

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public DynamoDbConsultationLease(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Optional<Lease> tryAcquire(String signature, String owner, Duration ttl) {
    Instant now = clock.instant();
    Lease lease = new Lease(signature, owner, now, now.plus(ttl));
    try {
      dynamo.putItem(r -> r.tableName(table)
          .item(Map.of(
              "pk", key(signature).get("pk"),
              "sk", s(SORT_KEY),
              "owner", s(owner),
              "acquiredAt", Items.time(lease.acquiredAt()),
              "expiresAt", n(lease.expiresAt().toEpochMilli()),
              ReflexTables.CONSULTATIONS_TTL_ATTRIBUTE, n(lease.expiresAt().plus(TTL_GRACE).getEpochSecond())))
          .conditionExpression("attribute_not_exists(pk) OR expiresAt < :now")
          .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()))));
      return Optional.of(lease);
    } catch (ConditionalCheckFailedException e) {
      return Optional.empty();
    }
  }

  @Override
  public void release(Lease lease) {
    try {
      dynamo.deleteItem(r -> r.tableName(table)
          .key(key(lease.signature()))
          .conditionExpression("#owner = :owner AND acquiredAt = :acquiredAt")
          .expressionAttributeNames(Map.of("#owner", "owner"))
          .expressionAttributeValues(Map.of(":owner", s(lease.owner()),
              ":acquiredAt", Items.time(lease.acquiredAt()))));
    } catch (ConditionalCheckFailedException e) {
      // expired and taken by someone else, or already gone: nothing of ours to release
    }
  }

  static Map<String, AttributeValue> key(String signature) {
    return Map.of("pk", s("LEASE#" + signature), "sk", s(SORT_KEY));
  }

  @Override
  public String toString() {
    return "DynamoDbConsultationLease[" + table + "]";
  }
}
