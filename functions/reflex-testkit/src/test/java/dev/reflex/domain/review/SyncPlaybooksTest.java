package dev.reflex.domain.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.PullRequestProvider.PullRequestRequest;
import dev.reflex.domain.port.ReviewedPlaybooks;
import dev.reflex.testkit.InMemoryPlaybookStore;
import dev.reflex.testkit.InMemoryPullRequestProvider;
import dev.reflex.testkit.Playbooks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncPlaybooksTest {

  static final String MAIN_SHA = "a".repeat(40);
  static final Signature SIGNATURE = new Signature("high_latency", "payment-api", "india");
  static final String BRANCH = "learned/high-latency--payment-api--india";

  private final InMemoryPlaybookStore store = new InMemoryPlaybookStore();
  private final InMemoryPullRequestProvider pullRequests = new InMemoryPullRequestProvider();
  private final List<Playbook> onMain = new ArrayList<>();
  private final SyncPlaybooks sync = new SyncPlaybooks(() -> new ReviewedPlaybooks.Snapshot(MAIN_SHA, onMain, List.of()),
      store, pullRequests, "main");

  private static Playbook draft(String version) {
    return Playbooks.builder("learned-high-latency--payment-api--india").source(PlaybookSource.LEARNED)
        .status(PlaybookStatus.PENDING_REVIEW).signature(SIGNATURE).version(version).build();
  }

  private Playbook stored(Playbook draft) {
    return store.create(draft.withCommit(BRANCH, "b".repeat(40)));
  }

  @Test
  void sync_whenTheLearnedPlaybookWasMerged_makesItActiveAtItsVersionAndKeepsItsCounters() {
    Playbook pending = stored(draft("1.1.0").withStats(new PlaybookStats(0.85, 3, 1, 0, null)));
    onMain.add(draft("1.1.0"));

    SyncPlaybooks.Report report = sync.sync();

    Playbook active = store.find(pending.id()).orElseThrow();
    assertThat(active.status()).isEqualTo(PlaybookStatus.ACTIVE);
    assertThat(active.version()).isEqualTo("1.1.0");
    assertThat(active.commitSha()).isEqualTo(MAIN_SHA);
    assertThat(active.branch()).isEqualTo("main");
    assertThat(active.stats().successCount()).isEqualTo(3);
    assertThat(active.stats().confidence()).isEqualTo(0.85);
    assertThat(report.changes()).containsExactly(
        "learned-high-latency--payment-api--india@1.1.0: active (was 1.1.0 pending_review, commit aaaaaaaaaaaa)");
  }

  @Test
  void sync_runTwice_changesNothingTheSecondTime() {
    stored(draft("1.0.0"));
    onMain.add(draft("1.0.0"));
    sync.sync();

    assertThat(sync.sync().changes()).isEmpty();
  }

  @Test
  void sync_whenANewerDraftIsUnderReview_leavesItPending() {
    Playbook pending = stored(draft("1.2.0"));
    onMain.add(draft("1.1.0"));

    assertThat(sync.sync().changes()).isEmpty();
    assertThat(store.find(pending.id()).orElseThrow().status()).isEqualTo(PlaybookStatus.PENDING_REVIEW);
  }

  @Test
  void sync_whenThePullRequestWasClosed_rejectsTheDraft() {
    Playbook pending = stored(draft("1.0.0"));
    PullRequest pr = pullRequests.open(new PullRequestRequest(BRANCH, null, "t", "body", null));
    pullRequests.close(pr.id(), "not what we want");

    SyncPlaybooks.Report report = sync.sync();

    assertThat(store.find(pending.id()).orElseThrow().status()).isEqualTo(PlaybookStatus.REJECTED);
    assertThat(report.changes()).singleElement().asString().contains("rejected", "was closed");
  }

  @Test
  void sync_whileThePullRequestIsOpen_leavesTheDraftPending() {
    Playbook pending = stored(draft("1.0.0"));
    pullRequests.open(new PullRequestRequest(BRANCH, null, "t", "body", null));

    assertThat(sync.sync().changes()).isEmpty();
    assertThat(store.find(pending.id()).orElseThrow().status()).isEqualTo(PlaybookStatus.PENDING_REVIEW);
  }

  @Test
  void sync_whenAPlaybookIsOnlyOnTheTargetBranch_createsItActive() {
    onMain.add(Playbooks.catalog("disk-full-log-cleanup", "disk_full", 0.8));

    sync.sync();

    assertThat(store.find("disk-full-log-cleanup").orElseThrow().status()).isEqualTo(PlaybookStatus.ACTIVE);
  }

  @Test
  void sync_whenMetaSaysDisabled_keepsItDisabled() {
    onMain.add(Playbooks.builder("old-one").status(PlaybookStatus.DISABLED).build());

    sync.sync();

    assertThat(store.find("old-one").orElseThrow().status()).isEqualTo(PlaybookStatus.DISABLED);
  }
}
