package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.policy.Policy;
import dev.reflex.domain.policy.PolicyVerdict;
import dev.reflex.domain.policy.RateLimits;
import dev.reflex.domain.port.ActionCounters;
import dev.reflex.domain.port.DecisionEvidence;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.FixedPolicySource;
import dev.reflex.testkit.InMemoryActionCounters;
import dev.reflex.testkit.InMemoryFeedbackStore;
import dev.reflex.testkit.InMemoryOutcomeHistory;
import dev.reflex.testkit.Playbooks;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DecideRemediation with the policy engine, LearnFromOutcome's disable, RecordFeedback and ReenablePlaybook. */
class PolicyEngineFlowTest {

  private final World world = new World();
  private final InMemoryActionCounters counters = new InMemoryActionCounters(world.clock);
  private final InMemoryFeedbackStore feedback = new InMemoryFeedbackStore();
  private final InMemoryOutcomeHistory history = new InMemoryOutcomeHistory();
  private final FixedPolicySource policies = new FixedPolicySource(
      Policy.defaults().toBuilder().name("default.yml").autoRemediation(true).build());
  private final DecideRemediation decide = new DecideRemediation(world.incidents, world.playbooks, policies,
      world.classifier, world.forbidden, counters, feedback, history, world.clock);
  private final LearnFromOutcome learn = new LearnFromOutcome(world.incidents, world.playbooks, history, world.clock);
  private final RecordFeedback recordFeedback = new RecordFeedback(world.incidents, feedback, world.clock);
  private final ReenablePlaybook reenable = new ReenablePlaybook(world.playbooks, world.clock);

  private int occurrence;

  private Incident matched(Alert alert) {
    Incident incident = world.detected(Alerts.recurrence(alert, Alerts.STARTS_AT.plusSeconds(60L * occurrence++)));
    world.match.match(incident.id());
    return world.incident(incident.id());
  }

  /** A past, successful, well-rated occurrence of the incident's pattern. */
  private void pastSuccess(Incident incident, String playbookId, int i) {
    history.put(new PatternOccurrence("past-" + i, incident.signature(), playbookId, "high_latency", 95, false,
        world.clock.instant().minus(Duration.ofDays(i + 1)), true, world.clock.instant().minus(Duration.ofDays(i + 1))));
    feedback.append(Feedback.of("past-" + i, Feedback.Type.REMEDIATION, 5, true, true, true, "", "", "", "sre")
        .recorded(world.clock.instant().minus(Duration.ofDays(i + 1)), incident.signature(), playbookId));
  }

