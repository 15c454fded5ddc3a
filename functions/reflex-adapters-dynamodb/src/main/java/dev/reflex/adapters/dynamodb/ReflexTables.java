package dev.reflex.adapters.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Creates the Reflex tables and their indexes when they are missing (on-demand capacity) and waits
 * until they are ACTIVE. Existing tables are kept; a missing index is added to them. Safe to run
 * from several processes at once.
 *
 * <ul>
 *   <li>incidents: key {@code pk} ({@code INC#<id>} or the occurrence guard {@code OCC#<key>});
 *       index {@value #INCIDENTS_RECENT_INDEX} on {@code gsi1pk}/{@code gsi1sk} for newest first
 *   <li>playbooks: key {@code pk}/{@code sk} ({@code PB#<id>}/{@code PLAYBOOK}, or
 *       {@code TYPE#<anomalyType>}/{@code <id>}); index {@value #PLAYBOOKS_BY_SIGNATURE_INDEX}
 *   <li>approvals: key {@code pk} ({@code APR#<id>}); index {@value #APPROVALS_BY_INCIDENT_INDEX};
 *       TTL on {@code ttl}
 *   <li>consultations: key {@code pk}/{@code sk}: the ledger ({@code INC#<incidentId>}/{@code
 *       AT#<at>#<n>}) with indexes {@value #CONSULTATIONS_BY_SIGNATURE_INDEX} and
 *       {@value #CONSULTATIONS_BY_DAY_INDEX}, and the leases ({@code LEASE#<signature>}/{@code
 *       LEASE}); TTL on {@code ttl} (leases only)
 *   <li>audit ({@link DynamoDbAuditLog}), counters ({@link DynamoDbActionCounters}, TTL on
 *       {@code ttl}), feedback ({@link DynamoDbFeedbackStore}) and outcomes
 *       ({@link DynamoDbOutcomeHistory}): each as its adapter defines it
 * </ul>
 */
public final class ReflexTables {

  public static final String INCIDENTS_RECENT_INDEX = "gsi1";
  public static final String PLAYBOOKS_BY_SIGNATURE_INDEX = "bySignature";
  public static final String APPROVALS_BY_INCIDENT_INDEX = "byIncident";
  public static final String APPROVALS_TTL_ATTRIBUTE = "ttl";
  public static final String CONSULTATIONS_BY_SIGNATURE_INDEX = "bySignature";
  public static final String CONSULTATIONS_BY_DAY_INDEX = "byDay";
  public static final String CONSULTATIONS_TTL_ATTRIBUTE = "ttl";

  private static final Duration POLL = Duration.ofMillis(200);

  private final DynamoDbClient dynamo;
  private final TableNames names;
  private final Duration timeout;

  public ReflexTables(DynamoDbClient dynamo, TableNames names) {
    this(dynamo, names, Duration.ofMinutes(10));
  }

  /** @param timeout how long to wait for a table or index to become ACTIVE */
  public ReflexTables(DynamoDbClient dynamo, TableNames names, Duration timeout) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.names = Objects.requireNonNull(names, "names");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  public TableNames names() {
    return names;
  }

  /** Creates what is missing and returns once every table and index is ACTIVE. */
  public void createIfMissing() {
    for (CreateTableRequest definition : definitions(names)) {
      ensure(definition);
    }
    enableTimeToLive(names.approvals(), APPROVALS_TTL_ATTRIBUTE);
    enableTimeToLive(names.consultations(), CONSULTATIONS_TTL_ATTRIBUTE);
    enableTimeToLive(names.counters(), DynamoDbActionCounters.TTL_ATTRIBUTE);
  }

  /** Deletes the tables that exist. For tests and teardown of temporary stages only. */
  public void deleteAll() {
    for (String table : names.all()) {
      try {
        dynamo.deleteTable(r -> r.tableName(table));
      } catch (ResourceNotFoundException e) {
        // already gone
      }
    }
  }

  /** The table definitions, as they would be created (also the reference for infrastructure code). */
  public static List<CreateTableRequest> definitions(TableNames names) {
    return List.of(incidents(names.incidents()), playbooks(names.playbooks()), approvals(names.approvals()),
        consultations(names.consultations()), DynamoDbAuditLog.definition(names.audit()),
        DynamoDbActionCounters.definition(names.counters()), DynamoDbFeedbackStore.definition(names.feedback()),
        DynamoDbOutcomeHistory.definition(names.outcomes()));
  }

  static CreateTableRequest incidents(String table) {
    return CreateTableRequest.builder()
        .tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(string("pk"), string("gsi1pk"), string("gsi1sk"))
        .keySchema(hash("pk"))
        .globalSecondaryIndexes(index(INCIDENTS_RECENT_INDEX, "gsi1pk", "gsi1sk"))
        .build();
  }

  static CreateTableRequest playbooks(String table) {
    return CreateTableRequest.builder()
        .tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(string("pk"), string("sk"), string("signature"), string("id"))
        .keySchema(hash("pk"), range("sk"))
        .globalSecondaryIndexes(index(PLAYBOOKS_BY_SIGNATURE_INDEX, "signature", "id"))
        .build();
  }

  static CreateTableRequest approvals(String table) {
    return CreateTableRequest.builder()
        .tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(string("pk"), string("incidentId"), string("createdAt"))
        .keySchema(hash("pk"))
        .globalSecondaryIndexes(index(APPROVALS_BY_INCIDENT_INDEX, "incidentId", "createdAt"))
        .build();
  }

  static CreateTableRequest consultations(String table) {
    return CreateTableRequest.builder()
        .tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(string("pk"), string("sk"), string("signature"), string("day"), string("at"))
        .keySchema(hash("pk"), range("sk"))
        .globalSecondaryIndexes(index(CONSULTATIONS_BY_SIGNATURE_INDEX, "signature", "at"),
            index(CONSULTATIONS_BY_DAY_INDEX, "day", "at"))
        .build();
  }

  private void ensure(CreateTableRequest definition) {
    String table = definition.tableName();
    TableDescription existing = describe(table);
    if (existing == null) {
      try {
        dynamo.createTable(definition);
      } catch (ResourceInUseException e) {
        // created concurrently by another process
      }
    } else {
      Set<String> present = existing.hasGlobalSecondaryIndexes()
          ? existing.globalSecondaryIndexes().stream()
              .map(GlobalSecondaryIndexDescription::indexName)
              .collect(Collectors.toSet())
          : Set.of();
      for (GlobalSecondaryIndex index : definition.globalSecondaryIndexes()) {
        if (!present.contains(index.indexName())) {
          awaitActive(table);
          addIndex(definition, index);
        }
      }
    }
    awaitActive(table);
  }

  private void addIndex(CreateTableRequest definition, GlobalSecondaryIndex index) {
    try {
      dynamo.updateTable(r -> r.tableName(definition.tableName())
          .attributeDefinitions(definition.attributeDefinitions())
          .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(index.indexName())
              .keySchema(index.keySchema())
              .projection(index.projection()))));
    } catch (ResourceInUseException e) {
      // being added concurrently
    }
  }

  private void enableTimeToLive(String table, String attribute) {
    TimeToLiveStatus status = dynamo.describeTimeToLive(r -> r.tableName(table))
        .timeToLiveDescription()
        .timeToLiveStatus();
    if (status != TimeToLiveStatus.ENABLED && status != TimeToLiveStatus.ENABLING) {
      dynamo.updateTimeToLive(r -> r.tableName(table)
          .timeToLiveSpecification(s -> s.enabled(true).attributeName(attribute)));
    }
  }

  private TableDescription describe(String table) {
    try {
      return dynamo.describeTable(r -> r.tableName(table)).table();
    } catch (ResourceNotFoundException e) {
      return null;
    }
  }

  private void awaitActive(String table) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      TableDescription description = describe(table);
      if (description != null && description.tableStatus() == TableStatus.ACTIVE
          && (!description.hasGlobalSecondaryIndexes() || description.globalSecondaryIndexes().stream()
              .allMatch(i -> i.indexStatus() == IndexStatus.ACTIVE))) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("table " + table + " did not become ACTIVE within " + timeout);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for table " + table, e);
      }
    }
  }

  private static AttributeDefinition string(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static KeySchemaElement hash(String name) {
    return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
  }

  private static KeySchemaElement range(String name) {
    return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
  }

  private static GlobalSecondaryIndex index(String name, String hashKey, String rangeKey) {
    return GlobalSecondaryIndex.builder()
        .indexName(name)
        .keySchema(hash(hashKey), range(rangeKey))
        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
        .build();
  }

  @Override
  public String toString() {
    return "ReflexTables" + names.all();
  }
}
