package dev.reflex.local.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.adapters.dynamodb.DynamoDbPlaybookStore;
import dev.reflex.adapters.dynamodb.ReflexTables;
import dev.reflex.adapters.dynamodb.TableNames;
import dev.reflex.adapters.files.FilePlaybookCatalog;
import dev.reflex.adapters.git.GitRepositoryConfig;
import dev.reflex.adapters.git.JGitPlaybookRepository;
import dev.reflex.adapters.git.PlaybookRepositories;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.model.PullRequestState;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.PlaybookRepository.CommitRef;
import dev.reflex.domain.port.PullRequestProvider.PullRequestRequest;
import dev.reflex.domain.service.ConsultForPlaybook;
import dev.reflex.local.app.LocalDynamoDb;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local provider and sync against DynamoDB Local and a real bare repository in a temporary folder. */
class LocalReviewIT {

  static final Path TEMPLATE = PlaybookValidatorTest.TEMPLATE;

  @TempDir Path data;
  private LocalDynamoDb dynamo;
  private JGitPlaybookRepository repository;
  private DynamoDbPlaybookStore store;
  private LocalReview review;
  private Path bare;

  @BeforeEach
  void setUp() {
    dynamo = LocalDynamoDb.start(null);
    new ReflexTables(dynamo.client(), TableNames.defaults()).createIfMissing();
    bare = data.resolve("playbooks.git");
    PlaybookRepositories.initBare(bare, TEMPLATE);
    repository = new JGitPlaybookRepository(GitRepositoryConfig.anonymous(data.resolve("work"), bare.toUri().toString(),
        "main"));
    store = new DynamoDbPlaybookStore(dynamo.client());
    review = new LocalReview(dynamo.client(), TableNames.defaults().playbooks(), repository, store, "main",
        Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    dynamo.close();
  }

  /** A learned draft made from the template's service-down playbook, committed on its review branch and stored. */
  private Playbook proposed(String service) {
    Playbook catalog = new FilePlaybookCatalog(TEMPLATE).find("service-down-restart").orElseThrow();
    Signature signature = new Signature("service_down", service, "eu-west-1");
    Playbook draft = new Playbook(ConsultForPlaybook.learnedId(signature), "1.0.0", catalog.title(),
        PlaybookSource.LEARNED, PlaybookStatus.PENDING_REVIEW, List.of("service_down"), List.of(signature.toString()),
        signature, catalog.description(), catalog.guidance(), catalog.parameters(), catalog.steps(),
        catalog.verification(), PlaybookStats.initial(0.75), List.of("inc-1"), "", null, null, 0);
    CommitRef ref = repository.proposeDraft(draft, "Draft " + draft.id());
    return store.create(draft.withCommit(ref.branch(), ref.commitSha()).withStats(new PlaybookStats(0.8, 1, 0, 0, null)));
  }

  private PullRequest open(Playbook draft) {
    return review.pullRequests().open(new PullRequestRequest(draft.branch(), null, "Learned " + draft.id(),
        "## review page", "the signature recurred"));
  }

  @Test
  void open_twiceForOneBranch_keepsOnePullRequestAndCommentsOnIt() {
    Playbook draft = proposed("billing-worker");

    PullRequest first = open(draft);
    PullRequest again = open(draft);

    assertThat(again.id()).isEqualTo(first.id()).isEqualTo("pr-1");
    assertThat(first.state()).isEqualTo(PullRequestState.OPEN);
    assertThat(first.headSha()).isEqualTo(draft.commitSha());
    assertThat(review.pullRequests().list()).singleElement().satisfies(record -> {
      assertThat(record.body()).isEqualTo("## review page");
      assertThat(record.comments()).containsExactly("the signature recurred");
    });
  }

  @Test
  void merge_mergesTheBranchIntoMainTagsTheVersionAndActivatesItKeepingCounters() throws IOException {
    Playbook draft = proposed("billing-worker");
    PullRequest pr = open(draft);

    LocalReview.Merged merged = review.merge(pr.id());

    assertThat(merged.pullRequest().state()).isEqualTo(PullRequestState.MERGED);
    assertThat(merged.tags()).contains(draft.id() + "/v1.0.0");
    try (Repository git = Git.open(bare.toFile()).getRepository()) {
      assertThat(git.resolve(Constants.R_HEADS + "main").name()).isEqualTo(merged.sync().commitSha())
          .isEqualTo(merged.pullRequest().headSha());
      assertThat(git.exactRef(Constants.R_TAGS + draft.id() + "/v1.0.0")).isNotNull();
    }
    Playbook active = store.find(draft.id()).orElseThrow();
    assertThat(active.status()).isEqualTo(PlaybookStatus.ACTIVE);
    assertThat(active.version()).isEqualTo("1.0.0");
    assertThat(active.commitSha()).isEqualTo(merged.sync().commitSha());
    assertThat(active.stats().successCount()).isEqualTo(1);
    assertThat(review.pullRequests().findOpen(draft.branch())).isEmpty();
    assertThatThrownBy(() -> review.merge(pr.id())).hasMessageContaining("is merged");
  }

  @Test
  void close_rejectsTheDraftAndFreesTheBranchForANewReview() {
    Playbook draft = proposed("ledger-api");
    PullRequest pr = open(draft);

    review.close(pr.id(), "restarting hides the real fault");

    assertThat(store.find(draft.id()).orElseThrow().status()).isEqualTo(PlaybookStatus.REJECTED);
    assertThat(review.pullRequests().state(pr.id())).isEqualTo(PullRequestState.CLOSED);
    assertThat(review.pullRequests().record(pr.id()).comments())
        .containsExactly("Closed without merging: restarting hides the real fault");
    assertThat(open(draft).id()).isEqualTo("pr-2");
  }

  @Test
  void sync_withNothingNew_changesNothingTheSecondTime() {
    review.sync();

    assertThat(review.sync().changes()).isEmpty();
  }

  @Test
  void prCommands_listShowMergeAndClose_printWhatChanged() {
    Playbook billing = proposed("billing-worker");
    open(billing);
    Playbook ledger = proposed("ledger-api");
    open(ledger);

    String list = run(() -> ReviewCommands.pr(review, new String[] {"list"}, out()));
    String show = run(() -> ReviewCommands.pr(review, new String[] {"show", "pr-1"}, out()));
    String merge = run(() -> ReviewCommands.pr(review, new String[] {"merge", "pr-1"}, out()));
    String close = run(() -> ReviewCommands.pr(review, new String[] {"close", "pr-2", "--reason", "no"}, out()));

    assertThat(list).contains("pr-1", "open", billing.branch(), "pr-2", ledger.branch());
    assertThat(show).contains("pr-1 · open · " + billing.branch() + " -> main", "## review page");
    assertThat(merge).contains("merged pr-1", "tagged " + billing.id() + "/v1.0.0", billing.id() + "@1.0.0: active");
    assertThat(close).contains("closed pr-2 (" + ledger.branch() + "): its draft is rejected");
  }

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  private PrintStream out() {
    buffer.reset();
    return new PrintStream(buffer, true, StandardCharsets.UTF_8);
  }

  private String run(java.util.function.IntSupplier command) {
    int exit = command.getAsInt();
    String text = buffer.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    return text;
  }
}
