package dev.reflex.domain.review;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.PlaybookAlreadyExistsException;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.model.PullRequestState;
import dev.reflex.domain.port.PlaybookStore;
import dev.reflex.domain.port.PullRequestProvider;
import dev.reflex.domain.port.ReviewedPlaybooks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Review decides what runs: brings the metadata store in line with the playbook repository's
 * target branch and the review branches' pull requests.
 *
 * <ul>
 *   <li>A playbook on the target branch ({@code playbooks/} or {@code learned/}) is ACTIVE at the
 *       version and commit found there, unless its meta.yml says DISABLED or REJECTED. Its learning
 *       counters (confidence, successes, failures) are kept from the store: they never live in Git.
 *   <li>A stored draft still PENDING_REVIEW at a newer version than the branch's is left alone: a
 *       newer draft is under review.
 *   <li>A PENDING_REVIEW draft whose latest pull request was CLOSED (not merged) becomes REJECTED:
 *       it is never matched again for its signature, and new drafts for it are not proposed.
 * </ul>
 *
 * Idempotent: a second run with nothing new changes nothing.
 */
public final class SyncPlaybooks {

  static final int ATTEMPTS = 5;

  /** What one run changed, one readable line per playbook, plus the files it could not read. */
  public record Report(String commitSha, List<String> changes, List<String> problems, List<Playbook> activated) {
    public Report {
      changes = List.copyOf(changes);
      problems = List.copyOf(problems);
      activated = List.copyOf(activated);
    }
  }

  private final ReviewedPlaybooks reviewed;
  private final PlaybookStore store;
  private final PullRequestProvider pullRequests;
  private final String targetBranch;

  /**
   * @param pullRequests {@code null} when there are none (closed reviews are then not detected)
   * @param targetBranch the reviewed branch, recorded as the branch of active playbooks
   */
  public SyncPlaybooks(ReviewedPlaybooks reviewed, PlaybookStore store, PullRequestProvider pullRequests,
      String targetBranch) {
    this.reviewed = Objects.requireNonNull(reviewed, "reviewed");
    this.store = Objects.requireNonNull(store, "store");
    this.pullRequests = pullRequests;
    this.targetBranch = Objects.requireNonNull(targetBranch, "targetBranch");
  }

  public Report sync() {
    ReviewedPlaybooks.Snapshot snapshot = reviewed.read();
    List<String> changes = new ArrayList<>();
    List<Playbook> activated = new ArrayList<>();
    Map<String, Playbook> onTarget = new HashMap<>();
    for (Playbook playbook : snapshot.playbooks()) {
      onTarget.put(playbook.id(), playbook);
      Optional<String> change = activate(playbook, snapshot.commitSha());
      change.ifPresent(changes::add);
      if (change.isPresent() && change.get().contains(": active (")) {
        activated.add(playbook);
      }
    }
    if (pullRequests != null) {
      for (Playbook stored : store.list()) {
        if (stored.status() == PlaybookStatus.PENDING_REVIEW && stored.branch() != null
            && !onTargetAtVersion(onTarget.get(stored.id()), stored)) {
          Optional<PullRequest> latest = pullRequests.findLatest(stored.branch());
          if (latest.isPresent() && latest.get().state() == PullRequestState.CLOSED) {
            reject(stored.id(), latest.get()).ifPresent(changes::add);
          }
        }
      }
    }
    return new Report(snapshot.commitSha(), changes, snapshot.problems(), activated);
  }

  private static boolean onTargetAtVersion(Playbook reviewedVersion, Playbook stored) {
    return reviewedVersion != null && SemanticVersions.compare(reviewedVersion.version(), stored.version()) >= 0;
  }

  private Optional<String> activate(Playbook reviewedVersion, String commitSha) {
    PlaybookStatus status = reviewedVersion.status() == PlaybookStatus.DISABLED
        || reviewedVersion.status() == PlaybookStatus.REJECTED ? reviewedVersion.status() : PlaybookStatus.ACTIVE;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Playbook> found = store.find(reviewedVersion.id());
      if (found.isEmpty()) {
        try {
          store.create(reviewedVersion.withStatus(status).withCommit(targetBranch, commitSha).withRevision(0));
          return Optional.of(reviewedVersion.id() + "@" + reviewedVersion.version() + ": " + wire(status)
              + " (new, commit " + shortSha(commitSha) + ")");
        } catch (PlaybookAlreadyExistsException e) {
          continue;
        }
      }
      Playbook stored = found.get();
      int order = SemanticVersions.compare(reviewedVersion.version(), stored.version());
      if (order < 0 && stored.status() == PlaybookStatus.PENDING_REVIEW) {
        return Optional.empty(); // a newer draft is under review
      }
      if (order == 0 && stored.status() == status && targetBranch.equals(stored.branch())) {
        return Optional.empty(); // already in line
      }
      Playbook next = reviewedVersion.withStatus(status).withStats(keep(stored.stats()))
          .withCommit(targetBranch, commitSha).withRevision(stored.revision());
      try {
        store.update(next);
        return Optional.of(reviewedVersion.id() + "@" + reviewedVersion.version() + ": " + wire(status)
            + " (was " + stored.version() + " " + wire(stored.status()) + ", commit " + shortSha(commitSha) + ")");
      } catch (ConcurrentUpdateException e) {
        // read again
      }
    }
    throw new ConcurrentUpdateException("playbook " + reviewedVersion.id() + " kept changing during sync");
  }

  private Optional<String> reject(String id, PullRequest closed) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Playbook> found = store.find(id);
      if (found.isEmpty() || found.get().status() != PlaybookStatus.PENDING_REVIEW) {
        return Optional.empty();
      }
      try {
        store.update(found.get().withStatus(PlaybookStatus.REJECTED));
        return Optional.of(id + "@" + found.get().version() + ": rejected (" + closed.describe() + " was closed)");
      } catch (ConcurrentUpdateException e) {
        // read again
      }
    }
    throw new ConcurrentUpdateException("playbook " + id + " kept changing during sync");
  }

  private static PlaybookStats keep(PlaybookStats stats) {
    return stats;
  }

  private static String wire(PlaybookStatus status) {
    return status.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String shortSha(String sha) {
    return sha == null ? "none" : sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
