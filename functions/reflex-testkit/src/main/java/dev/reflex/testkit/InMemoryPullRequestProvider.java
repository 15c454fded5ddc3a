package dev.reflex.testkit;

import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.model.PullRequestState;
import dev.reflex.domain.port.PullRequestProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Pull requests in memory, with their bodies and comments, for service tests. */
public final class InMemoryPullRequestProvider implements PullRequestProvider {

  public record Stored(PullRequest pullRequest, String body, List<String> comments) {}

  private final Map<String, Stored> byId = new LinkedHashMap<>();
  private int sequence;
  private RuntimeException failure;

  @Override
  public String name() {
    return "memory";
  }

  /** Every later call throws {@code failure} (null: behave again). */
  public synchronized void failWith(RuntimeException failure) {
    this.failure = failure;
  }

  @Override
  public synchronized PullRequest open(PullRequestRequest request) {
    failIfAsked();
    Optional<PullRequest> existing = findOpen(request.branch());
    if (existing.isPresent()) {
      comment(existing.get(), request.reasonForUpdate() == null ? "updated" : request.reasonForUpdate());
      return existing.get();
    }
    String id = String.valueOf(++sequence);
    PullRequest pr = new PullRequest(id, name(), request.branch(),
        request.targetBranch() == null ? "main" : request.targetBranch(), request.title(), "memory://pulls/" + id,
        PullRequestState.OPEN, null);
    byId.put(id, new Stored(pr, request.bodyMarkdown(), new ArrayList<>()));
    return pr;
  }

  @Override
  public synchronized Optional<PullRequest> findOpen(String branch) {
    failIfAsked();
    return byId.values().stream().map(Stored::pullRequest).filter(pr -> pr.open() && pr.branch().equals(branch))
        .findFirst();
  }

  @Override
  public synchronized Optional<PullRequest> findLatest(String branch) {
    failIfAsked();
    return byId.values().stream().map(Stored::pullRequest).filter(pr -> pr.branch().equals(branch))
        .reduce((first, second) -> second);
  }

  @Override
  public synchronized void comment(PullRequest pullRequest, String markdown) {
    failIfAsked();
    get(pullRequest.id()).comments().add(markdown);
  }

  @Override
  public synchronized PullRequestState state(String id) {
    return get(id).pullRequest().state();
  }

  @Override
  public synchronized PullRequest merge(String id) {
    return move(id, PullRequestState.MERGED);
  }

  @Override
  public synchronized PullRequest close(String id, String reason) {
    get(id).comments().add("closed: " + reason);
    return move(id, PullRequestState.CLOSED);
  }

  public synchronized List<Stored> all() {
    return List.copyOf(byId.values());
  }

  private PullRequest move(String id, PullRequestState state) {
    Stored stored = get(id);
    PullRequest moved = stored.pullRequest().withState(state);
    byId.put(id, new Stored(moved, stored.body(), stored.comments()));
    return moved;
  }

  private Stored get(String id) {
    Stored stored = byId.get(id);
    if (stored == null) {
      throw new NoSuchElementException("no pull request " + id);
    }
    return stored;
  }

  private void failIfAsked() {
    if (failure != null) {
      throw failure;
    }
  }
}
