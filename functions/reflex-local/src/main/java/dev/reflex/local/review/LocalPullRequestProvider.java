package dev.reflex.local.review;

import dev.reflex.adapters.dynamodb.DynamoDbPullRequestStore;
import dev.reflex.adapters.git.JGitPlaybookRepository;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.model.PullRequestState;
import dev.reflex.domain.port.PullRequestProvider;
import java.time.Clock;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded default's pull requests: a record in DynamoDB ({@link DynamoDbPullRequestStore})
 * over the local bare repository. Merging merges the review branch into the target branch with
 * JGit (fast-forward, or a merge commit by Reflex); closing only records the decision.
 */
public final class LocalPullRequestProvider implements PullRequestProvider {

  private final DynamoDbPullRequestStore store;
  private final JGitPlaybookRepository repository;
  private final String targetBranch;
  private final Clock clock;

  public LocalPullRequestProvider(DynamoDbPullRequestStore store, JGitPlaybookRepository repository,
      String targetBranch, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.repository = Objects.requireNonNull(repository, "repository");
    this.targetBranch = Objects.requireNonNull(targetBranch, "targetBranch");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return DynamoDbPullRequestStore.PROVIDER;
  }

  @Override
  public PullRequest open(PullRequestRequest request) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<PullRequest> existing = findOpen(request.branch());
      if (existing.isPresent()) {
        comment(existing.get(), request.reasonForUpdate() == null
            ? "The branch was updated." : request.reasonForUpdate());
        return existing.get();
      }
      try {
        String head = repository.remoteHead(request.branch()).orElse(null);
        return store.open(request.branch(), request.targetBranch() == null ? targetBranch : request.targetBranch(),
            request.title(), request.bodyMarkdown(), head, clock.instant()).pullRequest();
      } catch (DynamoDbPullRequestStore.AlreadyOpenException e) {
        // opened concurrently: comment on that one
      }
    }
    throw new IllegalStateException("the pull request of " + request.branch() + " kept changing");
  }

  @Override
  public Optional<PullRequest> findOpen(String branch) {
    return store.findOpen(branch).map(DynamoDbPullRequestStore.Record::pullRequest);
  }

  @Override
  public Optional<PullRequest> findLatest(String branch) {
    return store.findLatest(branch).map(DynamoDbPullRequestStore.Record::pullRequest);
  }

  @Override
  public void comment(PullRequest pullRequest, String markdown) {
    store.comment(pullRequest.id(), markdown, clock.instant());
  }

  @Override
  public PullRequestState state(String id) {
    return record(id).pullRequest().state();
  }

  /** Merges the review branch into the target branch in the bare repository, then records it. */
  @Override
  public PullRequest merge(String id) {
    PullRequest pr = openOne(id);
    String sha = repository.mergeIntoTarget(pr.branch(), "Merge pull request " + pr.id() + " from " + pr.branch()
        + "\n\n" + pr.title() + "\n");
    return store.finish(id, PullRequestState.MERGED, sha, "Merged into " + pr.targetBranch() + " at " + sha,
        clock.instant()).pullRequest();
  }

  @Override
  public PullRequest close(String id, String reason) {
    openOne(id);
    String why = reason == null || reason.isBlank() ? "Closed without merging." : "Closed without merging: " + reason;
    return store.finish(id, PullRequestState.CLOSED, null, why, clock.instant()).pullRequest();
  }

  public DynamoDbPullRequestStore.Record record(String id) {
    return store.find(id).orElseThrow(() -> new NoSuchElementException("no pull request " + id));
  }

  public java.util.List<DynamoDbPullRequestStore.Record> list() {
    return store.list();
  }

  private PullRequest openOne(String id) {
    PullRequest pr = record(id).pullRequest();
    if (!pr.open()) {
      throw new IllegalStateException("pull request " + id + " is " + pr.state().name().toLowerCase(java.util.Locale.ROOT));
    }
    return pr;
  }
}
