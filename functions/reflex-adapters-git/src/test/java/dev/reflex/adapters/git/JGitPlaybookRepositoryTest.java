package dev.reflex.adapters.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.adapters.files.PlaybookYaml;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.model.StepAction;
import dev.reflex.domain.port.PlaybookRepository.CommitRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JGitPlaybookRepositoryTest {

  static final Signature SIGNATURE = Signature.parse("high_latency|payment-api|india");
  static final String BRANCH = "learned/high-latency--payment-api--india";

  @TempDir Path tmp;
  Path bare;
  String remote;

  @BeforeEach
  void initRemote() throws IOException {
    Path template = tmp.resolve("template");
    Files.createDirectories(template.resolve("playbooks/restart"));
    Files.createDirectories(template.resolve("rules"));
    Files.writeString(template.resolve("playbooks/restart/meta.yml"), "id: restart\n");
    Files.writeString(template.resolve("rules/detection.yml"), "rules: []\n");
    bare = tmp.resolve("playbooks.git");
    PlaybookRepositories.initBare(bare, template);
    remote = bare.toUri().toString();
  }

  @Test
  void initBare_whenCalledTwice_keepsTheFirstCommit() throws IOException {
    String first = PlaybookRepositories.initBare(bare, tmp.resolve("template"));
    Files.writeString(tmp.resolve("template/extra.txt"), "x");

    String second = PlaybookRepositories.initBare(bare, tmp.resolve("template"));

    assertThat(second).isEqualTo(first);
    assertThat(filesAt(first)).containsExactlyInAnyOrder("playbooks/restart/meta.yml", "rules/detection.yml");
  }

  @Test
  void propose_whenNoBranch_createsBranchWithBothFilesAndMessage() throws Exception {
    JGitPlaybookRepository repository = repository(tmp.resolve("work"));
    Playbook draft = draft("learned-high-latency-payment-api-india", "1.0.0");

    CommitRef ref = repository.proposeDraft(draft, "Draft for incident inc-1\n\nP99 1850ms in india");

    assertThat(ref.branch()).isEqualTo(BRANCH);
    RevCommit commit = remoteCommit(BRANCH);
    assertThat(commit.name()).isEqualTo(ref.commitSha());
    assertThat(commit.getFullMessage()).isEqualTo("Draft for incident inc-1\n\nP99 1850ms in india");
    assertThat(commit.getAuthorIdent().getName()).isEqualTo("Reflex");
    assertThat(commit.getAuthorIdent().getEmailAddress()).isEqualTo("reflex@localhost");
    assertThat(commit.getParentCount()).isEqualTo(1);
    assertThat(commit.getParent(0).name()).isEqualTo(remoteCommit("main").name());
    assertThat(filesAt(ref.commitSha())).contains("learned/learned-high-latency-payment-api-india/playbook.yml",
        "learned/learned-high-latency-payment-api-india/meta.yml", "playbooks/restart/meta.yml");
  }

  @Test
  void propose_withATestCase_commitsTheSampleAlertAndTheExpectedMatchInTheSameCommit() throws Exception {
    JGitPlaybookRepository repository = repository(tmp.resolve("work"));
    Playbook draft = draft("learned-high-latency-payment-api-india", "1.0.0");
    dev.reflex.domain.model.Alert alert = new dev.reflex.domain.model.Alert("alertmanager", "fp-1",
        dev.reflex.domain.model.AlertStatus.FIRING,
        Map.of("alertname", "HighLatency", "service", "payment-api", "region", "india", "note", "a \"quoted\": value"),
        Map.of("summary", "P99 1850ms"), java.time.Instant.parse("2026-11-01T09:00:00Z"), null, "");
    var test = new dev.reflex.domain.port.PlaybookRepository.TestCase("inc-20261101-1", alert, "high_latency",
        SIGNATURE, draft.id());

    CommitRef ref = repository.proposeDraft(draft, "Draft", List.of(test));

    String folder = "learned/learned-high-latency-payment-api-india/tests/inc-20261101-1/";
    assertThat(filesAt(ref.commitSha())).contains(folder + "alert.json", folder + "expected.yml",
        "learned/learned-high-latency-payment-api-india/meta.yml");
    var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        repository.readFile(ref.commitSha(), folder + "alert.json").orElseThrow());
    assertThat(body.path("version").asText()).isEqualTo("4");
    assertThat(body.path("alerts").get(0).path("labels").path("note").asText()).isEqualTo("a \"quoted\": value");
    assertThat(body.path("alerts").get(0).path("startsAt").asText()).isEqualTo("2026-11-01T09:00:00Z");
    assertThat(body.path("alerts").get(0).path("fingerprint").asText()).isEqualTo("fp-1");
    var expected = new com.fasterxml.jackson.databind.ObjectMapper(
        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(
            repository.readFile(ref.commitSha(), folder + "expected.yml").orElseThrow());
    assertThat(expected.path("anomaly_type").asText()).isEqualTo("high_latency");
    assertThat(expected.path("signature").asText()).isEqualTo("high_latency|payment-api|india");
    assertThat(expected.path("playbook").asText()).isEqualTo(draft.id());
  }

  @Test
  void propose_withCredentials_asksForThemAndWritesTheTokenNowhere() throws Exception {
    String token = "glpat-PlantedToken-7f3a9c";
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    GitRepositoryConfig config = new GitRepositoryConfig(tmp.resolve("work"), remote, "main", Optional.of(() -> {
      asked.incrementAndGet();
      return new GitRepositoryConfig.Credentials("oauth2", token);
    }));
    java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = System.out;
    java.io.PrintStream err = System.err;
    CommitRef ref;
    try (java.io.PrintStream capture = new java.io.PrintStream(console, true)) {
      System.setOut(capture);
      System.setErr(capture);
      ref = new JGitPlaybookRepository(config).proposeDraft(draft("learned-one", "1.0.0"), "Draft");
    } finally {
      System.setOut(out);
      System.setErr(err);
    }

    assertThat(asked.get()).as("credentials are read for each fetch and push").isGreaterThanOrEqualTo(2);
    assertThat(remoteCommit(BRANCH).name()).isEqualTo(ref.commitSha());
    assertThat(console.toString()).doesNotContain(token);
    assertThat(Files.readString(tmp.resolve("work/.git/config"))).doesNotContain(token);
    assertThat(filesContaining(tmp, token)).as("files holding the token").isEmpty();
    assertThat(config.toString()).doesNotContain(token);
  }

  @Test
  void readFile_atCommitSha_returnsTheRenderedFiles() {
    JGitPlaybookRepository repository = repository(tmp.resolve("work"));
    Playbook draft = draft("learned-high-latency-payment-api-india", "1.0.0");
    CommitRef ref = repository.proposeDraft(draft, "Draft");

    Optional<String> playbook = repository.readFile(ref.commitSha(),
        "learned/learned-high-latency-payment-api-india/playbook.yml");
    Optional<String> meta = repository.readFile(ref.commitSha(), "learned/learned-high-latency-payment-api-india/meta.yml");

    assertThat(playbook).contains(PlaybookYaml.renderPlaybook(draft));
    assertThat(PlaybookYaml.parse(meta.orElseThrow(), "meta.yml", playbook.orElseThrow(), "playbook.yml"))
        .isEqualTo(draft);
    assertThat(repository.committedPlaybook(draft.withCommit(ref.branch(), ref.commitSha()))).isEqualTo(playbook);
    assertThat(repository.committedPlaybook(draft)).isEmpty();
    assertThat(repository.readFile(ref.commitSha(), "learned/nothing-here.yml")).isEmpty();
    assertThat(repository.readFile(ref.commitSha(), "learned")).as("a folder is not a file").isEmpty();
  }

  @Test
  void readFile_ofADraftWhoseStepHasItsOwnVerification_parsesBackTheSameSteps() {
    JGitPlaybookRepository repository = repository(tmp.resolve("work"));
    Playbook base = draft("learned-checked", "1.0.0");
    StepAction ready = StepAction.of("Check the rollout finished", "ansible.builtin.command",
        Map.of("argv", List.of("kubectl", "-n", "{{ namespace }}", "rollout", "status", "deployment/{{ service }}")));
    Playbook draft = new Playbook(base.id(), base.version(), base.title(), base.source(), base.status(),
        base.anomalyTypes(), base.signaturePatterns(), base.signature(), base.description(), base.guidance(),
        base.parameters(), List.of(base.steps().get(0).withVerification(ready)), base.verification(), base.stats(),
        base.supportingIncidents(), base.evidenceText(), null, null, 0);
    CommitRef ref = repository.proposeDraft(draft, "Draft");

    String meta = repository.readFile(ref.commitSha(), "learned/learned-checked/meta.yml").orElseThrow();
    String playbook = repository.readFile(ref.commitSha(), "learned/learned-checked/playbook.yml").orElseThrow();

    assertThat(meta).contains("verification: Check the rollout finished");
    Playbook parsed = PlaybookYaml.parse(meta, "meta.yml", playbook, "playbook.yml");
    assertThat(parsed).isEqualTo(draft);
    assertThat(parsed.steps().get(0).verification()).isEqualTo(ready);
  }

  @Test
  void readFile_whenCommitPushedByAnotherClone_fetchesIt() throws Exception {
    CommitRef ref = repository(tmp.resolve("other")).proposeDraft(draft("learned-a", "1.0.0"), "Draft");
    JGitPlaybookRepository mine = repository(tmp.resolve("work"));
    mine.readFile(remoteCommit("main").name(), "rules/detection.yml"); // clone before the other push is known

    assertThat(mine.readFile(ref.commitSha(), "learned/learned-a/meta.yml")).isPresent();
  }

  @Test
  void propose_whenBranchExists_addsCommit() throws Exception {
    JGitPlaybookRepository repository = repository(tmp.resolve("work"));
    CommitRef first = repository.proposeDraft(draft("learned-high-latency-payment-api-india", "1.0.0"), "First");

    CommitRef second = repository.proposeDraft(draft("learned-high-latency-payment-api-india", "1.1.0"), "Second");

    assertThat(second.branch()).isEqualTo(first.branch());
    RevCommit head = remoteCommit(BRANCH);
    assertThat(head.name()).isEqualTo(second.commitSha());
    assertThat(head.getParent(0).name()).isEqualTo(first.commitSha());
    assertThat(repository.readFile(second.commitSha(), "learned/learned-high-latency-payment-api-india/meta.yml"))
        .get().asString().contains("version: 1.1.0");
  }

  @Test
  void propose_whenBranchExistsOnlyOnRemote_addsCommitOnTopOfIt() throws Exception {
    CommitRef first = repository(tmp.resolve("instance-a")).proposeDraft(draft("learned-one", "1.0.0"), "From A");

    CommitRef second = repository(tmp.resolve("instance-b")).proposeDraft(draft("learned-two", "1.0.0"), "From B");

    RevCommit head = remoteCommit(BRANCH);
    assertThat(head.name()).isEqualTo(second.commitSha());
    assertThat(head.getParent(0).name()).isEqualTo(first.commitSha());
    assertThat(filesAt(second.commitSha())).contains("learned/learned-one/meta.yml", "learned/learned-two/meta.yml");
  }

  @Test
  void propose_whenSameDraftAgain_isIdempotent() throws Exception {
    JGitPlaybookRepository repository = repository(tmp.resolve("work"));
    Playbook draft = draft("learned-high-latency-payment-api-india", "1.0.0");
    CommitRef first = repository.proposeDraft(draft, "Draft");

    CommitRef again = repository.proposeDraft(draft, "Draft (retry)");

    assertThat(again).isEqualTo(first);
    assertThat(remoteCommit(BRANCH).name()).isEqualTo(first.commitSha());
  }

  @Test
  void propose_whenAnotherClonePushesFirst_rebasesAndPushes() throws Exception {
    JGitPlaybookRepository setup = repository(tmp.resolve("setup"));
    CommitRef base = setup.proposeDraft(draft("learned-one", "1.0.0"), "Base");
    AtomicBoolean raced = new AtomicBoolean();
    List<String> competing = new ArrayList<>();
    JGitPlaybookRepository repository = new JGitPlaybookRepository(
        GitRepositoryConfig.anonymous(tmp.resolve("work"), remote, "main"), () -> {
          if (raced.compareAndSet(false, true)) {
            competing.add(pushCompetingCommit(BRANCH));
          }
        });

    CommitRef mine = repository.proposeDraft(draft("learned-two", "1.0.0"), "Mine");

    RevCommit head = remoteCommit(BRANCH);
    assertThat(head.name()).isEqualTo(mine.commitSha());
    assertThat(head.getFullMessage()).isEqualTo("Mine");
    assertThat(head.getParent(0).name()).as("rebased onto the competing commit").isEqualTo(competing.get(0));
    assertThat(filesAt(mine.commitSha())).contains("learned/learned-one/meta.yml", "learned/learned-two/meta.yml",
        "learned/competitor.txt");
    assertThat(base.commitSha()).isNotEqualTo(mine.commitSha());
  }

  @Test
  void propose_whenRemoteRefusesForOtherReason_throwsAndKeepsCommitLocally() throws Exception {
    // a branch named "learned" on the remote makes learned/... impossible to create there
    try (Git remoteGit = Git.open(bare.toFile())) {
      remoteGit.branchCreate().setName("learned").setStartPoint("main").call();
    }
    JGitPlaybookRepository repository = repository(tmp.resolve("work"));

    assertThatThrownBy(() -> repository.proposeDraft(draft("learned-one", "1.0.0"), "Refused"))
        .isInstanceOfSatisfying(DraftPushRejectedException.class, e -> {
          assertThat(e.branch()).isEqualTo(BRANCH);
          assertThat(e.getMessage()).contains("REJECTED_OTHER_REASON").contains("kept locally");
          assertThat(localCommit(tmp.resolve("work"), BRANCH).name()).isEqualTo(e.commitSha());
          assertThat(localCommit(tmp.resolve("work"), BRANCH).getFullMessage()).isEqualTo("Refused");
        });
  }

  @Test
  void propose_whenRemoteUnreachable_messageNeverContainsCredentials() {
    GitRepositoryConfig config = new GitRepositoryConfig(tmp.resolve("work"),
        "https://127.0.0.1:1/org/playbooks.git", "main",
        Optional.of(() -> new GitRepositoryConfig.Credentials("x-access-token", "ghs_SuperSecretToken123")));
    JGitPlaybookRepository repository = new JGitPlaybookRepository(config);

    assertThatThrownBy(() -> repository.proposeDraft(draft("learned-one", "1.0.0"), "Draft"))
        .isInstanceOf(PlaybookRepositoryException.class)
        .satisfies(e -> {
          StringBuilder all = new StringBuilder();
          for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
          }
          assertThat(all.toString()).doesNotContain("ghs_SuperSecretToken123").contains("127.0.0.1:1");
        });
    assertThat(config.toString()).doesNotContain("ghs_SuperSecretToken123");
    assertThat(new GitRepositoryConfig.Credentials("u", "ghs_SuperSecretToken123").toString())
        .doesNotContain("ghs_SuperSecretToken123");
  }

  @Test
  void config_whenRemoteUriCarriesPassword_isRefused() {
    assertThatThrownBy(() -> GitRepositoryConfig.anonymous(tmp, "https://bot:hunter2@example.com/p.git", "main"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("hunter2");
  }

  // ---------------------------------------------------------------- helpers

  private static List<Path> filesContaining(Path root, String text) throws IOException {
    byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (var walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).filter(file -> {
        try {
          byte[] content = Files.readAllBytes(file);
          return java.util.Collections.indexOfSubList(
              java.util.Arrays.asList(box(content)), java.util.Arrays.asList(box(needle))) >= 0;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }

  private static Byte[] box(byte[] bytes) {
    Byte[] boxed = new Byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      boxed[i] = bytes[i];
    }
    return boxed;
  }

  private JGitPlaybookRepository repository(Path workDir) {
    return new JGitPlaybookRepository(GitRepositoryConfig.anonymous(workDir, remote, "main"));
  }

  private String pushCompetingCommit(String branch) {
    try (Git other = Git.cloneRepository().setURI(remote).setDirectory(tmp.resolve("competitor").toFile())
        .setBranch(branch).call()) {
      Files.writeString(tmp.resolve("competitor/learned/competitor.txt"), "another instance was faster\n");
      other.add().addFilepattern("learned/competitor.txt").call();
      RevCommit commit = other.commit().setMessage("Competing").setSign(false)
          .setAuthor("Other", "other@localhost").setCommitter("Other", "other@localhost").call();
      other.push().call();
      return commit.name();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private RevCommit remoteCommit(String branch) throws IOException {
    try (Git remoteGit = Git.open(bare.toFile())) {
      return commit(remoteGit.getRepository(), Constants.R_HEADS + branch);
    }
  }

  private static RevCommit localCommit(Path workDir, String branch) {
    try (Git local = Git.open(workDir.toFile())) {
      return commit(local.getRepository(), Constants.R_HEADS + branch);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RevCommit commit(Repository repository, String ref) throws IOException {
    ObjectId id = repository.resolve(ref);
    assertThat(id).as(ref + " exists").isNotNull();
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(id);
      walk.parseBody(commit);
      return commit;
    }
  }

  private List<String> filesAt(String sha) throws IOException {
    List<String> files = new ArrayList<>();
    try (Git remoteGit = Git.open(bare.toFile()); RevWalk walk = new RevWalk(remoteGit.getRepository());
        org.eclipse.jgit.treewalk.TreeWalk tree = new org.eclipse.jgit.treewalk.TreeWalk(remoteGit.getRepository())) {
      tree.addTree(walk.parseCommit(ObjectId.fromString(sha)).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        files.add(tree.getPathString());
      }
    }
    return files;
  }

  static Playbook draft(String id, String version) {
    StepAction restart = StepAction.of("Rolling restart", "ansible.builtin.command",
        Map.of("argv", List.of("kubectl", "-n", "{{ namespace }}", "rollout", "restart", "deployment/{{ service }}")));
    StepAction status = StepAction.of("Wait for rollout", "ansible.builtin.command",
        Map.of("argv", List.of("kubectl", "-n", "{{ namespace }}", "rollout", "status", "deployment/{{ service }}")));
    return new Playbook(id, version, "Restart on high latency", PlaybookSource.LEARNED, PlaybookStatus.PENDING_REVIEW,
        List.of("high_latency"), List.of(SIGNATURE.toString()), SIGNATURE, "Drafted by the offline catalog.", "",
        List.of(new Parameter("service", "", "service", "^[a-z0-9][a-z0-9-]{0,62}$", null, true),
            new Parameter("namespace", "", "namespace", "^[a-z0-9][a-z0-9-]{0,62}$", "default", false)),
        List.of(new PlaybookStep(restart, RiskClass.SAFE_WRITE, null)), status, PlaybookStats.initial(0.5),
        List.of("inc-1"), "", null, null, 0);
  }
}
