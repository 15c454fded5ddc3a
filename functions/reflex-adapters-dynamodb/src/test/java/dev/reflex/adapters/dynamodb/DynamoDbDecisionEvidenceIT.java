package dev.reflex.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.policy.CategoryTotals;
import dev.reflex.domain.policy.FeedbackScore;
import dev.reflex.domain.policy.PatternTotals;
import dev.reflex.domain.port.ActionCounters;
import dev.reflex.domain.port.DecisionEvidence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A decision's evidence from four tables of DynamoDB Local in one BatchGetItem. */
class DynamoDbDecisionEvidenceIT {

  @RegisterExtension
  static LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final Instant NOW = Instant.parse("2025-03-14T09:26:53Z");
  private static final ActionCounters.Limit GLOBAL =
      new ActionCounters.Limit("global", "all", 6, Duration.ofHours(1));
  private static final ActionCounters.Limit PER_SIGNATURE =
      new ActionCounters.Limit("per_signature", Fixtures.SIGNATURE.toString(), 3, Duration.ofDays(1));
  private static final ActionCounters.Slots SLOTS = new ActionCounters.Slots(List.of(GLOBAL, PER_SIGNATURE),
      new ActionCounters.Cooldown("payment-api|db-pool", Duration.ofMinutes(15)));

  private DynamoDbPlaybookStore playbooks;
  private DynamoDbFeedbackStore feedback;
  private DynamoDbOutcomeHistory history;
  private DynamoDbActionCounters counters;
  private DynamoDbDecisionEvidence evidence;

  @BeforeEach
  void tables() {
    int n = TABLES.incrementAndGet();
    playbooks = new DynamoDbPlaybookStore(dynamo.client(), dynamo.freshTables().playbooks());
    dynamo.client().createTable(DynamoDbFeedbackStore.definition("ev-feedback-" + n));
    dynamo.client().createTable(DynamoDbOutcomeHistory.definition("ev-history-" + n));
    dynamo.client().createTable(DynamoDbActionCounters.definition("ev-counters-" + n));
    feedback = new DynamoDbFeedbackStore(dynamo.client(), "ev-feedback-" + n);
    history = new DynamoDbOutcomeHistory(dynamo.client(), "ev-history-" + n);
    counters = new DynamoDbActionCounters(dynamo.client(), "ev-counters-" + n, Clock.fixed(NOW, ZoneOffset.UTC));
    evidence = new DynamoDbDecisionEvidence(dynamo.client(), playbooks, feedback, history, counters);
  }

  private static DecisionEvidence.Request request(String playbookId) {
    return new DecisionEvidence.Request(playbookId, Fixtures.SIGNATURE, "high_latency",
        NOW.minus(Duration.ofDays(182)), SLOTS);
  }

  @Test
  void gather_readsPlaybookFeedbackTotalsAndUsageWithOneBatchGetItem() {
    Playbook playbook = playbooks.create(Fixtures.playbook("db-pool", List.of("high_latency"), null));
    Feedback rated = Feedback.of("inc-1", Feedback.Type.REMEDIATION, 5, true, true, true, "", "", "", "bob")
        .recorded(NOW.minusSeconds(3600), Fixtures.SIGNATURE, "db-pool");
    feedback.append(rated);
    history.recordDecision(new PatternOccurrence("inc-1", Fixtures.SIGNATURE, "db-pool", "high_latency", 88.5, false,
        NOW.minusSeconds(7200), null, null));
    history.recordOutcome("inc-1", true, NOW.minusSeconds(3000));
    counters.reserve(SLOTS);
    dynamo.calls().reset();

    DecisionEvidence.Evidence found = evidence.gather(request("db-pool"));

    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("BatchGetItem", 1L));
    assertThat(found.playbook()).contains(playbook);
    assertThat(found.feedback()).containsExactly(FeedbackScore.of(rated));
    assertThat(found.pattern()).isEqualTo(new PatternTotals(1, 88.5, 1, 1));
    assertThat(found.category()).isEqualTo(new CategoryTotals(1, 1));
    assertThat(found.usage().taken(GLOBAL)).isEqualTo(1);
    assertThat(found.usage().taken(PER_SIGNATURE)).isEqualTo(1);
    assertThat(found.usage().cooldownUntil()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
  }

