package dev.reflex.testkit;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.port.PlaybookRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link PlaybookRepository} that records each proposal and answers with a fake 40-hex SHA. */
public final class RecordingPlaybookRepository implements PlaybookRepository {

  /** One proposed draft, its commit message, its test cases and the commit it got. */
  public record Proposal(Playbook draft, String message, List<TestCase> tests, CommitRef ref) {}

  private final List<Proposal> proposals = new ArrayList<>();
  private final Map<String, String> files = new HashMap<>();
  private String refusal;

  @Override
  public synchronized CommitRef proposeDraft(Playbook draft, String message, List<TestCase> tests) {
    String branch = draft.signature() == null ? "learned/" + draft.id() : "learned/" + draft.signature().slug();
    String sha = sha1(draft.id() + "@" + draft.version() + "#" + proposals.size());
    CommitRef ref = new CommitRef(branch, sha);
    if (refusal != null) {
      String why = refusal;
      refusal = null;
      throw new dev.reflex.domain.error.DraftNotPublishedException(branch, sha, why);
    }
    proposals.add(new Proposal(draft, message, List.copyOf(tests), ref));
    return ref;
  }

  @Override
  public synchronized Optional<String> readFile(String commitSha, String path) {
    return Optional.ofNullable(files.get(commitSha + ":" + path));
  }

  /** Makes {@link #readFile} answer {@code content} for this commit and path. */
  public synchronized void putFile(String commitSha, String path, String content) {
    files.put(commitSha + ":" + path, content);
  }

  /** The next proposal is committed but its branch refused, as branch protection would. */
  public synchronized void refuseNextPush(String reason) {
    refusal = reason;
  }

  public synchronized List<Proposal> proposals() {
    return List.copyOf(proposals);
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
