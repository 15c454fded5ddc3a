package dev.reflex.adapters.dynamodb;

import dev.reflex.adapters.dynamodb.internal.Items;
import dev.reflex.adapters.dynamodb.internal.ReflexJson;
import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.FeedbackScore;
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
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Feedback, append-only: {@code pk = INC#<incidentId>}, {@code sk = FB#<at>#<uuid>}, the feedback
 * as JSON in {@code body}; index {@value #BY_PATTERN_INDEX} on {@code pattern}
 * ({@code <signature>#<playbookId>}) and {@code at}. There is no update or delete path.
 *
 * <p>Each pattern's scores ({@link FeedbackScore}: when, and what the feedback was worth) are also
 * kept in one item, {@code pk = PAT#<pattern>}, {@code sk = SCORES}, list {@code scores} of
 * {@code {at, v}}: appended in the same transaction as the feedback, read by a decision with one
 * GetItem (or within its BatchGetItem: {@link DynamoDbDecisionEvidence}). Human feedback per
 * pattern stays far below the 400 KB item limit (about 60 bytes a score).
 */
public final class DynamoDbFeedbackStore implements FeedbackStore {

  public static final String BY_PATTERN_INDEX = "byPattern";
  static final String SCORES_SORT_KEY = "SCORES";
  private static final Map<String, AttributeValue> BACKFILL_MARKER =
      Map.of("pk", AttributeValue.fromS("META#backfill"), "sk", AttributeValue.fromS(SCORES_SORT_KEY));
  private static final int APPEND_ATTEMPTS = 8;

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

  String table() {
    return table;
  }

  /**
   * One PutItem; for feedback bound to a pattern, one TransactWriteItems that also appends its
   * score to the pattern's {@code SCORES} item ({@code list_append}).
   */
  @Override
  public void append(Feedback feedback) {
    Instant at = Objects.requireNonNull(feedback.at(), "feedback is appended once recorded (at is set)");
    String sortableAt = Items.sortable(at);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS("INC#" + feedback.incidentId()));
    item.put("sk", AttributeValue.fromS("FB#" + sortableAt + "#" + UUID.randomUUID()));
    item.put("at", AttributeValue.fromS(sortableAt));
    item.put("body", AttributeValue.fromS(ReflexJson.write(feedback)));
    if (feedback.signature() == null || feedback.playbookId() == null) {
      dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
      return;
    }
    item.put("pattern", AttributeValue.fromS(pattern(feedback.signature(), feedback.playbookId())));
    TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
        .conditionExpression("attribute_not_exists(pk)").build()).build();
    TransactWriteItem score = TransactWriteItem.builder().update(Update.builder().tableName(table)
        .key(scoresKey(feedback.signature(), feedback.playbookId()))
        .updateExpression("SET #scores = list_append(if_not_exists(#scores, :none), :score)")
        .expressionAttributeNames(Map.of("#scores", "scores"))
        .expressionAttributeValues(Map.of(":none", AttributeValue.fromL(List.of()),
            ":score", AttributeValue.fromL(List.of(scoreValue(FeedbackScore.of(feedback))))))
        .build()).build();
    for (int attempt = 1; ; attempt++) {
      try {
        dynamo.transactWriteItems(r -> r.transactItems(put, score));
        return;
      } catch (TransactionCanceledException e) {
        // a conflict with another feedback on the same pattern: it commits shortly
        if (attempt >= APPEND_ATTEMPTS) {
          throw new ConcurrentUpdateException("could not append feedback on " + feedback.incidentId() + " after "
              + attempt + " conflicting attempts");
        }
        sleep(attempt);
      }
    }
  }

  /** One consistent GetItem of the pattern's {@code SCORES} item. */
  @Override
  public List<FeedbackScore> scores(Signature signature, String playbookId) {
    return scores(dynamo.getItem(r -> r.tableName(table).key(scoresKey(signature, playbookId)).consistentRead(true))
        .item());
  }

  /**
   * Builds every pattern's {@code SCORES} item from the feedback stored before they were kept
   * (once per table: a marker item records that it ran). Run before the store serves requests.
   */
  public void backfillScores() {
    if (!Items.isEmpty(dynamo.getItem(r -> r.tableName(table).key(BACKFILL_MARKER).consistentRead(true)).item())) {
      return;
    }
    Map<String, List<Map<String, AttributeValue>>> byPattern = new java.util.TreeMap<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      var page = dynamo.scan(r -> r.tableName(table).consistentRead(true).filterExpression("attribute_exists(#p)")
          .expressionAttributeNames(Map.of("#p", "pattern")).exclusiveStartKey(from));
      for (Map<String, AttributeValue> item : page.items()) {
        Feedback feedback = ReflexJson.read(item.get("body").s(), Feedback.class);
        byPattern.computeIfAbsent(item.get("pattern").s(), k -> new ArrayList<>())
            .add(Map.of("at", AttributeValue.fromS(item.get("at").s()), "feedback", scoreValue(FeedbackScore.of(feedback))));
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    byPattern.forEach((pattern, scores) -> {
      List<AttributeValue> ordered = scores.stream().sorted(java.util.Comparator.comparing(m -> m.get("at").s()))
          .map(m -> m.get("feedback")).toList();
      dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("PAT#" + pattern),
          "sk", AttributeValue.fromS(SCORES_SORT_KEY), "scores", AttributeValue.fromL(ordered))));
    });
    dynamo.putItem(r -> r.tableName(table).item(BACKFILL_MARKER));
  }

  static Map<String, AttributeValue> scoresKey(Signature signature, String playbookId) {
    return Map.of("pk", AttributeValue.fromS("PAT#" + pattern(signature, playbookId)),
        "sk", AttributeValue.fromS(SCORES_SORT_KEY));
  }

  /** The scores in a {@code SCORES} item, oldest first; none for a missing item. */
  static List<FeedbackScore> scores(Map<String, AttributeValue> item) {
    if (Items.isEmpty(item) || !item.containsKey("scores")) {
      return List.of();
    }
    return item.get("scores").l().stream().map(value -> new FeedbackScore(
        Instant.parse(value.m().get("at").s()), Double.parseDouble(value.m().get("v").n()))).toList();
  }

  private static AttributeValue scoreValue(FeedbackScore score) {
    return AttributeValue.fromM(Map.of("at", Items.time(score.at()), "v", AttributeValue.fromN(
        java.math.BigDecimal.valueOf(score.value()).toPlainString())));
  }

  private static void sleep(int attempt) {
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, Math.min(200, 10L << attempt)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while appending feedback", e);
    }
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
