package dev.reflex.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed scenario through the real ASL file, DynamoDB Local, a real Git repository and real HTTP. */
class DemoScenarioIT {

  static final Path HOME = Path.of("../..").toAbsolutePath().normalize();

  @TempDir static Path dataDir;
  static Demo.Result result;
  static String printed;

  @BeforeAll
  static void playTheSeedScenario() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    result = new Demo(HOME, new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(dataDir);
    printed = buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void demo_whenSeedScenarioPlays_resolvesBothDaysAndExitsZero() {
    assertThat(result.exitCode()).as(printed).isZero();
    assertThat(result.days()).extracting(Demo.Day::status).containsExactly("RESOLVED", "RESOLVED");
    assertThat(result.days()).extracting(Demo.Day::signature)
        .containsOnly("high_latency|payment-api|india");
  }

  @Test
  void day1_whenNothingMatches_consultsOfflineCatalogAndLearnsAPendingReviewPlaybook() {
    Demo.Day day1 = result.days().get(0);
    assertThat(day1.match()).isEqualTo("none");
    assertThat(day1.consult()).startsWith("offline_catalog -> learned-high-latency--payment-api--india");
    assertThat(day1.approval()).startsWith("approved");
    assertThat(day1.execution()).startsWith("dry-run success");
    assertThat(day1.confidence()).isEqualTo("0.75 -> 0.80");
  }

  @Test
  void day8_whenSignatureRecurs_matchesLearnedPlaybookWithoutConsulting() {
    Demo.Day day8 = result.days().get(1);
    assertThat(day8.match()).startsWith("learned learned-high-latency--payment-api--india (0.8, by signature)");
    assertThat(day8.consult()).isEqualTo("no consult");
    assertThat(day8.confidence()).isEqualTo("0.80 -> 0.85");
    assertThat(result.consultations()).isEqualTo(1);
  }

  @Test
  void learnedPlaybook_isProposedOnItsReviewBranchThenMergedAndTagged() throws Exception {
    Playbook learned = result.learned();
    assertThat(learned.source()).isEqualTo(PlaybookSource.LEARNED);
    assertThat(learned.status()).as("merged by the reviewer between the days").isEqualTo(PlaybookStatus.ACTIVE);
    assertThat(learned.stats().successCount()).isEqualTo(2);
    assertThat(learned.stats().confidence()).isEqualTo(0.85);
    String dir = "learned/" + learned.id() + "/";
    try (Git git = Git.open(dataDir.resolve("playbooks.git").toFile())) {
      Repository repo = git.getRepository();
      ObjectId branch = repo.resolve("refs/heads/learned/high-latency--payment-api--india");
      assertThat(branch).as("review branch in the bare repository").isNotNull();
      try (RevWalk walk = new RevWalk(repo)) {
        RevCommit draft = walk.parseCommit(branch);
        assertThat(draft.getFullMessage()).contains("high_latency|payment-api|india");
        assertThat(TreeWalk.forPath(repo, dir + "playbook.yml", draft.getTree())).isNotNull();
        assertThat(TreeWalk.forPath(repo, dir + "meta.yml", draft.getTree())).isNotNull();
        RevCommit main = walk.parseCommit(repo.resolve("refs/heads/main"));
        assertThat(TreeWalk.forPath(repo, dir + "playbook.yml", main.getTree())).as("merged into main").isNotNull();
        assertThat(walk.isMergedInto(draft, main)).isTrue();
      }
      assertThat(repo.resolve("refs/tags/" + learned.id() + "/v1.0.0")).as("release tag").isNotNull();
    }
    assertThat(printed).contains("Review: pull request pr-1 opened for learned/high-latency--payment-api--india");
  }

  @Test
  void timeline_isPrintedForBothDays() {
    assertThat(printed).contains("Day 1").contains("Day 8").contains("high_latency|payment-api|india")
        .contains("Consultations: 1");
  }
}