  @Test
  void gather_readsThePatternsRunOfFailuresAndDisableInTheSameBatchGetItem() {
    playbooks.create(Fixtures.playbook("db-pool", List.of("high_latency"), null));
    for (int i = 1; i <= 3; i++) {
      history.recordDecision(new PatternOccurrence("inc-" + i, Fixtures.SIGNATURE, "db-pool", "high_latency", 80,
          false, NOW.minusSeconds(7200 - i), null, null));
      history.recordOutcome("inc-" + i, false, NOW.minusSeconds(3000 - i));
    }
    history.disablePattern(Fixtures.SIGNATURE, "db-pool", NOW.minusSeconds(2000));
    dynamo.calls().reset();

    DecisionEvidence.Evidence found = evidence.gather(request("db-pool"));

    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("BatchGetItem", 1L));
    assertThat(found.pattern()).isEqualTo(new PatternTotals(3, 240, 3, 0, 3, NOW.minusSeconds(2000)));
    assertThat(found.pattern()).isEqualTo(history.patternTotals(Fixtures.SIGNATURE, "db-pool"));
  }

  @Test
  void gather_whenNothingIsStored_findsNoPlaybookAndEmptyEvidence() {
    DecisionEvidence.Evidence found = evidence.gather(request("missing"));

    assertThat(found.playbook()).isEmpty();
    assertThat(found.feedback()).isEmpty();
    assertThat(found.pattern()).isEqualTo(PatternTotals.none());
    assertThat(found.category()).isEqualTo(CategoryTotals.none());
    assertThat(found.usage().taken(GLOBAL)).isZero();
    assertThat(found.usage().cooldownUntil()).isNull();
  }

  @Test
  void gather_equalsWhatEachPortReadsOnItsOwn() {
    playbooks.create(Fixtures.playbook("db-pool", List.of("high_latency"), null));
    feedback.append(Feedback.of("inc-1", Feedback.Type.CORRECTION, 3, false, null, null, "", "", "by hand", "amy")
        .recorded(NOW.minusSeconds(60), Fixtures.SIGNATURE, "db-pool"));
    history.recordDecision(new PatternOccurrence("inc-1", Fixtures.SIGNATURE, "db-pool", "high_latency", 40, false,
        NOW.minusSeconds(600), null, null));
    history.recordOutcome("inc-1", false, NOW);
    counters.reserve(new ActionCounters.Slots(List.of(GLOBAL), null));

    DecisionEvidence.Evidence batched = evidence.gather(request("db-pool"));
    DecisionEvidence.Evidence oneByOne = DecisionEvidence.of(playbooks, feedback, history, counters)
        .gather(request("db-pool"));

    assertThat(batched).isEqualTo(oneByOne);
  }

  @Test
  void gather_withoutSignature_readsNoPatternEvidence() {
    playbooks.create(Fixtures.playbook("db-pool", List.of("high_latency"), null));
    feedback.append(Feedback.of("inc-1", Feedback.Type.REMEDIATION, 5, true, true, true, "", "", "", "bob")
        .recorded(NOW, Fixtures.SIGNATURE, "db-pool"));

    DecisionEvidence.Evidence found = evidence.gather(new DecisionEvidence.Request("db-pool", null, "high_latency",
        NOW.minus(Duration.ofDays(182)), ActionCounters.Slots.none()));

    assertThat(found.playbook()).isPresent();
    assertThat(found.feedback()).isEmpty();
    assertThat(found.pattern()).isEqualTo(PatternTotals.none());
    assertThat(found.usage()).isEqualTo(ActionCounters.Usage.none());
  }
}
