package dev.reflex.adapters.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.ReviewedPlaybooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merging review branches, tags and reading the target branch, against a real bare repository. */
class JGitReviewTest {

  @TempDir Path tmp;
  Path bare;
  JGitPlaybookRepository repository;

  @BeforeEach
  void initRemote() throws IOException {
    Path template = tmp.resolve("template");
    Files.createDirectories(template.resolve("rules"));
    Files.writeString(template.resolve("rules/detection.yml"), "rules: []\n");
    bare = tmp.resolve("playbooks.git");
    PlaybookRepositories.initBare(bare, template);
    repository = new JGitPlaybookRepository(GitRepositoryConfig.anonymous(tmp.resolve("work"), bare.toUri().toString(),
        "main"));
  }

  static Playbook draftFor(String signature) {
    Playbook base = JGitPlaybookRepositoryTest.draft("x-placeholder", "1.0.0");
    Signature s = Signature.parse(signature);
    return new Playbook("learned-" + s.slug(), "1.0.0", base.title(), base.source(), base.status(),
        List.of(s.anomalyType()), List.of(signature), s, base.description(), base.guidance(), base.parameters(),
        base.steps(), base.verification(), base.stats(), base.supportingIncidents(), "", null, null, 0);
  }

  @Test
  void mergeIntoTarget_fastForwardsThenMakesAMergeCommitByReflex() throws IOException {
    Playbook first = draftFor("high_latency|payment-api|india");
    Playbook second = draftFor("disk_full|checkout-api|us-east-1");
    repository.proposeDraft(first, "Draft 1");
    repository.proposeDraft(second, "Draft 2");

    String ff = repository.mergeIntoTarget(JGitPlaybookRepository.branchFor(first), "Merge 1");
    String merge = repository.mergeIntoTarget(JGitPlaybookRepository.branchFor(second), "Merge 2");

    try (Repository git = Git.open(bare.toFile()).getRepository(); RevWalk walk = new RevWalk(git)) {
      assertThat(git.resolve(Constants.R_HEADS + "main").name()).isEqualTo(merge);
      RevCommit commit = walk.parseCommit(git.resolve(merge));
      assertThat(commit.getParentCount()).isEqualTo(2);
      assertThat(commit.getParent(0).name()).isEqualTo(ff);
      assertThat(commit.getCommitterIdent().getName()).isEqualTo("Reflex");
      assertThat(commit.getFullMessage()).startsWith("Merge 2");
    }
    ReviewedPlaybooks.Snapshot snapshot = new JGitReviewedPlaybooks(repository).read();
    assertThat(snapshot.commitSha()).isEqualTo(merge);
    assertThat(snapshot.playbooks()).extracting(Playbook::id).containsExactlyInAnyOrder(first.id(), second.id());
    assertThat(snapshot.problems()).isEmpty();
  }

  @Test
  void mergeIntoTarget_whenTheBranchDoesNotExist_failsAndLeavesMainAlone() throws IOException {
    String before;
    try (Repository git = Git.open(bare.toFile()).getRepository()) {
      before = git.resolve(Constants.R_HEADS + "main").name();
    }

    assertThatThrownBy(() -> repository.mergeIntoTarget("learned/nothing-here", "Merge"))
        .isInstanceOf(PlaybookRepositoryException.class).hasMessageContaining("does not exist on the remote");

    try (Repository git = Git.open(bare.toFile()).getRepository()) {
      assertThat(git.resolve(Constants.R_HEADS + "main").name()).isEqualTo(before);
    }
  }

  @Test
  void tag_pushesAnAnnotatedTagOnceAndKeepsItWhenAskedAgain() throws IOException {
    Playbook draft = draftFor("high_latency|payment-api|india");
    repository.proposeDraft(draft, "Draft");
    String sha = repository.mergeIntoTarget(JGitPlaybookRepository.branchFor(draft), "Merge");

    repository.tag(draft.id() + "/v1.0.0", sha, "Release");
    repository.tag(draft.id() + "/v1.0.0", sha, "Release again");

    try (Repository git = Git.open(bare.toFile()).getRepository(); RevWalk walk = new RevWalk(git)) {
      var ref = git.exactRef(Constants.R_TAGS + draft.id() + "/v1.0.0");
      assertThat(ref).isNotNull();
      assertThat(walk.parseTag(ref.getObjectId()).getFullMessage()).isEqualTo("Release");
      assertThat(walk.peel(walk.parseAny(ref.getObjectId())).name()).isEqualTo(sha);
    }
  }

  @Test
  void read_afterSeveralMerges_listsEveryMergedDraftById() {
    Playbook draft = draftFor("high_latency|payment-api|india");
    repository.proposeDraft(draft, "Draft");
    repository.mergeIntoTarget(JGitPlaybookRepository.branchFor(draft), "Merge");
    Playbook second = draftFor("disk_full|checkout-api|us-east-1");
    Playbook misnamed = new Playbook("other-id", second.version(), second.title(), second.source(), second.status(),
        second.anomalyTypes(), second.signaturePatterns(), second.signature(), second.description(), second.guidance(),
        second.parameters(), second.steps(), second.verification(), second.stats(), second.supportingIncidents(), "",
        null, null, 0);
    repository.proposeDraft(misnamed, "Misnamed");
    repository.mergeIntoTarget(JGitPlaybookRepository.branchFor(misnamed), "Merge misnamed");

    ReviewedPlaybooks.Snapshot snapshot = new JGitReviewedPlaybooks(repository).read();

    assertThat(snapshot.playbooks()).extracting(Playbook::id).containsExactlyInAnyOrder(draft.id(), "other-id");
    assertThat(snapshot.problems()).isEmpty();
  }
}
