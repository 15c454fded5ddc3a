package dev.reflex.adapters.git;

import dev.reflex.adapters.files.CatalogException;
import dev.reflex.adapters.files.PlaybookYaml;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.port.ReviewedPlaybooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The reviewed playbooks: {@code playbooks/<id>/} and {@code learned/<id>/} on the target branch,
 * read through {@link JGitPlaybookRepository#readTarget}. A folder that does not parse is reported
 * as a problem ({@code file:line: message}) and skipped.
 */
public final class JGitReviewedPlaybooks implements ReviewedPlaybooks {

  public static final List<String> FOLDERS = List.of("playbooks/", JGitPlaybookRepository.DRAFT_FOLDER);

  private final JGitPlaybookRepository repository;

  public JGitReviewedPlaybooks(JGitPlaybookRepository repository) {
    this.repository = Objects.requireNonNull(repository, "repository");
  }

  @Override
  public Snapshot read() {
    JGitPlaybookRepository.TargetTree tree = repository.readTarget(FOLDERS);
    Map<String, String> files = tree.files();
    TreeSet<String> folders = new TreeSet<>();
    for (String path : files.keySet()) {
      String[] parts = path.split("/");
      if (parts.length == 3 && parts[2].equals(PlaybookYaml.META_FILE)) {
        folders.add(parts[0] + "/" + parts[1] + "/");
      }
    }
    List<Playbook> playbooks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String folder : folders) {
      String meta = folder + PlaybookYaml.META_FILE;
      String play = folder + PlaybookYaml.PLAYBOOK_FILE;
      if (!files.containsKey(play)) {
        problems.add(play + ":1: file is missing");
        continue;
      }
      try {
        Playbook playbook = PlaybookYaml.parse(files.get(meta), meta, files.get(play), play);
        if (!folder.endsWith("/" + playbook.id() + "/")) {
          problems.add(meta + ":1: id '" + playbook.id() + "' differs from its folder name");
          continue;
        }
        playbooks.add(playbook);
      } catch (CatalogException e) {
        problems.add(e.getMessage());
      }
    }
    return new Snapshot(tree.commitSha(), playbooks, problems);
  }
}
