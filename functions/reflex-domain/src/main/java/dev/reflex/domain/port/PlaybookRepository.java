package dev.reflex.domain.port;

import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.Signature;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The playbook Git repository as Reflex writes to it: drafts are committed on their own branch
 * ({@code learned/<signature-slug>}) for people to review; nothing lands on the main branch
 * without review.
 */
public interface PlaybookRepository {

  /**
   * Commits the draft's playbook, its metadata and its test cases on its review branch, in one
   * commit.
   *
   * @param message the commit message, carrying the incident context
   * @param tests sample incidents the repository's offline tester replays
   *     ({@code <folder>/tests/<case>/alert.json} and {@code expected.yml})
   */
  CommitRef proposeDraft(Playbook draft, String message, List<TestCase> tests);

  /** A draft without test cases. */
  default CommitRef proposeDraft(Playbook draft, String message) {
    return proposeDraft(draft, message, List.of());
  }

  /** The content of {@code path} at {@code commitSha}, if the file exists there. */
  Optional<String> readFile(String commitSha, String path);

  record CommitRef(String branch, String commitSha) {}

  /**
   * One sample incident of a playbook and what the matcher must conclude for it.
   *
   * @param name the case folder's name: lower-case letters, digits and dashes
   * @param alert the incident's alert, written as an Alertmanager webhook body
   * @param anomalyType the anomaly detection must find
   * @param signature the signature detection must compute
   * @param playbookId the playbook the matcher must pick
   */
  record TestCase(String name, Alert alert, String anomalyType, Signature signature, String playbookId) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,79}");

    public TestCase {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("test case name must be 1-80 lower-case letters, digits and dashes: "
            + name);
      }
      Objects.requireNonNull(alert, "alert");
      Objects.requireNonNull(anomalyType, "anomalyType");
      Objects.requireNonNull(signature, "signature");
      Objects.requireNonNull(playbookId, "playbookId");
    }

    /** A case name from any text (an incident id): lower-cased, other characters become dashes. */
    public static String nameOf(String text) {
      String slug = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
      slug = slug.length() > 80 ? slug.substring(0, 80).replaceAll("-+$", "") : slug;
      return slug.isEmpty() ? "case" : slug;
    }
  }
}
