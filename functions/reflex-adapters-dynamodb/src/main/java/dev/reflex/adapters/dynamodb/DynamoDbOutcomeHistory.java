package dev.reflex.adapters.dynamodb;

import dev.reflex.adapters.dynamodb.internal.Items;
import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.CategoryTotals;
import dev.reflex.domain.policy.PatternTotals;
import dev.reflex.domain.policy.Reliability;
import dev.reflex.domain.port.OutcomeHistory;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
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
 * Pattern occurrences and their totals, in one table keyed by {@code pk}:
 *
 * <ul>
 *   <li>{@code OCC#<incidentId>}: the occurrence; indexes {@value #BY_PATTERN_INDEX}
 *       ({@code pattern} = {@code <signature>#<playbookId>}, {@code decidedAt}) and
 *       {@value #BY_CATEGORY_INDEX} ({@code category}, {@code decidedAt});
 *   <li>{@code PAT#<pattern>}: the pattern's totals {@code occurrences, reliabilitySum, outcomes,
 *       successes} and standing {@code consecutiveFailures, disabledAt} ({@link PatternTotals});
 *   <li>{@code CAT#<category>}: the category's outcomes per UTC day of decision, attributes
 *       {@code o<epochDay>} (outcomes) and {@code s<epochDay>} (successes); days older than the
 *       history window are removed as outcomes arrive.
 * </ul>
 *
 * Totals change only in the transaction that writes the occurrence (a conditional put of the
 * decision; a conditional update of the outcome), with {@code ADD}: they never count an
 * occurrence twice and never miss one. The run of failures moves in the same transaction as a
 * first outcome ({@code ADD} 1 on a failure, {@code SET} 0 on a success); {@code disabledAt} is
 * set and removed by conditional updates ({@link #disablePattern}, {@link #reenablePattern}). A
 * decision reads them with GetItem (or within its BatchGetItem: {@link DynamoDbDecisionEvidence}),
 * never the history itself.
 */
public final class DynamoDbOutcomeHistory implements OutcomeHistory {

  public static final String BY_PATTERN_INDEX = "byPattern";
  public static final String BY_CATEGORY_INDEX = "byCategory";
  /** How many days beyond the window an outcome's update removes from its category's totals. */
  static final int PRUNED_DAYS = 31;
  private static final Map<String, AttributeValue> BACKFILL_MARKER = Map.of("pk", s("META#backfill"));
  private static final int ATTEMPTS = 8;

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

  String table() {
    return table;
  }

  /**
   * One TransactWriteItems: the occurrence put on condition it is new, and {@code ADD}s to its
   * pattern's totals (and, for an occurrence that already has its outcome, to its category's).
   */
  @Override
  public void recordDecision(PatternOccurrence o) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s("OCC#" + o.incidentId()));
    item.put("incidentId", s(o.incidentId()));
    item.put("signature", s(o.signature().toString()));
    item.put("playbookId", s(o.playbookId()));
    item.put("pattern", s(pattern(o.signature(), o.playbookId())));
    item.put("category", s(o.category()));
    item.put("reliability", decimal(o.reliability()));
    item.put("automatic", AttributeValue.fromBool(o.automatic()));
    item.put("decidedAt", s(Items.sortable(o.decidedAt())));
    if (o.success() != null) {
      item.put("success", AttributeValue.fromBool(o.success()));
    }
    Items.putIfPresent(item, "outcomeAt", o.outcomeAt());
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
        .conditionExpression("attribute_not_exists(pk)").build()).build());
    int outcomes = o.hasOutcome() ? 1 : 0;
    int successes = Boolean.TRUE.equals(o.success()) ? 1 : 0;
    writes.add(TransactWriteItem.builder().update(patternUpdate(o.signature(), o.playbookId(), 1,
        BigDecimal.valueOf(o.reliability()), outcomes, successes, Streak.KEEP)).build());
    if (o.hasOutcome()) {
      writes.add(TransactWriteItem.builder().update(categoryUpdate(o.category(), day(o.decidedAt()), 1, successes,
          List.of())).build());
    }
    for (int attempt = 1; ; attempt++) {
      try {
        dynamo.transactWriteItems(r -> r.transactItems(writes));
        return;
      } catch (TransactionCanceledException e) {
        if (failedCondition(e, 0)) {
          return; // recorded already: a retried decision
        }
        retryAfterConflict(attempt, "recording the decision of " + o.incidentId());
      }
    }
  }

  /**
   * One GetItem of the occurrence, then one TransactWriteItems: the outcome set on condition the
   * occurrence still has the outcome read, and the difference added to its pattern's and
   * category's totals; a first outcome also adds to (failure) or resets (success) the pattern's
   * run of failures. The same outcome again writes nothing.
   */
  @Override
  public void recordOutcome(String incidentId, boolean success, Instant at) {
    for (int attempt = 1; ; attempt++) {
      Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
          .key(Map.of("pk", s("OCC#" + incidentId))).consistentRead(true)).item();
      if (Items.isEmpty(item)) {
        return; // no decided occurrence for this incident: nothing to complete
      }
      PatternOccurrence o = occurrence(item);
      if (o.success() != null && o.success() == success) {
        return;
      }
      int outcomes = o.hasOutcome() ? 0 : 1;
      int successes = (success ? 1 : 0) - (Boolean.TRUE.equals(o.success()) ? 1 : 0);
      Map<String, AttributeValue> values = new HashMap<>(Map.of(":s", AttributeValue.fromBool(success),
          ":at", Items.time(at)));
      String condition = "attribute_not_exists(success)";
      if (o.hasOutcome()) {
        condition = "success = :previous";
        values.put(":previous", AttributeValue.fromBool(o.success()));
      }
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
          .key(Map.of("pk", s("OCC#" + incidentId)))
          .updateExpression("SET success = :s, outcomeAt = :at")
          .conditionExpression(condition)
          .expressionAttributeValues(values).build()).build());
      // a first outcome moves the run of failures; a changed one has been counted in it already
      Streak streak = o.hasOutcome() ? Streak.KEEP : success ? Streak.RESET : Streak.ONE_MORE;
      writes.add(TransactWriteItem.builder().update(patternUpdate(o.signature(), o.playbookId(), 0, BigDecimal.ZERO,
          outcomes, successes, streak)).build());
      long decided = day(o.decidedAt());
      long today = day(at);
      long oldest = today - Reliability.HISTORY_WINDOW.toDays();
      if (decided >= oldest) {
        List<Long> pruned = new ArrayList<>();
        for (long d = oldest - PRUNED_DAYS; d < oldest; d++) {
          pruned.add(d);
        }
        writes.add(TransactWriteItem.builder().update(categoryUpdate(o.category(), decided, outcomes, successes,
            pruned)).build());
      }
      try {
        dynamo.transactWriteItems(r -> r.transactItems(writes));
        return;
      } catch (TransactionCanceledException e) {
        if (!failedCondition(e, 0)) {
          retryAfterConflict(attempt, "recording the outcome of " + incidentId);
        } else if (attempt >= ATTEMPTS) {
          throw new ConcurrentUpdateException("the outcome of " + incidentId + " kept changing");
        }
        // the outcome changed since it was read: read it again
      }
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

  /** One conditional UpdateItem: {@code disabledAt} set unless it is set already. */
  @Override
  public boolean disablePattern(Signature signature, String playbookId, Instant at) {
    try {
      dynamo.updateItem(r -> r.tableName(table).key(patternKey(signature, playbookId))
          .updateExpression("SET #disabledAt = :at")
          .conditionExpression("attribute_not_exists(#disabledAt)")
          .expressionAttributeNames(Map.of("#disabledAt", "disabledAt"))
          .expressionAttributeValues(Map.of(":at", Items.time(at))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false; // disabled already: its first date stays
    }
  }

  /** One conditional UpdateItem: {@code disabledAt} removed and the run of failures reset, if it was disabled. */
  @Override
  public boolean reenablePattern(Signature signature, String playbookId) {
    try {
      dynamo.updateItem(r -> r.tableName(table).key(patternKey(signature, playbookId))
          .updateExpression("SET #consecutiveFailures = :zero REMOVE #disabledAt")
          .conditionExpression("attribute_exists(#disabledAt)")
          .expressionAttributeNames(Map.of("#disabledAt", "disabledAt", "#consecutiveFailures", "consecutiveFailures"))
          .expressionAttributeValues(Map.of(":zero", n(0))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /** One consistent GetItem of the pattern's totals. */
  @Override
  public PatternTotals patternTotals(Signature signature, String playbookId) {
    return patternTotals(dynamo.getItem(r -> r.tableName(table).key(patternKey(signature, playbookId))
        .consistentRead(true)).item());
  }

  /** One consistent GetItem of the category's daily totals, summed from the UTC day of {@code since}. */
  @Override
  public CategoryTotals categoryTotals(String category, Instant since) {
    return categoryTotals(dynamo.getItem(r -> r.tableName(table).key(categoryKey(category)).consistentRead(true))
        .item(), since);
  }

  /**
   * Builds the pattern and category totals of the occurrences stored before totals were kept
   * (once per table: a marker item records that it ran). Run before the store serves requests.
   */
  public void backfillTotals() {
    if (!Items.isEmpty(dynamo.getItem(r -> r.tableName(table).key(BACKFILL_MARKER).consistentRead(true)).item())) {
      return;
    }
    Map<String, PatternOccurrence> first = new LinkedHashMap<>();
    Map<String, BigDecimal[]> patterns = new TreeMap<>();
    Map<String, Map<Long, long[]>> categories = new TreeMap<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      var page = dynamo.scan(r -> r.tableName(table).consistentRead(true).filterExpression("begins_with(pk, :occ)")
          .expressionAttributeValues(Map.of(":occ", s("OCC#"))).exclusiveStartKey(from));
      for (Map<String, AttributeValue> item : page.items()) {
        PatternOccurrence o = occurrence(item);
        String pattern = pattern(o.signature(), o.playbookId());
        first.putIfAbsent(pattern, o);
        BigDecimal[] totals = patterns.computeIfAbsent(pattern, k -> new BigDecimal[] {BigDecimal.ZERO,
            BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
        totals[0] = totals[0].add(BigDecimal.ONE);
        totals[1] = totals[1].add(new BigDecimal(item.get("reliability").n()));
        if (o.hasOutcome()) {
          totals[2] = totals[2].add(BigDecimal.ONE);
          totals[3] = totals[3].add(o.success() ? BigDecimal.ONE : BigDecimal.ZERO);
          long[] day = categories.computeIfAbsent(o.category(), k -> new TreeMap<>())
              .computeIfAbsent(day(o.decidedAt()), k -> new long[2]);
          day[0]++;
          day[1] += o.success() ? 1 : 0;
        }
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    patterns.forEach((pattern, totals) -> {
      PatternOccurrence o = first.get(pattern);
      Map<String, AttributeValue> item = new HashMap<>(patternKey(o.signature(), o.playbookId()));
      item.put("occurrences", AttributeValue.fromN(totals[0].toPlainString()));
      item.put("reliabilitySum", AttributeValue.fromN(totals[1].toPlainString()));
      item.put("outcomes", AttributeValue.fromN(totals[2].toPlainString()));
      item.put("successes", AttributeValue.fromN(totals[3].toPlainString()));
      dynamo.putItem(r -> r.tableName(table).item(item));
    });
    categories.forEach((category, days) -> {
      Map<String, AttributeValue> item = new HashMap<>(categoryKey(category));
      days.forEach((day, counts) -> {
        item.put("o" + day, AttributeValue.fromN(Long.toString(counts[0])));
        item.put("s" + day, AttributeValue.fromN(Long.toString(counts[1])));
      });
      dynamo.putItem(r -> r.tableName(table).item(item));
    });
    dynamo.putItem(r -> r.tableName(table).item(BACKFILL_MARKER));
  }

  /** What an update does to a pattern's run of failures. */
  private enum Streak { KEEP, ONE_MORE, RESET }

  private Update patternUpdate(Signature signature, String playbookId, int occurrences, BigDecimal reliability,
      int outcomes, int successes, Streak streak) {
    Map<String, String> names = new HashMap<>(Map.of("#occurrences", "occurrences", "#reliabilitySum",
        "reliabilitySum", "#outcomes", "outcomes", "#successes", "successes"));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":occurrences", n(occurrences),
        ":reliability", AttributeValue.fromN(reliability.toPlainString()), ":outcomes", n(outcomes),
        ":successes", n(successes)));
    String add = "ADD #occurrences :occurrences, #reliabilitySum :reliability, #outcomes :outcomes, "
        + "#successes :successes";
    String expression = switch (streak) {
      case KEEP -> add;
      case ONE_MORE -> add + ", #consecutiveFailures :one";
      case RESET -> "SET #consecutiveFailures = :zero " + add;
    };
    if (streak != Streak.KEEP) {
      names.put("#consecutiveFailures", "consecutiveFailures");
      values.put(streak == Streak.RESET ? ":zero" : ":one", n(streak == Streak.RESET ? 0 : 1));
    }
    return Update.builder().tableName(table).key(patternKey(signature, playbookId))
        .updateExpression(expression).expressionAttributeNames(names).expressionAttributeValues(values).build();
  }

  private Update categoryUpdate(String category, long day, int outcomes, int successes, List<Long> pruned) {
    Map<String, String> names = new HashMap<>(Map.of("#o", "o" + day, "#s", "s" + day));
    StringBuilder expression = new StringBuilder("ADD #o :outcomes, #s :successes");
    if (!pruned.isEmpty()) {
      expression.append(" REMOVE ");
      for (int i = 0; i < pruned.size(); i++) {
        expression.append(i == 0 ? "" : ", ").append("#po").append(i).append(", #ps").append(i);
        names.put("#po" + i, "o" + pruned.get(i));
        names.put("#ps" + i, "s" + pruned.get(i));
      }
    }
    return Update.builder().tableName(table).key(categoryKey(category))
        .updateExpression(expression.toString())
        .expressionAttributeNames(names)
        .expressionAttributeValues(Map.of(":outcomes", n(outcomes), ":successes", n(successes)))
        .build();
  }

  static Map<String, AttributeValue> patternKey(Signature signature, String playbookId) {
    return Map.of("pk", s("PAT#" + pattern(signature, playbookId)));
  }

  static Map<String, AttributeValue> categoryKey(String category) {
    return Map.of("pk", s("CAT#" + category));
  }

  /** The totals in a {@code PAT#} item; none for a missing item. */
  static PatternTotals patternTotals(Map<String, AttributeValue> item) {
    if (Items.isEmpty(item)) {
      return PatternTotals.none();
    }
    return new PatternTotals(number(item, "occurrences"), Double.parseDouble(item.containsKey("reliabilitySum")
        ? item.get("reliabilitySum").n() : "0"), number(item, "outcomes"), number(item, "successes"),
        number(item, "consecutiveFailures"), Items.instant(item, "disabledAt"));
  }

  /** The outcomes in a {@code CAT#} item decided on or after the UTC day of {@code since}. */
  static CategoryTotals categoryTotals(Map<String, AttributeValue> item, Instant since) {
    if (Items.isEmpty(item)) {
      return CategoryTotals.none();
    }
    long first = day(since);
    long outcomes = 0;
    long successes = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      String name = attribute.getKey();
      if (name.length() > 1 && (name.charAt(0) == 'o' || name.charAt(0) == 's')
          && name.chars().skip(1).allMatch(Character::isDigit) && Long.parseLong(name.substring(1)) >= first) {
        long count = Long.parseLong(attribute.getValue().n());
        if (name.charAt(0) == 'o') {
          outcomes += count;
        } else {
          successes += count;
        }
      }
    }
    return new CategoryTotals(outcomes, successes);
  }

  private List<PatternOccurrence> query(QueryRequest request) {
    List<PatternOccurrence> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page = dynamo.query(start == null ? request : request.toBuilder().exclusiveStartKey(start).build());
      for (Map<String, AttributeValue> item : page.items()) {
        out.add(occurrence(item));
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  private static PatternOccurrence occurrence(Map<String, AttributeValue> item) {
    return new PatternOccurrence(item.get("incidentId").s(), Signature.parse(item.get("signature").s()),
        item.get("playbookId").s(), item.get("category").s(), Double.parseDouble(item.get("reliability").n()),
        item.get("automatic").bool(), Items.instant(item, "decidedAt"),
        item.containsKey("success") ? item.get("success").bool() : null, Items.instant(item, "outcomeAt"));
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? 0 : new BigDecimal(value.n()).longValueExact();
  }

  /** The UTC day number (days since the epoch) of {@code instant}: category totals are kept per day. */
  static long day(Instant instant) {
    return Math.floorDiv(instant.getEpochSecond(), 86_400L);
  }

  private static boolean failedCondition(TransactionCanceledException e, int index) {
    List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
  }

  private static void retryAfterConflict(int attempt, String what) {
    if (attempt >= ATTEMPTS) {
      throw new ConcurrentUpdateException("gave up " + what + " after " + attempt + " conflicting attempts");
    }
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(5, Math.min(200, 10L << attempt)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what, e);
    }
  }

  private static String pattern(Signature signature, String playbookId) {
    return signature + "#" + playbookId;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private static AttributeValue decimal(double value) {
    return AttributeValue.fromN(BigDecimal.valueOf(value).toPlainString());
  }
}
