package dev.reflex.local.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.adapters.dynamodb.DynamoDbIncidentStore;
import dev.reflex.adapters.dynamodb.DynamoDbPlaybookStore;
import dev.reflex.adapters.dynamodb.ReflexTables;
import dev.reflex.adapters.dynamodb.TableNames;
import dev.reflex.adapters.files.FilePlaybookCatalog;
import dev.reflex.adapters.files.OfflineCatalogConsultant;
import dev.reflex.adapters.git.GitRepositoryConfig;
import dev.reflex.adapters.git.JGitPlaybookRepository;
import dev.reflex.adapters.git.PlaybookRepositories;
import dev.reflex.domain.detection.AnomalyDetector;
import dev.reflex.domain.gate.PlaybookGate;
import dev.reflex.domain.matching.PlaybookMatcher;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.risk.RiskClassifier;
import dev.reflex.domain.service.ConsultForPlaybook;
import dev.reflex.domain.service.DetectAnomaly;
import dev.reflex.domain.service.IngestAlerts;
import dev.reflex.domain.service.MatchPlaybook;
import dev.reflex.lambda.ingest.AlertmanagerWebhookParser;
import dev.reflex.local.app.LocalDynamoDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when" on the embedded adapters: an unmatched alert's draft passes the gate and
 * arrives as a local pull request; merging it makes it ACTIVE; the recurrence matches the merged version.
 */
class ReviewWorkflowIT {

  static final Path HOME = PlaybookValidatorTest.TEMPLATE.getParent();

  @TempDir Path data;
  private LocalDynamoDb dynamo;

  @BeforeEach
  void start() {
    dynamo = LocalDynamoDb.start(null);
    new ReflexTables(dynamo.client(), TableNames.defaults()).createIfMissing();
  }

  @AfterEach
  void stop() {
    dynamo.close();
  }

  @Test
  void learnedDraft_arrivesAsAPullRequest_mergeActivatesIt_andTheRecurrenceMatchesTheMergedVersion() throws IOException {
    Clock clock = Clock.systemUTC();
    Path bare = data.resolve("playbooks.git");
    PlaybookRepositories.initBare(bare, HOME.resolve("playbook-repo-template"));
    JGitPlaybookRepository repository = new JGitPlaybookRepository(
        GitRepositoryConfig.anonymous(data.resolve("work"), bare.toUri().toString(), "main"));
    DynamoDbIncidentStore incidents = new DynamoDbIncidentStore(dynamo.client());
    DynamoDbPlaybookStore playbooks = new DynamoDbPlaybookStore(dynamo.client());
    FilePlaybookCatalog catalog = new FilePlaybookCatalog(HOME.resolve("playbook-repo-template"));
    catalog.playbooks().forEach(playbooks::create);
    AnomalyDetector detector = new AnomalyDetector(catalog.detectionRules());
    AtomicInteger ids = new AtomicInteger();
    IngestAlerts ingest = new IngestAlerts(incidents, detector, clock, () -> "inc-" + ids.incrementAndGet());
    DetectAnomaly detect = new DetectAnomaly(incidents, detector, clock);
    MatchPlaybook match = new MatchPlaybook(incidents, playbooks, new PlaybookMatcher(0.75), clock);
    LocalReview review = new LocalReview(dynamo.client(), TableNames.defaults().playbooks(), repository, playbooks,
        "main", clock);
    RiskClassifier classifier = new RiskClassifier();
    ForbiddenCommands forbidden = ForbiddenCommands.defaults();
    ConsultForPlaybook consult = new ConsultForPlaybook(incidents, playbooks, new OfflineCatalogConsultant(),
        repository, classifier, forbidden, clock, new PlaybookGate(classifier, forbidden), review.pullRequests());

    Alert alert = new AlertmanagerWebhookParser().parse(
        Files.readAllBytes(HOME.resolve("samples/alertmanager/two-alerts-high-error-rate.json"))).get(0);
    String first = ingest.ingest(List.of(alert)).get(0).incidentId();
    detect.detect(first);
    assertThat(match.match(first).matched()).isFalse();

    Playbook draft = consult.consult(first);

    assertThat(draft.status()).isEqualTo(PlaybookStatus.PENDING_REVIEW);
    assertThat(review.pullRequests().findOpen(draft.branch())).hasValueSatisfying(pr ->
        assertThat(pr.id()).isEqualTo("pr-1"));
    assertThat(review.pullRequests().record("pr-1").body()).contains("### Validation gate: passed");
    assertThat(incidents.find(first).orElseThrow().timeline()).anySatisfy(e -> assertThat(e.message())
        .startsWith("opened local pull request pr-1 (" + draft.branch() + " -> main)"));

    LocalReview.Merged merged = review.merge("pr-1");

    assertThat(merged.tags()).contains(draft.id() + "/v" + draft.version());
    Playbook active = playbooks.find(draft.id()).orElseThrow();
    assertThat(active.status()).isEqualTo(PlaybookStatus.ACTIVE);
    assertThat(active.commitSha()).isEqualTo(merged.sync().commitSha());

    // the merged draft carries the incident as a test case, and the offline tester passes it on main
    Path checkout = data.resolve("main-checkout");
    try (org.eclipse.jgit.api.Git clone = org.eclipse.jgit.api.Git.cloneRepository().setURI(bare.toUri().toString())
        .setBranch("main").setDirectory(checkout.toFile()).call()) {
      assertThat(clone.getRepository().resolve("HEAD").name()).isEqualTo(merged.sync().commitSha());
    } catch (org.eclipse.jgit.api.errors.GitAPIException e) {
      throw new IllegalStateException(e);
    }
    assertThat(checkout.resolve("learned/" + draft.id() + "/tests/" + first + "/alert.json")).isRegularFile();
    PlaybookValidator.Report validated = new PlaybookValidator(new PlaybookValidator.Options(false, 0.8, false))
        .validate(checkout);
    assertThat(validated.errors()).isEmpty();
    assertThat(validated.testCases()).isEqualTo(7);

    Alert recurrence = new Alert(alert.source(), alert.fingerprint(), alert.status(), alert.labels(),
        alert.annotations(), alert.startsAt().plus(Duration.ofDays(7)), null, alert.generatorUrl());
    String second = ingest.ingest(List.of(recurrence)).get(0).incidentId();
    detect.detect(second);
    MatchResult result = match.match(second);

    assertThat(result.matched()).isTrue();
    assertThat(result.playbookId()).isEqualTo(draft.id());
    assertThat(result.version()).isEqualTo(draft.version());
    assertThat(result.matchedBy()).isEqualTo(MatchResult.MatchedBy.SIGNATURE);
  }
}
