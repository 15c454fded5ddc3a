package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.internal.Items.s;

import dev.reflex.adapters.dynamodb.internal.Items;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.model.PullRequestState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The local provider's pull-request records, in the playbooks table (no table of their own):
 *
 * <ul>
 *   <li>{@code PR#<id>}/{@code PULL_REQUEST}: {@code id, number, branch, targetBranch, title, url,
 *       state, headSha, body, comments (list), openedAt, updatedAt};
 *   <li>{@code PRBRANCH#<branch>}/{@code OPEN}: the guard that makes "one open pull request per
 *       branch" hold under concurrent drafts; written and deleted in the same transaction as the
 *       state change;
 *   <li>{@code PR#COUNTER}/{@code COUNTER}: the last number handed out ({@code pr-1}, {@code pr-2}, ...).
 * </ul>
 *
 * These sort keys never equal {@code PLAYBOOK}, so playbook listings do not see them.
 */
public final class DynamoDbPullRequestStore {

  public static final String PROVIDER = "local";
  static final String SORT_KEY = "PULL_REQUEST";

  /** A stored pull request with its review page and comments. */
  public record Record(PullRequest pullRequest, String body, List<String> comments, Instant openedAt,
      Instant updatedAt) {
    public Record {
      Objects.requireNonNull(pullRequest, "pullRequest");
      body = Objects.requireNonNullElse(body, "");
      comments = List.copyOf(comments);
    }
  }

  /** The branch has an open pull request already. */
  public static final class AlreadyOpenException extends RuntimeException {
    AlreadyOpenException(String branch) {
      super("a pull request for " + branch + " is open already");
    }
  }

  /** The pull request is not open any more (merged or closed meanwhile). */
  public static final class NotOpenException extends RuntimeException {
    NotOpenException(String id) {
      super("pull request " + id + " is not open");
    }
  }

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbPullRequestStore(DynamoDbClient dynamo) {
    this(dynamo, TableNames.defaults().playbooks());
  }

  public DynamoDbPullRequestStore(DynamoDbClient dynamo, String playbooksTable) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(playbooksTable, "playbooksTable");
  }

  /**
   * Opens a pull request for {@code branch}.
   *
   * @throws AlreadyOpenException when one is open for the branch
   */
  public Record open(String branch, String targetBranch, String title, String body, String headSha, Instant now) {
    long number = dynamo.updateItem(r -> r.tableName(table)
            .key(Map.of("pk", s("PR#COUNTER"), "sk", s("COUNTER")))
            .updateExpression("ADD #n :one")
            .expressionAttributeNames(Map.of("#n", "number"))
            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
            .returnValues(ReturnValue.UPDATED_NEW))
        .attributes().get("number").n().transform(Long::parseLong);
    String id = "pr-" + number;
    PullRequest pr = new PullRequest(id, PROVIDER, branch, targetBranch, title, "", PullRequestState.OPEN, headSha);
    Record record = new Record(pr, body, List.of(), now, now);
    try {
      dynamo.transactWriteItems(t -> t.transactItems(
          i -> i.put(p -> p.tableName(table).item(Map.of("pk", s(guardKey(branch)), "sk", s("OPEN"), "id", s(id)))
              .conditionExpression("attribute_not_exists(pk)")),
          i -> i.put(p -> p.tableName(table).item(item(record, number)).conditionExpression("attribute_not_exists(pk)"))));
    } catch (TransactionCanceledException e) {
      throw new AlreadyOpenException(branch);
    }
    return record;
  }

  public Optional<Record> find(String id) {
    Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true)).item();
    return Items.isEmpty(item) ? Optional.empty() : Optional.of(fromItem(item));
  }

  public Optional<Record> findOpen(String branch) {
    Map<String, AttributeValue> guard = dynamo.getItem(r -> r.tableName(table)
        .key(Map.of("pk", s(guardKey(branch)), "sk", s("OPEN"))).consistentRead(true)).item();
    return Items.isEmpty(guard) ? Optional.empty() : find(Items.requiredString(guard, "id"));
  }

  /** The branch's most recent pull request in any state. */
  public Optional<Record> findLatest(String branch) {
    return list().stream().filter(r -> r.pullRequest().branch().equals(branch)).reduce((first, second) -> second);
  }

  /** Every pull request, oldest first. A scan: the local provider holds few. */
  public List<Record> list() {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      ScanRequest.Builder request = ScanRequest.builder().tableName(table).consistentRead(true)
          .filterExpression("sk = :sk").expressionAttributeValues(Map.of(":sk", s(SORT_KEY)));
      if (start != null) {
        request.exclusiveStartKey(start);
      }
      ScanResponse page = dynamo.scan(request.build());
      items.addAll(page.items());
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return items.stream().sorted(Comparator.comparingLong(item -> Items.number(item, "number")))
        .map(DynamoDbPullRequestStore::fromItem).toList();
  }

  public void comment(String id, String markdown, Instant now) {
    dynamo.updateItem(r -> r.tableName(table).key(key(id))
        .updateExpression("SET comments = list_append(if_not_exists(comments, :empty), :c), updatedAt = :now")
        .conditionExpression("attribute_exists(pk)")
        .expressionAttributeValues(Map.of(":c", AttributeValue.fromL(List.of(s(markdown))),
            ":empty", AttributeValue.fromL(List.of()), ":now", Items.time(now))));
  }

  /**
   * Moves an open pull request to MERGED or CLOSED and frees its branch for a new one.
   *
   * @throws NotOpenException when it is not open (any more)
   */
  public Record finish(String id, PullRequestState state, String headSha, String comment, Instant now) {
    if (state == PullRequestState.OPEN) {
      throw new IllegalArgumentException("finish moves a pull request to MERGED or CLOSED");
    }
    Record record = find(id).orElseThrow(() -> new NotOpenException(id));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":state", s(state.name()), ":open", s("OPEN"),
        ":now", Items.time(now), ":c", AttributeValue.fromL(comment == null ? List.of() : List.of(s(comment))),
        ":empty", AttributeValue.fromL(List.of())));
    String set = "SET #state = :state, updatedAt = :now, comments = list_append(if_not_exists(comments, :empty), :c)";
    if (headSha != null) {
      set += ", headSha = :sha";
      values.put(":sha", s(headSha));
    }
    String update = set;
    try {
      dynamo.transactWriteItems(t -> t.transactItems(
          i -> i.update(u -> u.tableName(table).key(key(id)).updateExpression(update)
              .conditionExpression("#state = :open").expressionAttributeNames(Map.of("#state", "state"))
              .expressionAttributeValues(values)),
          i -> i.delete(d -> d.tableName(table)
              .key(Map.of("pk", s(guardKey(record.pullRequest().branch())), "sk", s("OPEN"))))));
    } catch (TransactionCanceledException e) {
      throw new NotOpenException(id);
    }
    return find(id).orElseThrow();
  }

  private static Map<String, AttributeValue> key(String id) {
    return Map.of("pk", s("PR#" + id), "sk", s(SORT_KEY));
  }

  private static String guardKey(String branch) {
    return "PRBRANCH#" + branch;
  }

  private static Map<String, AttributeValue> item(Record record, long number) {
    PullRequest pr = record.pullRequest();
    Map<String, AttributeValue> item = new HashMap<>(key(pr.id()));
    item.put("id", s(pr.id()));
    item.put("number", AttributeValue.fromN(Long.toString(number)));
    item.put("branch", s(pr.branch()));
    item.put("targetBranch", s(pr.targetBranch()));
    item.put("title", s(pr.title()));
    item.put("state", s(pr.state().name()));
    Items.putIfPresent(item, "headSha", pr.headSha());
    item.put("body", s(record.body()));
    item.put("comments", AttributeValue.fromL(record.comments().stream().map(Items::s).toList()));
    item.put("openedAt", Items.time(record.openedAt()));
    item.put("updatedAt", Items.time(record.updatedAt()));
    return item;
  }

  private static Record fromItem(Map<String, AttributeValue> item) {
    List<String> comments = item.containsKey("comments")
        ? item.get("comments").l().stream().map(AttributeValue::s).toList() : List.of();
    PullRequest pr = new PullRequest(Items.requiredString(item, "id"), PROVIDER, Items.requiredString(item, "branch"),
        Items.requiredString(item, "targetBranch"), Items.string(item, "title"), "",
        PullRequestState.valueOf(Items.requiredString(item, "state")), Items.string(item, "headSha"));
    return new Record(pr, Items.string(item, "body"), comments, Items.instant(item, "openedAt"),
        Items.instant(item, "updatedAt"));
  }
}
