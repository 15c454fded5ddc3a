package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.matching.PlaybookMatcher;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.PatternTotals;
import dev.reflex.domain.policy.Policy;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.FixedPolicySource;
import dev.reflex.testkit.InMemoryActionCounters;
import dev.reflex.testkit.InMemoryFeedbackStore;
import dev.reflex.testkit.InMemoryOutcomeHistory;
import dev.reflex.testkit.Playbooks;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A catalog playbook that fails three times in a row for one signature is disabled for that
 * signature only, through the whole service chain: detect, match, decide (policy engine), approve,
 * execute, learn. A failure is the realistic one: every command succeeded but the alert never
 * resolved.
 */
class PatternDisableTest {

  private static final Signature PAYMENT = Signature.of("high_latency", "payment-api", "india");
  private static final Signature ORDERS = Signature.of("high_latency", "orders-api", "india");

  private final World world = new World();
  private final InMemoryOutcomeHistory history = new InMemoryOutcomeHistory();
  private final FixedPolicySource policies = new FixedPolicySource(Policy.defaults().toBuilder()
      .name("default.yml").build());
  /**
   * Matching at the confidence floor: learning lowers the shared playbook's confidence with each
   * failure, and the floor keeps an always-failing playbook matchable (what the disable is for).
   */
  private final MatchPlaybook match = new MatchPlaybook(world.incidents, world.playbooks,
      new PlaybookMatcher(LearnFromOutcome.FLOOR), world.clock);
  private final DecideRemediation decide = new DecideRemediation(world.incidents, world.playbooks, policies,
      world.classifier, world.forbidden, new InMemoryActionCounters(world.clock), new InMemoryFeedbackStore(),
      history, world.clock);
  private final LearnFromOutcome learn = new LearnFromOutcome(world.incidents, world.playbooks, history, world.clock);
  private final ReenablePlaybook reenable = new ReenablePlaybook(world.playbooks, history, world.clock);

  private int occurrence;

