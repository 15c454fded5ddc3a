package dev.reflex.adapters.dynamodb;

import dev.reflex.adapters.dynamodb.internal.Items;
import dev.reflex.adapters.dynamodb.internal.ReflexJson;
import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.FeedbackStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Feedback, append-only: {@code pk = INC#<incidentId>}, {@code sk = FB#<at>#<uuid>}, the feedback
 * as JSON in {@code body}; index {@value #BY_PATTERN_INDEX} on {@code pattern}
 * ({@code <signature>#<playbookId>}) and {@code at}. There is no update or delete path.
 */
public final class DynamoDbFeedbackStore implements FeedbackStore {

  public static final String BY_PATTERN_INDEX = "byPattern";

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbFeedbackStore(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** The table: key {@code pk}/{@code sk}; index {@value #BY_PATTERN_INDEX} on {@code pattern}/{@code at}. */
  public static CreateTableRequest definition(String table) {
    return CreateTableRequest.builder().tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
            a -> a.attributeName("pattern").attributeType(ScalarAttributeType.S),
            a -> a.attributeName("at").attributeType(ScalarAttributeType.S))
        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
        .globalSecondaryIndexes(g -> g.indexName(BY_PATTERN_INDEX)
            .keySchema(k -> k.attributeName("pattern").keyType(KeyType.HASH),
                k -> k.attributeName("at").keyType(KeyType.RANGE))
            .projection(p -> p.projectionType(ProjectionType.ALL)))
        .build();
  }

  @Override
  public void append(Feedback feedback) {
    Instant at = Objects.requireNonNull(feedback.at(), "feedback is appended once recorded (at is set)");
    String sortableAt = Items.sortable(at);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS("INC#" + feedback.incidentId()));
    item.put("sk", AttributeValue.fromS("FB#" + sortableAt + "#" + UUID.randomUUID()));
    item.put("at", AttributeValue.fromS(sortableAt));
    item.put("body", AttributeValue.fromS(ReflexJson.write(feedback)));
    if (feedback.signature() != null && feedback.playbookId() != null) {
      item.put("pattern", AttributeValue.fromS(pattern(feedback.signature(), feedback.playbookId())));
    }
    dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
  }

  @Override
  public List<Feedback> forIncident(String incidentId) {
    return query(QueryRequest.builder().tableName(table).consistentRead(true)
        .keyConditionExpression("pk = :pk AND begins_with(sk, :fb)")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("INC#" + incidentId),
            ":fb", AttributeValue.fromS("FB#"))).build());
  }

  @Override
  public List<Feedback> forPattern(Signature signature, String playbookId) {
    return query(QueryRequest.builder().tableName(table).indexName(BY_PATTERN_INDEX)
        .keyConditionExpression("#p = :p")
        .expressionAttributeNames(Map.of("#p", "pattern"))
        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(pattern(signature, playbookId)))).build());
  }

  private List<Feedback> query(QueryRequest request) {
    List<Feedback> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page = dynamo.query(start == null ? request : request.toBuilder().exclusiveStartKey(start).build());
      page.items().forEach(item -> out.add(ReflexJson.read(item.get("body").s(), Feedback.class)));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  private static String pattern(Signature signature, String playbookId) {
    return signature + "#" + playbookId;
  }
}