  @Test
  void decide_newPattern_requiresApprovalWithScoreAndEveryCheckInTheReasoning() {
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));
    Incident incident = matched(Alerts.highLatency());

    Decision decision = decide.decide(incident.id());

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.requiresApproval()).isTrue();
    assertThat(decision.reasoning()).anySatisfy(line -> assertThat(line).startsWith("reliability 39.75 (low)"))
        .anySatisfy(line -> assertThat(line).startsWith("pattern not eligible for automatic runs: 0 occurrences < 5"))
        .contains("policy default.yml applies (default)", "decision: allowed, approval required");
    assertThat(world.incident(incident.id()).timeline()).last().satisfies(entry ->
        assertThat(entry.message()).contains("reliability 39.75 (low)", "policy default.yml"));
    assertThat(history.all()).singleElement().satisfies(o -> {
      assertThat(o.playbookId()).isEqualTo("db-pool");
      assertThat(o.automatic()).isFalse();
      assertThat(o.reliability()).isEqualTo(39.75);
    });
  }

  @Test
  void decide_provenPattern_runsWithoutApproval() {
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));
    Incident incident = matched(Alerts.highLatency());
    for (int i = 0; i < 5; i++) {
      pastSuccess(incident, "db-pool", i);
    }

    Decision decision = decide.decide(incident.id());

    assertThat(decision.requiresApproval()).as(String.join("\n", decision.reasoning())).isFalse();
    assertThat(history.forPattern(incident.signature(), "db-pool")).filteredOn(PatternOccurrence::automatic).hasSize(1);
  }

  @Test
  void decide_rateLimitReached_refusesSayingWhichLimitAndWhenItResets() {
    policies.set(Policy.defaults().toBuilder().name("default.yml").limits(new RateLimits(null, 1, null, null)).build());
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));
    assertThat(decide.decide(matched(Alerts.highLatency()).id()).allowed()).isTrue();

    Incident second = matched(Alerts.highLatency());
    Decision decision = decide.decide(second.id());

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reasoning()).contains("max_actions_per_hour.per_service payment-api: limit 1 per hour reached;"
        + " resets at 2025-03-14T10:00:00Z: refused");
    assertThat(world.incident(second.id()).status()).isEqualTo(IncidentStatus.REFUSED);
  }

  @Test
  void decide_gathersItsEvidenceOnceAndReservesOnlyAnAllowedPlan() {
    policies.set(Policy.defaults().toBuilder().name("default.yml").limits(new RateLimits(1, null, null, null)).build());
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));
    java.util.concurrent.atomic.AtomicInteger gathered = new java.util.concurrent.atomic.AtomicInteger();
    DecisionEvidence ports = DecisionEvidence.of(world.playbooks, feedback, history, counters);
    DecideRemediation counting = new DecideRemediation(world.incidents, world.playbooks, policies, world.classifier,
        world.forbidden, counters, history, request -> {
          gathered.incrementAndGet();
          return ports.gather(request);
        }, DecideRemediation.BlastRadius.fromLabel(), world.clock);

    assertThat(counting.decide(matched(Alerts.highLatency()).id()).allowed()).isTrue();
    assertThat(counting.decide(matched(Alerts.highLatency()).id()).allowed()).isFalse();

    assertThat(gathered).hasValue(2);
    assertThat(counters.reservations()).isEqualTo(1);
    assertThat(counters.count("global", "all", Duration.ofHours(1))).isEqualTo(1);
  }

  @Test
  void decide_lastSlotTakenSinceTheUseWasRead_refusesNamingTheLimit() {
    policies.set(Policy.defaults().toBuilder().name("default.yml").limits(new RateLimits(null, 1, null, null)).build());
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));
    assertThat(decide.decide(matched(Alerts.highLatency()).id()).allowed()).isTrue();
    DecisionEvidence ports = DecisionEvidence.of(world.playbooks, feedback, history, counters);
    DecideRemediation stale = new DecideRemediation(world.incidents, world.playbooks, policies, world.classifier,
        world.forbidden, counters, history, request -> {
          DecisionEvidence.Evidence read = ports.gather(request);
          // as read just before the other decision took the slot
          return new DecisionEvidence.Evidence(read.playbook(), read.feedback(), read.pattern(), read.category(),
              ActionCounters.Usage.none());
        }, DecideRemediation.BlastRadius.fromLabel(), world.clock);
    Incident second = matched(Alerts.highLatency());

    Decision decision = stale.decide(second.id());

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reasoning()).contains("max_actions_per_hour.per_service payment-api: limit 1 per hour reached;"
        + " resets at 2025-03-14T10:00:00Z: refused");
    assertThat(counters.count("per_service", "payment-api", Duration.ofHours(1))).isEqualTo(1);
    assertThat(history.all()).hasSize(1);
  }

  @Test
  void decide_limitAndCooldown_areTakenTogetherOrNotAtAll() {
    policies.set(Policy.defaults().toBuilder().name("default.yml").limits(new RateLimits(null, 5, null, null))
        .cooldownAfterAction(Duration.ofMinutes(15)).build());
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));
    assertThat(decide.decide(matched(Alerts.highLatency()).id()).allowed()).isTrue();

    Decision second = decide.decide(matched(Alerts.highLatency()).id());

    assertThat(second.allowed()).isFalse();
    assertThat(second.reasoning()).anySatisfy(line -> assertThat(line)
        .startsWith("cooldown_after_action PT15M for payment-api|db-pool is running; it ends at"));
    assertThat(counters.count("per_service", "payment-api", Duration.ofHours(1))).isEqualTo(1);
  }

  @Test
  void decide_refusedPlan_reservesNothing() {
    policies.set(Policy.defaults().toBuilder().name("default.yml").enabled(false)
        .limits(new RateLimits(5, 5, 5, 5)).cooldownAfterAction(Duration.ofMinutes(5)).build());
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));

    assertThat(decide.decide(matched(Alerts.highLatency()).id()).allowed()).isFalse();

    assertThat(counters.reservations()).isZero();
  }

  @Test
  void decide_servicePolicyOverridesDefault() {
    policies.set(Policy.defaults().toBuilder().name("default.yml").build(),
        Policy.defaults().toBuilder().name("payments.yml").services(List.of("payment-api")).enabled(false).build());
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));

    Decision decision = decide.decide(matched(Alerts.highLatency()).id());

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reasoning()).contains("remediation is disabled by policy payments.yml: refused");
  }

  @Test
  void decide_blastRadiusFromTargetsLabelAboveMaxTargets_refuses() {
    policies.set(Policy.defaults().toBuilder().name("default.yml").maxTargets(2).build());
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));
    Alert wide = Alerts.builder("HighLatency").label("service", "payment-api").label("region", "india")
        .label("reflex_targets", "i-1,i-2,i-3").build();

    Decision decision = decide.decide(matched(wide).id());

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reasoning()).contains("3 target(s) > max_targets 2 (blast radius): refused");
  }

  @Test
  void preview_takesNoRateLimitSlotAndRecordsNothing() {
    policies.set(Policy.defaults().toBuilder().name("default.yml").limits(new RateLimits(1, null, null, null)).build());
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));
    Incident incident = matched(Alerts.highLatency());

    PolicyVerdict verdict = decide.preview(incident.id());

    assertThat(verdict.score()).isNotNull();
    assertThat(counters.count("global", "all", Duration.ofHours(1))).isZero();
    assertThat(world.incident(incident.id()).decision()).isNull();
    assertThat(decide.decide(incident.id()).allowed()).isTrue();
  }

  // ------------------------------------------------------------------ 3 consecutive failures, no history
  // (per signature, with a history: PatternDisableTest)

  /** Learning as the minimal built-in policy does: no outcome history, so a playbook is disabled whole. */
  private final LearnFromOutcome learnWithoutHistory = new LearnFromOutcome(world.incidents, world.playbooks,
      world.clock);

  private String executed(Playbook playbook, boolean success) {
    Incident incident = matched(Alerts.highLatency());
    ExecutionReport report = new ExecutionReport("recording", ExecutionReport.Mode.APPLY, playbook.id(),
        playbook.version(), null, success, List.of(), List.of(), world.clock.instant(), world.clock.instant(), "");
    // set the playbook directly: after two failures its confidence is below the match threshold;
    // a success is verified by the alert resolving
    Incidents.modify(world.incidents, incident.id(), current -> current.toBuilder()
        .playbook(playbook.id(), playbook.version()).execution(report)
        .alertResolvedAt(success ? world.clock.instant() : null).build());
    return incident.id();
  }

  @Test
  void learn_withoutHistory_threeConsecutiveFailuresDisableTheWholePlaybookAndSayWhy() {
    Playbook playbook = world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.8));
    learnWithoutHistory.learn(executed(playbook, false));
    learnWithoutHistory.learn(executed(playbook, false));
    assertThat(world.playbooks.get("db-pool").status()).isEqualTo(PlaybookStatus.ACTIVE);

    Incident third = learnWithoutHistory.learn(executed(playbook, false));

    assertThat(world.playbooks.get("db-pool").status()).isEqualTo(PlaybookStatus.DISABLED);
    assertThat(third.timeline()).last().satisfies(entry -> assertThat(entry.message())
        .contains("playbook db-pool DISABLED after 3 consecutive failures: a person must re-enable it "
            + "(./reflex playbooks enable db-pool --reason TEXT)"));
  }

  @Test
  void learn_withHistory_threeConsecutiveFailuresNeverDisableTheWholePlaybook() {
    Playbook playbook = world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.8));
    for (int i = 0; i < 4; i++) {
      learn.learn(executed(playbook, false));
    }

    assertThat(world.playbooks.get("db-pool").status()).isEqualTo(PlaybookStatus.ACTIVE);
    assertThat(world.playbooks.get("db-pool").stats().consecutiveFailures()).isEqualTo(4);
  }

  @Test
  void learn_withoutHistory_twoFailuresThenASuccess_keepsThePlaybookActive() {
    Playbook playbook = world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.8));
    learnWithoutHistory.learn(executed(playbook, false));
    learnWithoutHistory.learn(executed(playbook, false));
    learnWithoutHistory.learn(executed(playbook, true));
    learnWithoutHistory.learn(executed(playbook, false));

    assertThat(world.playbooks.get("db-pool").status()).isEqualTo(PlaybookStatus.ACTIVE);
    assertThat(world.playbooks.get("db-pool").stats().consecutiveFailures()).isEqualTo(1);
  }

  @Test
  void learn_recordsTheOutcomeOnTheDecidedOccurrence() {
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));
    Incident incident = matched(Alerts.highLatency());
    decide.decide(incident.id());
    ExecutionReport report = new ExecutionReport("recording", ExecutionReport.Mode.APPLY, "db-pool", "1.0.0", null,
        true, List.of(), List.of(), world.clock.instant(), world.clock.instant(), "");
    Incidents.modify(world.incidents, incident.id(), current -> current.toBuilder().execution(report)
        .alertResolvedAt(world.clock.instant()).build());

    learn.learn(incident.id());

    assertThat(history.all()).singleElement().satisfies(o -> assertThat(o.success()).isTrue());
  }

  @Test
  void reenable_disabledCatalogPlaybook_isActiveWithFailuresReset() {
    Playbook playbook = world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.8));
    for (int i = 0; i < 3; i++) {
      learnWithoutHistory.learn(executed(playbook, false));
    }
    ReenablePlaybook.Reenabled done = reenable.reenable("db-pool", "alice@example.com", "fixed the pool config");

    assertThat(done.playbook().status()).isEqualTo(PlaybookStatus.ACTIVE);
    assertThat(done.playbook().stats().consecutiveFailures()).isZero();
    assertThat(done.actor()).isEqualTo("alice@example.com");
    assertThat(done.signature()).isNull();
  }

  @Test
  void reenable_learnedPlaybook_returnsToPendingReview() {
    Incident incident = matched(Alerts.highLatency());
    world.playbooks.create(Playbooks.learned("learned-db", incident.signature(), 0.6)
        .withStatus(PlaybookStatus.DISABLED));

    assertThat(reenable.reenable("learned-db", "alice", "").playbook().status())
        .isEqualTo(PlaybookStatus.PENDING_REVIEW);
  }

  @Test
  void reenable_playbookThatIsNotDisabled_isRefused() {
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.8));
    assertThatThrownBy(() -> reenable.reenable("db-pool", "alice", "")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is active, not disabled");
    assertThatThrownBy(() -> reenable.reenable("db-pool", " ", "")).isInstanceOf(InvalidInputException.class);
  }

  // ------------------------------------------------------------------ feedback

  @Test
  void recordFeedback_bindsToPatternStampsAndNotesTheTimeline() {
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));
    Incident incident = matched(Alerts.highLatency());

    Feedback recorded = recordFeedback.record(Feedback.of(incident.id(), Feedback.Type.REMEDIATION, 4, true, true,
        true, "quick", "restart", "", "bob@example.com"));

    assertThat(recorded.at()).isEqualTo(world.clock.instant());
    assertThat(recorded.signature()).isEqualTo(incident.signature());
    assertThat(recorded.playbookId()).isEqualTo("db-pool");
    assertThat(feedback.forPattern(incident.signature(), "db-pool")).containsExactly(recorded);
    assertThat(world.incident(incident.id()).timeline()).last().satisfies(entry -> assertThat(entry.message())
        .isEqualTo("remediation feedback from bob@example.com: rating 4/5, actions worked"));
  }

  @Test
  void recordFeedback_unknownIncident_isRefused() {
    assertThatThrownBy(() -> recordFeedback.record(Feedback.of("inc-nope", Feedback.Type.GENERAL, 3, null, null, null,
        "", "", "", ""))).isInstanceOf(IncidentNotFoundException.class);
    assertThat(feedback.all()).isEmpty();
  }

  @Test
  void feedback_raisesTheNextDecisionsReliability() {
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.95));
    Incident first = matched(Alerts.highLatency());
    double before = decide.preview(first.id()).score().total();
    recordFeedback.record(Feedback.of(first.id(), Feedback.Type.REMEDIATION, 5, true, true, true, "", "", "", "bob"));

    double after = decide.preview(first.id()).score().total();

    assertThat(after - before).isEqualTo(30.0);
  }

  @Test
  void llmDraft_neverRunsWithoutApproval() {
    Incident incident = matched(Alerts.highLatency());
    world.playbooks.create(Playbooks.builder("llm-db").source(PlaybookSource.LLM).signature(incident.signature())
        .confidence(0.95).build());
    assertThat(decide.preview(incident.id()).decision().requiresApproval()).isTrue();
  }
}
