package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.approval.ApprovalRequirement;
import dev.reflex.domain.error.ApprovalAlreadyDecidedException;
import dev.reflex.domain.error.ApprovalExpiredException;
import dev.reflex.domain.error.ApprovalNotFoundException;
import dev.reflex.domain.error.InvalidApprovalSignatureException;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Approval.ApprovalStatus;
import dev.reflex.domain.model.ApprovalNotice;
import dev.reflex.domain.model.ApprovalVote;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.policy.RemediationPolicy;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.Playbooks;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApprovalFlowTest {

  private static final String TOKEN = "AAAA-task-token-SECRET-1234";
  private static final String ALICE = "alice@example.com";
  private static final String BOB = "bob@example.com";
  private static final String CAROL = "carol@example.com";
  private static final ApprovalVote.Source FROM = ApprovalVote.Source.link("203.0.113.9", "Mozilla/5.0 test");
  private final World world = new World();
  private String incidentId;

  @BeforeEach
  void decidedIncident() {
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.8));
    Incident incident = world.detected(Alerts.highLatency());
    world.match.match(incident.id());
    world.decide(RemediationPolicy.defaults()).decide(incident.id());
    incidentId = incident.id();
  }

  private Approval requested() {
    return world.requestApproval.request(incidentId, TOKEN, Duration.ofHours(1));
  }

  private String sig(Approval approval, String approver) {
    return world.links.signature(approval, approver);
  }

  private Approval vote(Approval approval, String approver, boolean approve) {
    return world.resolveApproval.decide(approval.id(), approver, sig(approval, approver), approve, "", FROM);
  }

  @Test
  void request_storesPendingApproval_sendsEachApproverTheirOwnLink() {
    Approval approval = requested();

    assertThat(approval.id()).matches("apr-[a-z2-7]{26}");
    assertThat(approval.status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(approval.expiresAt()).isEqualTo(world.clock.instant().plus(Duration.ofHours(1)));
    assertThat(approval.approvers()).containsExactly(ALICE, BOB, CAROL);
    assertThat(world.approvals.find(approval.id()).orElseThrow().taskToken()).isEqualTo(TOKEN);
    Incident incident = world.incident(incidentId);
    assertThat(incident.status()).isEqualTo(IncidentStatus.AWAITING_APPROVAL);
    assertThat(incident.approvalId()).isEqualTo(approval.id());
    ApprovalNotice notice = world.notifier.last();
    assertThat(notice.links()).extracting(ApprovalNotice.PersonalLink::approver).containsExactly(ALICE, BOB, CAROL);
    assertThat(notice.links()).extracting(ApprovalNotice.PersonalLink::url).doesNotHaveDuplicates()
        .allSatisfy(url -> assertThat(url).startsWith("https://reflex.example/approvals/" + approval.id() + "/"));
    assertThat(world.notifier.linkOf(BOB)).isEqualTo(world.links.pageUrl(approval, BOB))
        .contains("/bob%40example.com?sig=" + sig(approval, BOB));
    assertThat(notice.subject()).isEqualTo("[Reflex] Approval needed: high_latency|payment-api|india (safe_write)");
  }

  @Test
  void request_evidenceCarriesPlanDryRunScoreSimilarTargetsAndReview() {
    requested();

    String evidence = world.notifier.last().evidence();
    assertThat(evidence)
        .contains("Playbook: db-pool@1.0.0 (catalog)", "Review: reviewed")
        .contains("1. Inspect pods [read_only] ansible.builtin.command; rollback: none")
        .contains("2. Rolling restart [safe_write] ansible.builtin.command; rollback: Rolling restart")
        .contains("Dry run: Dry run of db-pool: nothing was executed", "Could not be simulated: Inspect pods, Rolling restart")
        .contains("Reliability: not scored")
        .contains("Targets (blast radius): 1: service payment-api")
        .contains("Similar past incidents:", "none with an outcome")
        .contains("Approvers: 1 of 3 (alice@example.com, bob@example.com, carol@example.com) must approve")
        .contains("confidence 0.80", "auto-remediation is off");
    assertThat(world.approvals.find(world.notifier.last().approvalId()).orElseThrow().evidence()).isEqualTo(evidence);
  }

  @Test
  void request_tokenNeverAppearsInLinksEvidenceOrTimeline() {
    requested();

    ApprovalNotice notice = world.notifier.last();
    assertThat(notice.links()).allSatisfy(link -> assertThat(link.url()).doesNotContain(TOKEN));
    assertThat(notice.evidence()).doesNotContain(TOKEN);
    assertThat(world.incident(incidentId).timeline()).noneSatisfy(e -> assertThat(e.message()).contains(TOKEN));
    assertThat(world.incident(incidentId).toString()).doesNotContain(TOKEN);
    assertThat(world.approvals.all().get(0).toString()).doesNotContain(TOKEN);
  }

  @Test
  void request_retriedWithSameToken_returnsSameApproval() {
    Approval first = requested();
    Approval again = requested();

    assertThat(again).isEqualTo(first);
    assertThat(world.approvals.all()).hasSize(1);
    assertThat(world.notifier.notices()).hasSize(1);
  }

  @Test
  void decide_withOwnLink_approvesResumesWorkflowAndRecordsWhoWhenWhere() {
    Approval approval = requested();

    Approval decided = world.resolveApproval.decide(approval.id(), ALICE, sig(approval, ALICE), true,
        "looks \"right\"", FROM);

    assertThat(decided.status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(decided.votes()).singleElement().satisfies(vote -> {
      assertThat(vote.approver()).isEqualTo(ALICE);
      assertThat(vote.at()).isEqualTo(world.clock.instant());
      assertThat(vote.source().describe()).isEqualTo("link from 203.0.113.9 (Mozilla/5.0 test)");
    });
    assertThat(world.incident(incidentId).status()).isEqualTo(IncidentStatus.APPROVED);
    assertThat(world.callbacks.successes()).singleElement().satisfies(s -> {
      assertThat(s.taskToken()).isEqualTo(TOKEN);
      assertThat(s.outputJson()).isEqualTo("{\"approved\":true,\"approvalId\":\"" + approval.id()
          + "\",\"decidedBy\":\"alice@example.com\",\"reason\":\"looks \\\"right\\\"\"}");
    });
  }

  @Test
  void decide_reject_marksIncidentRejectedAndFailsTheTask() {
    Approval approval = requested();

    world.resolveApproval.decide(approval.id(), BOB, sig(approval, BOB), false, "not now", FROM);

    assertThat(world.incident(incidentId).status()).isEqualTo(IncidentStatus.REJECTED);
    assertThat(world.callbacks.successes()).isEmpty();
    assertThat(world.callbacks.failures()).singleElement().satisfies(f -> {
      assertThat(f.taskToken()).isEqualTo(TOKEN);
      assertThat(f.error()).isEqualTo(ResolveApproval.REJECTED_ERROR);
      assertThat(f.cause()).contains("\"approved\":false", "\"decidedBy\":\"bob@example.com\"", "not now");
    });
  }

  @Test
  void mOfN_twoOfThree_releasesTokenOnlyOnSecondDistinctApproval() {
    world.requirement = new ApprovalRequirement(List.of(ALICE, BOB, CAROL), 2, "critical");
    Approval approval = requested();

    Approval afterAlice = vote(approval, ALICE, true);
    assertThat(afterAlice.status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(world.callbacks.successes()).isEmpty();
    assertThat(world.incident(incidentId).status()).isEqualTo(IncidentStatus.AWAITING_APPROVAL);
    assertThat(world.incident(incidentId).timeline()).last()
        .satisfies(e -> assertThat(e.message()).isEqualTo("approved by alice@example.com (1 of 2 approvals)"));

    assertThatThrownBy(() -> vote(approval, ALICE, true)).as("the same approver twice")
        .isInstanceOf(ApprovalAlreadyDecidedException.class);
    assertThat(world.callbacks.successes()).isEmpty();

    Approval afterCarol = vote(approval, CAROL, true);
    assertThat(afterCarol.status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(afterCarol.decidedBy()).isEqualTo("alice@example.com, carol@example.com");
    assertThat(world.incident(incidentId).status()).isEqualTo(IncidentStatus.APPROVED);
    assertThat(world.callbacks.successes()).singleElement()
        .satisfies(s -> assertThat(s.outputJson()).contains("\"decidedBy\":\"alice@example.com, carol@example.com\""));

    assertThatThrownBy(() -> vote(approval, BOB, true)).as("the third link after the decision")
        .isInstanceOf(ApprovalAlreadyDecidedException.class);
    assertThat(world.callbacks.successes()).hasSize(1);
  }

  @Test
  void mOfN_oneRejection_failsTheTaskAtOnce() {
    world.requirement = new ApprovalRequirement(List.of(ALICE, BOB, CAROL), 2, "critical");
    Approval approval = requested();

    vote(approval, ALICE, true);
    Approval rejected = vote(approval, BOB, false);

    assertThat(rejected.status()).isEqualTo(ApprovalStatus.REJECTED);
    assertThat(world.callbacks.successes()).isEmpty();
    assertThat(world.callbacks.failures()).hasSize(1);
    assertThatThrownBy(() -> vote(approval, CAROL, true)).isInstanceOf(ApprovalAlreadyDecidedException.class);
  }

  @Test
  void mOfN_whenAnotherVoteLandsBetweenReadAndWrite_bothVotesCount() {
    world.requirement = new ApprovalRequirement(List.of(ALICE, BOB, CAROL), 2, "critical");
    Approval approval = requested();
    // Bob's vote is written after Alice's request read the approval, before she writes hers
    Approval bobFirst = approval.withVote(new ApprovalVote(BOB, true, world.clock.instant(), "", FROM));
    ResolveApproval racing = new ResolveApproval(new RacingStore(world, bobFirst), world.incidents, world.callbacks,
        world.links, world.clock);

    Approval decided = racing.decide(approval.id(), ALICE, sig(approval, ALICE), true, "", FROM);

    assertThat(decided.status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(decided.approvedBy()).containsExactly(BOB, ALICE);
    assertThat(world.approvals.find(approval.id()).orElseThrow().votes()).hasSize(2);
    assertThat(world.callbacks.successes()).hasSize(1);
  }

  @Test
  void decide_withForgedSignature_isRefusedAndChangesNothing() {
    Approval approval = requested();

    assertThatThrownBy(() -> world.resolveApproval.decide(approval.id(), ALICE, "forged", true, "", FROM))
        .isInstanceOf(InvalidApprovalSignatureException.class);
    assertThatThrownBy(() -> world.resolveApproval.view(approval.id(), ALICE, "forged"))
        .isInstanceOf(InvalidApprovalSignatureException.class);
    assertThat(world.approvals.find(approval.id()).orElseThrow().votes()).isEmpty();
    assertThat(world.callbacks.successes()).isEmpty();
  }

  @Test
  void decide_withAnotherApproversAddressOnAlicesSignature_isRefused() {
    Approval approval = requested();
    String alicesSig = sig(approval, ALICE);

    assertThatThrownBy(() -> world.resolveApproval.decide(approval.id(), BOB, alicesSig, true, "", FROM))
        .isInstanceOf(InvalidApprovalSignatureException.class);
    assertThatThrownBy(() -> world.resolveApproval.decide(approval.id(), "mallory@evil.example", alicesSig, true, "",
        FROM)).isInstanceOf(InvalidApprovalSignatureException.class);
    assertThat(world.approvals.find(approval.id()).orElseThrow().votes()).isEmpty();
  }

  @Test
  void decide_withValidlySignedLinkForSomeoneNotAnApprover_isRefused() {
    Approval approval = requested();
    String outsider = "dave@example.com";

    assertThatThrownBy(() -> world.resolveApproval.decide(approval.id(), outsider, sig(approval, outsider), true, "",
        FROM)).isInstanceOf(InvalidApprovalSignatureException.class);
  }

  @Test
  void decide_afterExpiry_isRefused() {
    Approval approval = requested();
    world.clock.advance(Duration.ofHours(1));
    String sig = sig(approval, ALICE);

    assertThatThrownBy(() -> world.resolveApproval.decide(approval.id(), ALICE, sig, true, "", FROM))
        .isInstanceOf(ApprovalExpiredException.class);
    assertThatThrownBy(() -> world.resolveApproval.view(approval.id(), ALICE, sig))
        .isInstanceOf(ApprovalExpiredException.class);
    assertThat(world.callbacks.successes()).isEmpty();
  }

  @Test
  void decide_replayedLink_isRefusedAndChangesNothing() {
    Approval approval = requested();
    vote(approval, ALICE, true);

    assertThatThrownBy(() -> world.resolveApproval.decide(approval.id(), ALICE, sig(approval, ALICE), false, "", FROM))
        .isInstanceOf(ApprovalAlreadyDecidedException.class);
    assertThat(world.approvals.find(approval.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(world.incident(incidentId).status()).isEqualTo(IncidentStatus.APPROVED);
    assertThat(world.callbacks.successes()).hasSize(1);
    assertThat(world.callbacks.failures()).isEmpty();
    assertThat(world.resolveApproval.view(approval.id(), ALICE, sig(approval, ALICE)).status())
        .as("decided ones are shown").isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void view_changesNothing() {
    Approval approval = requested();

    for (int i = 0; i < 3; i++) {
      world.resolveApproval.view(approval.id(), ALICE, sig(approval, ALICE));
    }

    assertThat(world.approvals.find(approval.id()).orElseThrow()).isEqualTo(approval);
    assertThat(world.callbacks.successes()).isEmpty();
    assertThat(world.incident(incidentId).status()).isEqualTo(IncidentStatus.AWAITING_APPROVAL);
  }

  @Test
  void decideAsOperator_needsNoSignatureAndIsRecordedAsOperator() {
    Approval approval = requested();

    Approval decided = world.resolveApproval.decideAsOperator(approval.id(), true, "local-operator", "cli");

    assertThat(decided.votes()).singleElement()
        .satisfies(vote -> assertThat(vote.source().channel()).isEqualTo("operator"));
    assertThat(world.incident(incidentId).status()).isEqualTo(IncidentStatus.APPROVED);
    assertThat(world.callbacks.successes()).hasSize(1);
  }

  @Test
  void link_pathCarriesIdAndAddress() {
    Approval approval = requested();

    URI link = URI.create(world.notifier.linkOf(CAROL));

    assertThat(link.getRawPath()).isEqualTo("/approvals/" + approval.id() + "/carol%40example.com");
    assertThat(link.getRawQuery()).isEqualTo("sig=" + sig(approval, CAROL));
  }

  @Test
  void view_unknownApproval_isNotFound() {
    assertThatThrownBy(() -> world.resolveApproval.view("apr-missing", ALICE, "x"))
        .isInstanceOf(ApprovalNotFoundException.class);
  }

  /** A store where another approver's vote lands once, between a read and the write that follows it. */
  private static final class RacingStore implements dev.reflex.domain.port.ApprovalStore {
    private final World world;
    private Approval interloper;

    RacingStore(World world, Approval interloper) {
      this.world = world;
      this.interloper = interloper;
    }

    @Override
    public void create(Approval approval) {
      world.approvals.create(approval);
    }

    @Override
    public java.util.Optional<Approval> find(String id) {
      return world.approvals.find(id);
    }

    @Override
    public java.util.Optional<Approval> findByIncident(String incidentId) {
      return world.approvals.findByIncident(incidentId);
    }

    @Override
    public boolean update(Approval next) {
      if (interloper != null) {
        assertThat(world.approvals.update(interloper)).isTrue();
        interloper = null;
      }
      return world.approvals.update(next);
    }
  }
}
