package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.internal.Items.n;
import static dev.reflex.adapters.dynamodb.internal.Items.putIfPresent;
import static dev.reflex.adapters.dynamodb.internal.Items.s;
import static dev.reflex.adapters.dynamodb.internal.Items.sortable;

import dev.reflex.adapters.dynamodb.internal.Items;
import dev.reflex.adapters.dynamodb.internal.ReflexJson;
import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.IncidentStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Incidents in one table keyed by {@code pk}:
 *
 * <ul>
 *   <li>{@code INC#<id>}: the incident. Top-level attributes for what is queried or displayed
 *       ({@code id, occurrenceKey, status, signature, alertName, createdAt, updatedAt, revision}),
 *       and {@code doc}, the JSON of the whole record. {@code gsi1pk = "INCIDENT"} and
 *       {@code gsi1sk = <createdAt>#<id>} put every incident in the {@code gsi1} index, newest last.
 *   <li>{@code OCC#<occurrenceKey>}: the guard that makes opening idempotent; it holds the
 *       {@code incidentId} and is written in the same transaction as the incident.
 * </ul>
 *
 * <p>{@code status} and {@code updatedAt} are the truth over the copies in {@code doc}: a status
 * change ({@link #markDetected}) is one UpdateItem of those attributes, and the next full write
 * brings {@code doc} level again.
 *
 * <p>Reads by key are strongly consistent; {@link #recent} reads the index, which is eventually
 * consistent on AWS.
 */
public final class DynamoDbIncidentStore implements IncidentStore {

  static final String RECENT_PARTITION = "INCIDENT";
  private static final int OPEN_ATTEMPTS = 8;

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbIncidentStore(DynamoDbClient dynamo) {
    this(dynamo, TableNames.defaults().incidents());
  }

  public DynamoDbIncidentStore(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  /**
   * Stores the incident at revision 0: one TransactWriteItems call when it is new; one more
   * GetItem when its occurrence was opened before.
   */
  @Override
  public Opened openIfAbsent(Incident given) {
    Incident incident = withRevision(given, 0);
    TransactWriteItem guard = TransactWriteItem.builder().put(Put.builder()
            .tableName(table)
            .item(guardItem(incident))
            .conditionExpression("attribute_not_exists(pk)")
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build())
        .build();
    TransactWriteItem record = TransactWriteItem.builder().put(Put.builder()
            .tableName(table)
            .item(incidentItem(incident))
            .conditionExpression("attribute_not_exists(pk)")
            .build())
        .build();
    for (int attempt = 1; ; attempt++) {
      try {
        dynamo.transactWriteItems(r -> r.transactItems(guard, record));
        return new Opened(incident, true);
      } catch (TransactionCanceledException e) {
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        if (failedCondition(reasons, 0)) {
          return new Opened(existingFor(incident.occurrenceKey(), reasons.get(0)), false);
        }
        if (failedCondition(reasons, 1)) {
          throw new IllegalStateException("incident id " + incident.id() + " is taken by another occurrence");
        }
        // TransactionConflict: another transaction holds the guard; it commits or fails shortly
        if (attempt >= OPEN_ATTEMPTS) {
          throw new ConcurrentUpdateException(
              "could not open incident " + incident.id() + " after " + attempt + " conflicting attempts");
        }
        backOff(attempt);
      }
    }
  }

  @Override
  public Optional<Incident> find(String id) {
    Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
            .key(Map.of("pk", s(incidentKey(id))))
            .consistentRead(true))
        .item();
    return Items.isEmpty(item) ? Optional.empty() : Optional.of(fromItem(item));
  }

  /** Two GetItem calls: the occurrence guard, then the incident. */
  @Override
  public Optional<Incident> findByOccurrenceKey(String occurrenceKey) {
    Map<String, AttributeValue> guard = dynamo.getItem(r -> r.tableName(table)
            .key(Map.of("pk", s(guardKey(occurrenceKey))))
            .consistentRead(true))
        .item();
    return Items.isEmpty(guard) ? Optional.empty() : find(Items.requiredString(guard, "incidentId"));
  }

  /** One PutItem conditioned on the revision the caller read. */
  @Override
  public Incident update(Incident incident) {
    long expected = incident.revision();
    Incident stored = withRevision(incident, expected + 1);
    try {
      dynamo.putItem(r -> r.tableName(table)
          .item(incidentItem(stored))
          .conditionExpression("#revision = :expected")
          .expressionAttributeNames(Map.of("#revision", "revision"))
          .expressionAttributeValues(Map.of(":expected", n(expected)))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return stored;
    } catch (ConditionalCheckFailedException e) {
      Map<String, AttributeValue> current = e.hasItem()
          ? e.item()
          : dynamo.getItem(r -> r.tableName(table).key(Map.of("pk", s(incidentKey(incident.id()))))
              .consistentRead(true)).item();
      if (Items.isEmpty(current)) {
        throw new IncidentNotFoundException("no incident " + incident.id());
      }
      throw new ConcurrentUpdateException("incident " + incident.id() + " is at revision "
          + Items.number(current, "revision") + ", the update was made from revision " + expected);
    }
  }

  /**
   * One UpdateItem, without reading first: {@code SET status = DETECTED, updatedAt, revision + 1}
   * conditioned on {@code status = OPEN AND attribute_exists(signature)} (the anomaly is recorded
   * exactly when the incident has a signature). It returns the new item, or the unchanged one
   * when the condition fails.
   */
  @Override
  public StatusChange markDetected(String id, Instant at) {
    try {
      Map<String, AttributeValue> updated = dynamo.updateItem(r -> r.tableName(table)
              .key(Map.of("pk", s(incidentKey(id))))
              .updateExpression("SET #status = :detected, #updatedAt = :at, #revision = #revision + :one")
              .conditionExpression("#status = :open AND attribute_exists(#signature)")
              .expressionAttributeNames(Map.of("#status", "status", "#updatedAt", "updatedAt",
                  "#revision", "revision", "#signature", "signature"))
              .expressionAttributeValues(Map.of(":detected", s(IncidentStatus.DETECTED.name()),
                  ":open", s(IncidentStatus.OPEN.name()), ":at", Items.time(at), ":one", n(1)))
              .returnValues(ReturnValue.ALL_NEW)
              .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
          .attributes();
      return new StatusChange(fromItem(updated), true);
    } catch (ConditionalCheckFailedException e) {
      if (!e.hasItem() || Items.isEmpty(e.item())) {
        throw new IncidentNotFoundException("no incident " + id);
      }
      return new StatusChange(fromItem(e.item()), false);
    }
  }

  /** Queries the {@code gsi1} index newest first; one call per page of results. */
  @Override
  public List<Incident> recent(int limit) {
    if (limit <= 0) {
      return List.of();
    }
    List<Incident> incidents = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page = dynamo.query(QueryRequest.builder()
          .tableName(table)
          .indexName(ReflexTables.INCIDENTS_RECENT_INDEX)
          .keyConditionExpression("gsi1pk = :partition")
          .expressionAttributeValues(Map.of(":partition", s(RECENT_PARTITION)))
          .scanIndexForward(false)
          .limit(limit - incidents.size())
          .exclusiveStartKey(start)
          .build());
      page.items().forEach(item -> incidents.add(fromItem(item)));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null && incidents.size() < limit);
    return List.copyOf(incidents);
  }

  private Incident existingFor(String occurrenceKey, CancellationReason guardFailure) {
    String id = guardFailure.hasItem() ? Items.string(guardFailure.item(), "incidentId") : null;
    Optional<Incident> existing = id != null ? find(id) : findByOccurrenceKey(occurrenceKey);
    // the guard and the incident are written in one transaction: one without the other is a bug
    return existing.orElseThrow(() -> new IllegalStateException(
        "occurrence guard without incident for " + occurrenceKey));
  }

  private static boolean failedCondition(List<CancellationReason> reasons, int index) {
    return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
  }

  private static void backOff(int attempt) {
    long ceiling = Math.min(200, 10L << attempt);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening an incident", e);
    }
  }

  static String incidentKey(String id) {
    return "INC#" + id;
  }

  static String guardKey(String occurrenceKey) {
    return "OCC#" + occurrenceKey;
  }

  private static Map<String, AttributeValue> guardItem(Incident incident) {
    return Map.of(
        "pk", s(guardKey(incident.occurrenceKey())),
        "incidentId", s(incident.id()),
        "createdAt", Items.time(incident.createdAt()));
  }

  static Map<String, AttributeValue> incidentItem(Incident incident) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(incidentKey(incident.id())));
    item.put("id", s(incident.id()));
    item.put("occurrenceKey", s(incident.occurrenceKey()));
    item.put("status", s(incident.status().name()));
    item.put("alertName", s(incident.alert().alertName()));
    putIfPresent(item, "signature", incident.signature() == null ? null : incident.signature().toString());
    item.put("createdAt", Items.time(incident.createdAt()));
    item.put("updatedAt", Items.time(incident.updatedAt()));
    item.put("revision", n(incident.revision()));
    item.put("gsi1pk", s(RECENT_PARTITION));
    item.put("gsi1sk", s(sortable(incident.createdAt()) + "#" + incident.id()));
    item.put("doc", s(ReflexJson.write(incident)));
    return item;
  }

  static Incident fromItem(Map<String, AttributeValue> item) {
    Incident i = ReflexJson.read(Items.requiredString(item, "doc"), Incident.class);
    // status and updatedAt may have moved on without doc (markDetected)
    IncidentStatus status = IncidentStatus.valueOf(Items.requiredString(item, "status"));
    Instant updatedAt = Objects.requireNonNullElse(Items.instant(item, "updatedAt"), i.updatedAt());
    return new Incident(i.id(), i.occurrenceKey(), i.alert(), status, i.createdAt(), updatedAt,
        i.anomaly(), i.match(), i.remediation(), i.playbookId(), i.playbookVersion(), i.decision(),
        i.approvalId(), i.execution(), i.alertResolvedAt(), i.workflowExecutionId(), i.timeline(),
        Items.number(item, "revision"));
  }

  private static Incident withRevision(Incident i, long revision) {
    return new Incident(i.id(), i.occurrenceKey(), i.alert(), i.status(), i.createdAt(), i.updatedAt(),
        i.anomaly(), i.match(), i.remediation(), i.playbookId(), i.playbookVersion(), i.decision(),
        i.approvalId(), i.execution(), i.alertResolvedAt(), i.workflowExecutionId(), i.timeline(), revision);
  }

  @Override
  public String toString() {
    return "DynamoDbIncidentStore[" + table + "]";
  }
}
