package dev.reflex.adapters.dynamodb;

import dev.reflex.adapters.dynamodb.internal.Items;
import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.OutcomeHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Pattern occurrences: {@code pk = OCC#<incidentId>}; indexes {@value #BY_PATTERN_INDEX}
 * ({@code pattern} = {@code <signature>#<playbookId>}, {@code decidedAt}) and
 * {@value #BY_CATEGORY_INDEX} ({@code category}, {@code decidedAt}). A decision is put once
 * (conditional put); the outcome is set on it with a conditional update.
 */
public final class DynamoDbOutcomeHistory implements OutcomeHistory {

  public static final String BY_PATTERN_INDEX = "byPattern";
  public static final String BY_CATEGORY_INDEX = "byCategory";

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbOutcomeHistory(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  public static CreateTableRequest definition(String table) {
    return CreateTableRequest.builder().tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
            a -> a.attributeName("pattern").attributeType(ScalarAttributeType.S),
            a -> a.attributeName("category").attributeType(ScalarAttributeType.S),
            a -> a.attributeName("decidedAt").attributeType(ScalarAttributeType.S))
        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
        .globalSecondaryIndexes(
            g -> g.indexName(BY_PATTERN_INDEX).keySchema(k -> k.attributeName("pattern").keyType(KeyType.HASH),
                k -> k.attributeName("decidedAt").keyType(KeyType.RANGE)).projection(p -> p.projectionType(ProjectionType.ALL)),
            g -> g.indexName(BY_CATEGORY_INDEX).keySchema(k -> k.attributeName("category").keyType(KeyType.HASH),
                k -> k.attributeName("decidedAt").keyType(KeyType.RANGE)).projection(p -> p.projectionType(ProjectionType.ALL)))
        .build();
  }

  @Override
  public void recordDecision(PatternOccurrence o) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s("OCC#" + o.incidentId()));
    item.put("incidentId", s(o.incidentId()));
    item.put("signature", s(o.signature().toString()));
    item.put("playbookId", s(o.playbookId()));
    item.put("pattern", s(pattern(o.signature(), o.playbookId())));
    item.put("category", s(o.category()));
    item.put("reliability", AttributeValue.fromN(Double.toString(o.reliability())));
    item.put("automatic", AttributeValue.fromBool(o.automatic()));
    item.put("decidedAt", s(Items.sortable(o.decidedAt())));
    if (o.success() != null) {
      item.put("success", AttributeValue.fromBool(o.success()));
    }
    Items.putIfPresent(item, "outcomeAt", o.outcomeAt());
    try {
      dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
    } catch (ConditionalCheckFailedException e) {
      // recorded already: a retried decision
    }
  }

  @Override
  public void recordOutcome(String incidentId, boolean success, Instant at) {
    try {
      dynamo.updateItem(r -> r.tableName(table).key(Map.of("pk", s("OCC#" + incidentId)))
          .updateExpression("SET success = :s, outcomeAt = :at")
          .conditionExpression("attribute_exists(pk)")
          .expressionAttributeValues(Map.of(":s", AttributeValue.fromBool(success), ":at", Items.time(at))));
    } catch (ConditionalCheckFailedException e) {
      // no decided occurrence for this incident: nothing to complete
    }
  }

  @Override
  public List<PatternOccurrence> forPattern(Signature signature, String playbookId) {
    return query(QueryRequest.builder().tableName(table).indexName(BY_PATTERN_INDEX)
        .keyConditionExpression("#k = :k").expressionAttributeNames(Map.of("#k", "pattern"))
        .expressionAttributeValues(Map.of(":k", s(pattern(signature, playbookId)))).build());
  }

  @Override
  public List<PatternOccurrence> forCategory(String category, Instant since) {
    return query(QueryRequest.builder().tableName(table).indexName(BY_CATEGORY_INDEX)
        .keyConditionExpression("#k = :k AND decidedAt >= :since").expressionAttributeNames(Map.of("#k", "category"))
        .expressionAttributeValues(Map.of(":k", s(category), ":since", s(Items.sortable(since)))).build());
  }

  private List<PatternOccurrence> query(QueryRequest request) {
    List<PatternOccurrence> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page = dynamo.query(start == null ? request : request.toBuilder().exclusiveStartKey(start).build());
      for (Map<String, AttributeValue> item : page.items()) {
        out.add(new PatternOccurrence(item.get("incidentId").s(), Signature.parse(item.get("signature").s()),
            item.get("playbookId").s(), item.get("category").s(), Double.parseDouble(item.get("reliability").n()),
            item.get("automatic").bool(), Items.instant(item, "decidedAt"),
            item.containsKey("success") ? item.get("success").bool() : null, Items.instant(item, "outcomeAt")));
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  private static String pattern(Signature signature, String playbookId) {
    return signature + "#" + playbookId;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
