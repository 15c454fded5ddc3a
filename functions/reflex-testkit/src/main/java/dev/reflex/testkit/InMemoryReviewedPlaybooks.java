package dev.reflex.testkit;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.port.ReviewedPlaybooks;
import java.util.ArrayList;
import java.util.List;

/** The target branch as a list: {@link #merge} puts a playbook on it at a new commit. */
public final class InMemoryReviewedPlaybooks implements ReviewedPlaybooks {

  private final List<Playbook> onTarget = new ArrayList<>();
  private String commitSha = "0".repeat(40);
  private int commits;
  private int reads;

  @Override
  public synchronized Snapshot read() {
    reads++;
    return new Snapshot(commitSha, onTarget, List.of());
  }

  /** A new commit on the target branch holding {@code playbook} (replacing the one with its id). */
  public synchronized String merge(Playbook playbook) {
    onTarget.removeIf(p -> p.id().equals(playbook.id()));
    onTarget.add(playbook);
    commits++;
    commitSha = String.format("%040x", commits);
    return commitSha;
  }

  /** How many times sync read the branch. */
  public synchronized int reads() {
    return reads;
  }
}
