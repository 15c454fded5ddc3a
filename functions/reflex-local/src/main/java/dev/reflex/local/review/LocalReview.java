package dev.reflex.local.review;

import dev.reflex.adapters.dynamodb.DynamoDbPullRequestStore;
import dev.reflex.adapters.git.JGitPlaybookRepository;
import dev.reflex.adapters.git.JGitReviewedPlaybooks;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.port.PlaybookStore;
import dev.reflex.domain.review.SyncPlaybooks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The review workflow of the embedded default in one place, for the CLI and for whoever wires
 * the embedded runtime: the local pull-request provider, sync, and merge = merge the branch, tag
 * each version it releases ({@code <playbook-id>/v<version>}), then sync.
 */
public final class LocalReview {

  /** What a merge did: the pull request, the tags it pushed and what sync changed. */
  public record Merged(PullRequest pullRequest, List<String> tags, SyncPlaybooks.Report sync) {}

  /** What a close did: the pull request and what sync changed (its draft rejected). */
  public record Closed(PullRequest pullRequest, SyncPlaybooks.Report sync) {}

  private final LocalPullRequestProvider provider;
  private final JGitPlaybookRepository repository;
  private final SyncPlaybooks sync;

  public LocalReview(DynamoDbClient dynamo, String playbooksTable, JGitPlaybookRepository repository,
      PlaybookStore playbooks, String targetBranch, Clock clock) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.provider = new LocalPullRequestProvider(new DynamoDbPullRequestStore(dynamo, playbooksTable), repository,
        targetBranch, clock);
    this.sync = new SyncPlaybooks(new JGitReviewedPlaybooks(repository), playbooks, provider, targetBranch);
  }

  /** The provider to give {@code ConsultForPlaybook}'s new constructor. */
  public LocalPullRequestProvider pullRequests() {
    return provider;
  }

  public SyncPlaybooks.Report sync() {
    return sync.sync();
  }

  public Merged merge(String id) {
    PullRequest merged = provider.merge(id);
    SyncPlaybooks.Report report = sync.sync();
    List<String> tags = new ArrayList<>();
    for (Playbook playbook : report.activated()) {
      String tag = playbook.id() + "/v" + playbook.version();
      repository.tag(tag, report.commitSha(), "Release " + playbook.id() + " " + playbook.version()
          + " (" + merged.id() + ")");
      tags.add(tag);
    }
    return new Merged(merged, tags, report);
  }

  public Closed close(String id, String reason) {
    PullRequest closed = provider.close(id, reason);
    return new Closed(closed, sync.sync());
  }
}
