package dev.reflex.adapters.dynamodb;

import dev.reflex.adapters.dynamodb.internal.Items;
import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.port.AuditLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The audit trail: {@code pk = INC#<incidentId>}, {@code sk = AT#<at>#<uuid>}, with {@code at},
 * {@code actor}, {@code action} and {@code detail}. Every write is a PutItem that may not
 * overwrite ({@code attribute_not_exists(pk)}); there is no update or delete path.
 */
public final class DynamoDbAuditLog implements AuditLog {

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbAuditLog(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** The table: key {@code pk}/{@code sk}. */
  public static CreateTableRequest definition(String table) {
    return CreateTableRequest.builder().tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
        .build();
  }

  @Override
  public void append(AuditEntry entry) {
    String at = Items.sortable(entry.at());
    Map<String, AttributeValue> item = Map.of(
        "pk", AttributeValue.fromS("INC#" + entry.incidentId()),
        "sk", AttributeValue.fromS("AT#" + at + "#" + UUID.randomUUID()),
        "at", AttributeValue.fromS(at),
        "actor", AttributeValue.fromS(entry.actor()),
        "action", AttributeValue.fromS(entry.action()),
        "detail", AttributeValue.fromS(entry.detail()));
    dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
        .conditionExpression("attribute_not_exists(pk)").build());
  }

  @Override
  public List<AuditEntry> byIncident(String incidentId) {
    QueryRequest request = QueryRequest.builder().tableName(table).consistentRead(true)
        .keyConditionExpression("pk = :pk AND begins_with(sk, :at)")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("INC#" + incidentId),
            ":at", AttributeValue.fromS("AT#"))).build();
    List<AuditEntry> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page = dynamo.query(start == null ? request : request.toBuilder().exclusiveStartKey(start).build());
      page.items().forEach(item -> out.add(new AuditEntry(Instant.parse(item.get("at").s()), incidentId,
          item.get("actor").s(), item.get("action").s(), item.get("detail").s())));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }
}
