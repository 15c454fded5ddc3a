package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.internal.Items.n;
import static dev.reflex.adapters.dynamodb.internal.Items.s;

import dev.reflex.adapters.dynamodb.internal.Items;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Approval.ApprovalStatus;
import dev.reflex.domain.model.ApprovalVote;
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
 * Approvals in one table keyed by {@code pk = APR#<id>}, one item each: {@code id, incidentId,
 * taskToken, status, createdAt, expiresAt, approvers} (a list), {@code required}, {@code votes} (a
 * list of maps: approver, approve, at, reason, channel, address, userAgent), {@code evidence},
 * {@code version} (compare-and-set for votes) and
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
   * One PutItem of the whole approval, conditioned on the stored {@code version} being
   * {@code next.version() - 1}: two votes read at the same version cannot both be written, and the
   * loser reads again and adds its vote to the winner's. Returns false for an approval that does not
   * exist, like the in-memory fake.
   */
  @Override
  public boolean update(Approval next) {
    if (next.version() < 1) {
      throw new IllegalArgumentException("approval " + next.id() + ": an update has a version of 1 or more");
    }
    try {
      dynamo.putItem(r -> r.tableName(table)
          .item(item(next))
          .conditionExpression("attribute_exists(pk) AND #version = :expected")
          .expressionAttributeNames(Map.of("#version", "version"))
          .expressionAttributeValues(Map.of(":expected", n(next.version() - 1))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
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
    item.put("approvers", Items.list(approval.approvers()));
    item.put("required", n(approval.required()));
    item.put("votes", AttributeValue.fromL(approval.votes().stream().map(DynamoDbApprovalStore::vote).toList()));
    item.put("evidence", s(approval.evidence()));
    item.put("version", n(approval.version()));
    item.put(ReflexTables.APPROVALS_TTL_ATTRIBUTE, n(approval.expiresAt().plus(RETENTION).getEpochSecond()));
    return item;
  }

  private static AttributeValue vote(ApprovalVote vote) {
    Map<String, AttributeValue> map = new HashMap<>();
    map.put("approver", s(vote.approver()));
    map.put("approve", AttributeValue.fromBool(vote.approve()));
    map.put("at", Items.time(vote.at()));
    map.put("reason", s(vote.reason()));
    map.put("channel", s(vote.source().channel()));
    map.put("address", s(vote.source().address()));
    map.put("userAgent", s(vote.source().userAgent()));
    return AttributeValue.fromM(map);
  }

  private static ApprovalVote vote(AttributeValue value) {
    Map<String, AttributeValue> map = value.m();
    return new ApprovalVote(Items.requiredString(map, "approver"), map.get("approve").bool(),
        Items.instant(map, "at"), Items.string(map, "reason"),
        new ApprovalVote.Source(Items.string(map, "channel"), Items.string(map, "address"),
            Items.string(map, "userAgent")));
  }

  static Approval fromItem(Map<String, AttributeValue> item) {
    AttributeValue votes = item.get("votes");
    return new Approval(
        Items.requiredString(item, "id"),
        Items.requiredString(item, "incidentId"),
        Items.requiredString(item, "taskToken"),
        ApprovalStatus.valueOf(Items.requiredString(item, "status")),
        Items.instant(item, "createdAt"),
        Items.instant(item, "expiresAt"),
        Items.strings(item, "approvers"),
        (int) Items.number(item, "required"),
        votes == null || !votes.hasL() ? List.of() : votes.l().stream().map(DynamoDbApprovalStore::vote).toList(),
        Items.string(item, "evidence"),
        Items.number(item, "version"));
  }

  @Override
  public String toString() {
    return "DynamoDbApprovalStore[" + table + "]";
  }
}
