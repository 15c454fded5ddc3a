package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.internal.Items.n;
import static dev.reflex.adapters.dynamodb.internal.Items.putIfPresent;
import static dev.reflex.adapters.dynamodb.internal.Items.s;

import dev.reflex.adapters.dynamodb.internal.Items;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Approval.ApprovalStatus;
import dev.reflex.domain.port.ApprovalStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Approvals in one table keyed by {@code pk = APR#<id>}, one flat item each: {@code id,
 * incidentId, taskToken, status, createdAt, expiresAt, decidedBy, decidedAt, reason} and
 * {@code ttl}, the epoch second DynamoDB may delete the item after ({@link #RETENTION} past
 * expiry). The {@code byIncident} index ({@code incidentId}, {@code createdAt}) finds an
 * incident's latest approval.
 *
 * <p>The task token is a credential for resuming the workflow: this class never puts it in a log
 * line, an exception message or {@code toString}.
 */
public final class DynamoDbApprovalStore implements ApprovalStore {

  /** How long a decided or expired approval is kept after it expires, for the audit trail. */
  public static final Duration RETENTION = Duration.ofDays(7);

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbApprovalStore(DynamoDbClient dynamo) {
    this(dynamo, TableNames.defaults().approvals());
  }

  public DynamoDbApprovalStore(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  /**
   * One PutItem that refuses to overwrite.
   *
   * @throws IllegalStateException when an approval with this id exists already
   */
  @Override
  public void create(Approval approval) {
    try {
      dynamo.putItem(r -> r.tableName(table)
          .item(item(approval))
          .conditionExpression("attribute_not_exists(pk)"));
    } catch (ConditionalCheckFailedException e) {
      throw new IllegalStateException("approval " + approval.id() + " exists already");
    }
  }

  @Override
  public Optional<Approval> find(String id) {
    Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
            .key(key(id))
            .consistentRead(true))
        .item();
    return Items.isEmpty(item) ? Optional.empty() : Optional.of(fromItem(item));
  }

  /** The incident's most recent approval: one Query of the {@code byIncident} index, newest first. */
  @Override
  public Optional<Approval> findByIncident(String incidentId) {
    List<Map<String, AttributeValue>> items = dynamo.query(r -> r.tableName(table)
            .indexName(ReflexTables.APPROVALS_BY_INCIDENT_INDEX)
            .keyConditionExpression("incidentId = :incident")
            .expressionAttributeValues(Map.of(":incident", s(incidentId)))
            .scanIndexForward(false)
            .limit(1))
        .items();
    return items.isEmpty() ? Optional.empty() : Optional.of(fromItem(items.get(0)));
  }

  /**
   * One UpdateItem of the decision fields, conditioned on the stored status being PENDING. The
   * task token and the other fields are left as stored. Like the in-memory fake, it returns false
   * for an approval that does not exist.
   */
  @Override
  public boolean decide(Approval decided) {
    if (decided.status() == ApprovalStatus.PENDING) {
      throw new IllegalArgumentException("approval " + decided.id() + ": a decision cannot be PENDING");
    }
    Map<String, String> names = new HashMap<>(Map.of("#status", "status"));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(
        ":status", s(decided.status().name()),
        ":pending", s(ApprovalStatus.PENDING.name())));
    List<String> set = new ArrayList<>(List.of("#status = :status"));
    List<String> remove = new ArrayList<>();
    decisionField("decidedBy", decided.decidedBy() == null ? null : s(decided.decidedBy()), names, values, set, remove);
    decisionField("decidedAt", decided.decidedAt() == null ? null : Items.time(decided.decidedAt()), names, values,
        set, remove);
    decisionField("reason", decided.reason() == null ? null : s(decided.reason()), names, values, set, remove);
    String update = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
    try {
      dynamo.updateItem(r -> r.tableName(table)
          .key(key(decided.id()))
          .updateExpression(update)
          .conditionExpression("#status = :pending")
          .expressionAttributeNames(names)
          .expressionAttributeValues(values));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private static void decisionField(String field, AttributeValue value, Map<String, String> names,
      Map<String, AttributeValue> values, List<String> set, List<String> remove) {
    names.put("#" + field, field);
    if (value == null) {
      remove.add("#" + field);
    } else {
      values.put(":" + field, value);
      set.add("#" + field + " = :" + field);
    }
  }

  static Map<String, AttributeValue> key(String id) {
    return Map.of("pk", s("APR#" + id));
  }

  static Map<String, AttributeValue> item(Approval approval) {
    Map<String, AttributeValue> item = new HashMap<>(key(approval.id()));
    item.put("id", s(approval.id()));
    item.put("incidentId", s(approval.incidentId()));
    item.put("taskToken", s(approval.taskToken()));
    item.put("status", s(approval.status().name()));
    item.put("createdAt", Items.time(approval.createdAt()));
    item.put("expiresAt", Items.time(approval.expiresAt()));
    putIfPresent(item, "decidedBy", approval.decidedBy());
    putIfPresent(item, "decidedAt", approval.decidedAt());
    putIfPresent(item, "reason", approval.reason());
    item.put(ReflexTables.APPROVALS_TTL_ATTRIBUTE, n(approval.expiresAt().plus(RETENTION).getEpochSecond()));
    return item;
  }

  static Approval fromItem(Map<String, AttributeValue> item) {
    return new Approval(
        Items.requiredString(item, "id"),
        Items.requiredString(item, "incidentId"),
        Items.requiredString(item, "taskToken"),
        ApprovalStatus.valueOf(Items.requiredString(item, "status")),
        Items.instant(item, "createdAt"),
        Items.instant(item, "expiresAt"),
        Items.string(item, "decidedBy"),
        Items.instant(item, "decidedAt"),
        Items.string(item, "reason"));
  }

  @Override
  public String toString() {
    return "DynamoDbApprovalStore[" + table + "]";
  }
}
