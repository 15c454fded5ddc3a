package dev.reflex.local.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.adapters.dynamodb.DynamoDbPullRequestStore;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.review.SyncPlaybooks;
import java.util.List;
import java.util.Locale;

/**
 * The local review as JSON, the same on the HTTP API ({@code /api/v1/pulls}, {@code /api/v1/sync})
 * and for the CLI working straight on the data folder, so both print alike.
 */
public final class PullRequestViews {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PullRequestViews() {}

  /** id, state, branch, targetBranch, title, headSha, openedAt. */
  public static ObjectNode summary(DynamoDbPullRequestStore.Record record) {
    ObjectNode node = pullRequest(record.pullRequest());
    node.put("openedAt", record.openedAt() == null ? null : record.openedAt().toString());
    return node;
  }

  /** The summary with the review page ({@code body}) and the comments, oldest first. */
  public static ObjectNode detail(DynamoDbPullRequestStore.Record record) {
    ObjectNode node = summary(record);
    node.put("body", record.body());
    ArrayNode comments = node.putArray("comments");
    record.comments().forEach(comments::add);
    return node;
  }

  public static ArrayNode list(List<DynamoDbPullRequestStore.Record> records) {
    ArrayNode array = JSON.createArrayNode();
    records.forEach(record -> array.add(summary(record)));
    return array;
  }

  public static ObjectNode pullRequest(PullRequest pr) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", pr.id());
    node.put("state", pr.state().name().toLowerCase(Locale.ROOT));
    node.put("branch", pr.branch());
    node.put("targetBranch", pr.targetBranch());
    node.put("title", pr.title());
    node.put("headSha", pr.headSha());
    return node;
  }

  /** commitSha, changes (one line per playbook), problems (files skipped). */
  public static ObjectNode sync(SyncPlaybooks.Report report) {
    ObjectNode node = JSON.createObjectNode();
    node.put("commitSha", report.commitSha());
    ArrayNode changes = node.putArray("changes");
    report.changes().forEach(changes::add);
    ArrayNode problems = node.putArray("problems");
    report.problems().forEach(problems::add);
    return node;
  }

  /** pullRequest, tags pushed, sync. */
  public static ObjectNode merged(LocalReview.Merged merged) {
    ObjectNode node = JSON.createObjectNode();
    node.set("pullRequest", pullRequest(merged.pullRequest()));
    ArrayNode tags = node.putArray("tags");
    merged.tags().forEach(tags::add);
    node.set("sync", sync(merged.sync()));
    return node;
  }

  /** pullRequest, sync. */
  public static ObjectNode closed(LocalReview.Closed closed) {
    ObjectNode node = JSON.createObjectNode();
    node.set("pullRequest", pullRequest(closed.pullRequest()));
    node.set("sync", sync(closed.sync()));
    return node;
  }
}