  PatternDisableTest() {
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.85));
  }

  private static Alert latency(String service) {
    return Alerts.builder("HighLatency").label("service", service).label("region", "india")
        .label("severity", "critical").annotation("value", "1850ms").annotation("threshold", "500ms").build();
  }

  /** A new occurrence of the service's alert, detected, matched and decided. */
  private Incident decided(String service) {
    Alert alert = Alerts.recurrence(latency(service), Alerts.STARTS_AT.plusSeconds(60L * occurrence++));
    Incident incident = world.detected(alert);
    match.match(incident.id());
    decide.decide(incident.id());
    return world.incident(incident.id());
  }

  /** Decided, approved, executed; the alert resolves only when {@code resolves}; then learned from. */
  private Incident remediated(String service, boolean resolves) {
    Incident incident = decided(service);
    assertThat(incident.playbookId()).isEqualTo("db-pool");
    assertThat(incident.decision().allowed()).as("decision of %s: %s", incident.id(),
        incident.decision().reasoning()).isTrue();
    String id = incident.id();
    Approval approval = world.requestApproval.request(id, "token-" + id, Duration.ofHours(1));
    world.resolveApproval.decideAsOperator(approval.id(), true, "operator", "");
    assertThat(world.execute.execute(id).success()).isTrue();
    if (resolves) {
      world.alertResolves(id);
    }
    world.clock.advance(Duration.ofMinutes(5));
    return learn.learn(id);
  }

  private Incident failed(String service) {
    return remediated(service, false);
  }

  private static String lastNote(Incident incident) {
    return incident.timeline().get(incident.timeline().size() - 1).message();
  }

  @Test
  void learn_threeFailuresForOneSignature_disableThePlaybookForThatSignatureOnly() {
    failed("payment-api");
    Incident second = failed("payment-api");
    assertThat(history.patternTotals(PAYMENT, "db-pool").disabled()).isFalse();
    assertThat(lastNote(second)).doesNotContain("disabled for signature");

    Incident third = failed("payment-api");

    PatternTotals payment = history.patternTotals(PAYMENT, "db-pool");
    assertThat(payment.consecutiveFailures()).isEqualTo(3);
    assertThat(payment.disabledAt()).isEqualTo(world.clock.instant());
    assertThat(history.patternTotals(ORDERS, "db-pool").disabled()).isFalse();
    assertThat(world.playbooks.get("db-pool").status()).isEqualTo(PlaybookStatus.ACTIVE);
    assertThat(third.status()).isEqualTo(IncidentStatus.FAILED);
    assertThat(lastNote(third)).contains("playbook db-pool disabled for signature high_latency|payment-api|india "
        + "after 3 consecutive failures: a person must re-enable it (./reflex playbooks enable db-pool "
        + "--signature 'high_latency|payment-api|india' --reason TEXT)");
  }

  @Test
  void decide_afterThreeFailuresForOneSignature_refusesItsNextIncidentWithTheReasonAndAllowsAnotherSignature() {
    for (int i = 0; i < 3; i++) {
      failed("payment-api");
    }
    java.time.Instant disabledAt = world.clock.instant();

    Incident fourth = decided("payment-api");
    Incident other = decided("orders-api");

    Decision refused = fourth.decision();
    assertThat(refused.allowed()).isFalse();
    assertThat(fourth.status()).isEqualTo(IncidentStatus.REFUSED);
    assertThat(refused.reasoning()).anySatisfy(line -> assertThat(line).isEqualTo(
        "playbook db-pool for signature high_latency|payment-api|india is disabled since " + disabledAt
            + " after 3 consecutive failures; a person must re-enable it (./reflex playbooks enable db-pool "
            + "--signature 'high_latency|payment-api|india' --reason TEXT); other signatures may still use it: refused"));
    assertThat(refused.reasoning()).last().asString().isEqualTo("decision: refused (pattern_status)");
    assertThat(other.playbookId()).isEqualTo("db-pool");
    assertThat(other.decision().allowed()).isTrue();
    assertThat(other.decision().reasoning()).contains("playbook db-pool for signature high_latency|orders-api|india "
        + "is enabled: 0 consecutive failure(s), disabled at 3: ok");
  }

  @Test
  void learn_successBetweenFailures_resetsTheRunOfFailures() {
    failed("payment-api");
    failed("payment-api");
    remediated("payment-api", true);
    failed("payment-api");
    failed("payment-api");

    assertThat(history.patternTotals(PAYMENT, "db-pool").consecutiveFailures()).isEqualTo(2);
    assertThat(history.patternTotals(PAYMENT, "db-pool").disabled()).isFalse();

    failed("payment-api");

    assertThat(history.patternTotals(PAYMENT, "db-pool").disabled()).isTrue();
  }

  @Test
  void reenable_forTheSignature_allowsItAgainAndTheRunStartsFromZero() {
    for (int i = 0; i < 3; i++) {
      failed("payment-api");
    }

    ReenablePlaybook.Reenabled done = reenable.reenable("db-pool", PAYMENT, " alice@example.com ", "pool size fixed");

    assertThat(done.signature()).isEqualTo(PAYMENT);
    assertThat(done.actor()).isEqualTo("alice@example.com");
    assertThat(done.reason()).isEqualTo("pool size fixed");
    assertThat(done.playbook().status()).isEqualTo(PlaybookStatus.ACTIVE);
    assertThat(history.patternTotals(PAYMENT, "db-pool").consecutiveFailures()).isZero();
    failed("payment-api");
    failed("payment-api");
    assertThat(history.patternTotals(PAYMENT, "db-pool").disabled()).isFalse();
    assertThat(decided("payment-api").decision().allowed()).isTrue();
  }

  @Test
  void reenable_forASignatureThatIsNotDisabled_isRefusedNamingStatus() {
    failed("payment-api");

    assertThatThrownBy(() -> reenable.reenable("db-pool", PAYMENT, "alice", "why not"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("status"))
        .hasMessageContaining("is not disabled for signature high_latency|payment-api|india");
  }

  @Test
  void reenable_wholePlaybookWhenOnlyASignatureIsDisabled_isRefusedPointingAtTheSignature() {
    for (int i = 0; i < 3; i++) {
      failed("payment-api");
    }

    assertThatThrownBy(() -> reenable.reenable("db-pool", "alice", "fixed"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("status"))
        .hasMessageContaining("re-enabled with that signature");
    assertThat(history.patternTotals(PAYMENT, "db-pool").disabled()).isTrue();
  }

  @Test
  void reenable_withASignatureButNoHistory_isRefusedNamingSignature() {
    ReenablePlaybook wholeOnly = new ReenablePlaybook(world.playbooks, world.clock);

    assertThatThrownBy(() -> wholeOnly.reenable("db-pool", PAYMENT, "alice", "fixed"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("signature"));
  }

  @Test
  void signature_whenNotTypeServiceScopeAsStored_isRefusedNamingSignature() {
    for (String bad : new String[] {"", "high_latency|payment-api", "High Latency|payment-api|india",
        "high_latency|payment-api|india; rm -rf /"}) {
      assertThatThrownBy(() -> ReenablePlaybook.signature(bad)).as(bad)
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("signature"));
    }
    assertThat(ReenablePlaybook.signature(" high_latency|payment-api|india ")).isEqualTo(PAYMENT);
  }

  @Test
  void learn_retriedForAnIncidentAlreadyLearned_doesNotCountItTwice() {
    Incident first = failed("payment-api");

    learn.learn(first.id());

    assertThat(history.patternTotals(PAYMENT, "db-pool").consecutiveFailures()).isEqualTo(1);
  }

  @Test
  void recordOutcome_changedOutcomeOfAJudgedIncident_leavesTheRunOfFailuresAsItWas() {
    history.recordDecision(new PatternOccurrence("inc-1", PAYMENT, "db-pool", "high_latency", 90, false,
        world.clock.instant(), null, null));
    history.recordOutcome("inc-1", false, world.clock.instant());
    history.recordOutcome("inc-1", false, world.clock.instant());
    history.recordOutcome("inc-1", true, world.clock.instant());
    history.recordOutcome("inc-1", false, world.clock.instant());

    PatternTotals totals = history.patternTotals(PAYMENT, "db-pool");
    assertThat(totals.consecutiveFailures()).isEqualTo(1);
    assertThat(totals.outcomes()).isEqualTo(1);
    assertThat(totals.successes()).isZero();
  }

  @Test
  void disablePattern_whenDisabledAlready_keepsTheFirstDate() {
    java.time.Instant first = world.clock.instant();
    assertThat(history.disablePattern(PAYMENT, "db-pool", first)).isTrue();

    assertThat(history.disablePattern(PAYMENT, "db-pool", first.plusSeconds(60))).isFalse();

    assertThat(history.patternTotals(PAYMENT, "db-pool").disabledAt()).isEqualTo(first);
    assertThat(history.reenablePattern(PAYMENT, "db-pool")).isTrue();
    assertThat(history.reenablePattern(PAYMENT, "db-pool")).isFalse();
  }
}
