package dev.reflex.domain.port;

import dev.reflex.domain.model.Playbook;
import java.util.List;
import java.util.Objects;

/**
 * The playbooks people have reviewed: the content of the playbook repository's target branch
 * ({@code playbooks/} and {@code learned/} on {@code main}), read at one commit.
 */
public interface ReviewedPlaybooks {

  Snapshot read();

  /**
   * @param commitSha the target branch's commit the playbooks were read at
   * @param problems files that could not be read, as {@code file:line: message}; they are skipped
   */
  record Snapshot(String commitSha, List<Playbook> playbooks, List<String> problems) {
    public Snapshot {
      Objects.requireNonNull(commitSha, "commitSha");
      playbooks = List.copyOf(playbooks);
      problems = List.copyOf(problems);
    }
  }
}
