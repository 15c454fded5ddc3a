package dev.reflex.adapters.dynamodb;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.policy.CategoryTotals;
import dev.reflex.domain.policy.FeedbackScore;
import dev.reflex.domain.policy.PatternTotals;
import dev.reflex.domain.port.ActionCounters;
import dev.reflex.domain.port.DecisionEvidence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * A decision's evidence in one consistent BatchGetItem across four tables: the playbook
 * ({@code PB#<id>}), the pattern's feedback scores ({@code PAT#<pattern>/SCORES} in the feedback
 * table), the pattern's and the category's totals ({@code PAT#<pattern>}, {@code CAT#<category>}
 * in the outcome table) and the rate-limit buckets and cooldown ({@code CNT#...}, {@code COOL#...}).
 * At most nine keys; keys DynamoDB leaves unprocessed are asked for again.
 */
public final class DynamoDbDecisionEvidence implements DecisionEvidence {

  private final DynamoDbClient dynamo;
  private final DynamoDbPlaybookStore playbooks;
  private final DynamoDbFeedbackStore feedback;
  private final DynamoDbOutcomeHistory history;
  private final DynamoDbActionCounters counters;

  public DynamoDbDecisionEvidence(DynamoDbClient dynamo, DynamoDbPlaybookStore playbooks,
      DynamoDbFeedbackStore feedback, DynamoDbOutcomeHistory history, DynamoDbActionCounters counters) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
    this.feedback = Objects.requireNonNull(feedback, "feedback");
    this.history = Objects.requireNonNull(history, "history");
    this.counters = Objects.requireNonNull(counters, "counters");
  }

  @Override
  public Evidence gather(Request request) {
    Instant now = counters.clock().instant();
    Keys keys = new Keys();
    Map<String, AttributeValue> playbookKey = DynamoDbPlaybookStore.playbookKey(request.playbookId());
    keys.add(playbooks.table(), playbookKey);
    Map<String, AttributeValue> scoresKey = null;
    Map<String, AttributeValue> patternKey = null;
    if (request.signature() != null) {
      scoresKey = DynamoDbFeedbackStore.scoresKey(request.signature(), request.playbookId());
      patternKey = DynamoDbOutcomeHistory.patternKey(request.signature(), request.playbookId());
      keys.add(feedback.table(), scoresKey);
      keys.add(history.table(), patternKey);
    }
    Map<String, AttributeValue> categoryKey = DynamoDbOutcomeHistory.categoryKey(request.category());
    keys.add(history.table(), categoryKey);
    DynamoDbActionCounters.keys(request.slots(), now).forEach(key -> keys.add(counters.table(), key));

    Map<String, List<Map<String, AttributeValue>>> found = keys.read(dynamo);
    Optional<Playbook> playbook = Optional.ofNullable(keys.find(found, playbooks.table(), playbookKey))
        .map(DynamoDbPlaybookStore::fromItem);
    List<FeedbackScore> scores = scoresKey == null ? List.of()
        : DynamoDbFeedbackStore.scores(keys.find(found, feedback.table(), scoresKey));
    PatternTotals pattern = patternKey == null ? PatternTotals.none()
        : DynamoDbOutcomeHistory.patternTotals(keys.find(found, history.table(), patternKey));
    CategoryTotals category = DynamoDbOutcomeHistory.categoryTotals(
        keys.find(found, history.table(), categoryKey), request.historySince());
    Map<String, Map<String, AttributeValue>> counterItems = new HashMap<>();
    found.getOrDefault(counters.table(), List.of()).forEach(item -> counterItems.put(item.get("pk").s(), item));
    ActionCounters.Usage usage = request.slots().isEmpty() ? ActionCounters.Usage.none()
        : DynamoDbActionCounters.usage(request.slots(), counterItems, now);
    return new Evidence(playbook, scores, pattern, category, usage);
  }

  /** The keys to read, per table (two of the tables may be one). */
  private static final class Keys {
    private final Map<String, List<Map<String, AttributeValue>>> byTable = new LinkedHashMap<>();

    void add(String table, Map<String, AttributeValue> key) {
      byTable.computeIfAbsent(table, t -> new ArrayList<>()).add(key);
    }

    Map<String, List<Map<String, AttributeValue>>> read(DynamoDbClient dynamo) {
      Map<String, List<Map<String, AttributeValue>>> found = new HashMap<>();
      Map<String, KeysAndAttributes> request = new HashMap<>();
      byTable.forEach((table, keys) ->
          request.put(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build()));
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> current = Map.copyOf(request);
        BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(current));
        response.responses().forEach((table, items) ->
            found.computeIfAbsent(table, t -> new ArrayList<>()).addAll(items));
        request.clear();
        if (response.hasUnprocessedKeys()) {
          request.putAll(response.unprocessedKeys());
        }
      }
      return found;
    }

    /** The item of {@code table} with exactly the attributes of {@code key}, or null. */
    Map<String, AttributeValue> find(Map<String, List<Map<String, AttributeValue>>> found, String table,
        Map<String, AttributeValue> key) {
      for (Map<String, AttributeValue> item : found.getOrDefault(table, List.of())) {
        if (key.entrySet().stream().allMatch(part -> part.getValue().equals(item.get(part.getKey())))) {
          return item;
        }
      }
      return null;
    }
  }

  @Override
  public String toString() {
    return "DynamoDbDecisionEvidence[" + playbooks.table() + ", " + feedback.table() + ", " + history.table() + ", "
        + counters.table() + "]";
  }
}
