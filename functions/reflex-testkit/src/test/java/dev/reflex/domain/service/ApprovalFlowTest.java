package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.ApprovalAlreadyDecidedException;
import dev.reflex.domain.error.ApprovalExpiredException;
import dev.reflex.domain.error.ApprovalNotFoundException;
import dev.reflex.domain.error.InvalidApprovalSignatureException;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Approval.ApprovalStatus;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.policy.RemediationPolicy;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.Playbooks;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApprovalFlowTest {

  private static final String TOKEN = "AAAA-task-token-SECRET-1234";
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

  @Test
  void request_storesPendingApproval_notifiesWithSignedLink_andAwaits() {
    Approval approval = world.requestApproval.request(incidentId, TOKEN, Duration.ofHours(1));

    assertThat(approval.id()).matches("apr-[a-z2-7]{26}");
    assertThat(approval.status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(approval.expiresAt()).isEqualTo(world.clock.instant().plus(Duration.ofHours(1)));
    assertThat(world.approvals.find(approval.id()).orElseThrow().taskToken()).isEqualTo(TOKEN);
    Incident incident = world.incident(incidentId);
    assertThat(incident.status()).isEqualTo(IncidentStatus.AWAITING_APPROVAL);
    assertThat(incident.approvalId()).isEqualTo(approval.id());
    var notification = world.notifier.last();
    assertThat(notification.approveUrl()).isEqualTo(world.links.pageUrl(approval));
    assertThat(notification.summary()).contains("db-pool@1.0.0", "safe_write", "Rolling restart",
        "confidence 0.80", "auto-remediation is off");
  }

  @Test
  void request_tokenNeverAppearsInUrlSummaryOrTimeline() {
    world.requestApproval.request(incidentId, TOKEN, Duration.ofHours(1));

    var notification = world.notifier.last();
    assertThat(notification.approveUrl()).doesNotContain(TOKEN);
    assertThat(notification.summary()).doesNotContain(TOKEN);
    assertThat(world.incident(incidentId).timeline()).noneSatisfy(e -> assertThat(e.message()).contains(TOKEN));
    assertThat(world.incident(incidentId).toString()).doesNotContain(TOKEN);
  }

  @Test
  void request_retriedWithSameToken_returnsSameApproval() {
    Approval first = world.requestApproval.request(incidentId, TOKEN, Duration.ofHours(1));
    Approval again = world.requestApproval.request(incidentId, TOKEN, Duration.ofHours(1));

    assertThat(again).isEqualTo(first);
    assertThat(world.approvals.all()).hasSize(1);
    assertThat(world.notifier.notifications()).hasSize(1);
  }

  @Test
  void decide_withValidLink_approvesResumesWorkflowAndMarksIncident() {
    Approval approval = world.requestApproval.request(incidentId, TOKEN, Duration.ofHours(1));

    Approval decided = world.resolveApproval.decide(approval.id(), world.links.signature(approval), true,
        "alice@example.com", "looks \"right\"");

    assertThat(decided.status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(world.incident(incidentId).status()).isEqualTo(IncidentStatus.APPROVED);
    assertThat(world.callbacks.successes()).singleElement().satisfies(s -> {
      assertThat(s.taskToken()).isEqualTo(TOKEN);
      assertThat(s.outputJson()).isEqualTo("{\"approved\":true,\"approvalId\":\"" + approval.id()
          + "\",\"decidedBy\":\"alice@example.com\",\"reason\":\"looks \\\"right\\\"\"}");
    });
  }

  @Test
  void decide_reject_marksIncidentRejected() {
    Approval approval = world.requestApproval.request(incidentId, TOKEN, Duration.ofHours(1));

    world.resolveApproval.decide(approval.id(), world.links.signature(approval), false, "bob", "not now");

    assertThat(world.incident(incidentId).status()).isEqualTo(IncidentStatus.REJECTED);
    assertThat(world.callbacks.successes().get(0).outputJson()).startsWith("{\"approved\":false,");
  }

  @Test
  void decide_withForgedSignature_isRefusedAndChangesNothing() {
    Approval approval = world.requestApproval.request(incidentId, TOKEN, Duration.ofHours(1));

    assertThatThrownBy(() -> world.resolveApproval.decide(approval.id(), "forged", true, "mallory", ""))
        .isInstanceOf(InvalidApprovalSignatureException.class);
    assertThatThrownBy(() -> world.resolveApproval.view(approval.id(), "forged"))
        .isInstanceOf(InvalidApprovalSignatureException.class);
    assertThat(world.approvals.find(approval.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(world.callbacks.successes()).isEmpty();
  }

  @Test
  void decide_afterExpiry_isRefused() {
    Approval approval = world.requestApproval.request(incidentId, TOKEN, Duration.ofHours(1));
    world.clock.advance(Duration.ofHours(1));
    String sig = world.links.signature(approval);

    assertThatThrownBy(() -> world.resolveApproval.decide(approval.id(), sig, true, "alice", ""))
        .isInstanceOf(ApprovalExpiredException.class);
    assertThatThrownBy(() -> world.resolveApproval.view(approval.id(), sig))
        .isInstanceOf(ApprovalExpiredException.class);
    assertThat(world.callbacks.successes()).isEmpty();
  }

  @Test
  void decide_twice_secondIsRefusedAndChangesNothing() {
    Approval approval = world.requestApproval.request(incidentId, TOKEN, Duration.ofHours(1));
    String sig = world.links.signature(approval);
    world.resolveApproval.decide(approval.id(), sig, true, "alice", "");

    assertThatThrownBy(() -> world.resolveApproval.decide(approval.id(), sig, false, "bob", ""))
        .isInstanceOf(ApprovalAlreadyDecidedException.class);
    assertThat(world.approvals.find(approval.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(world.incident(incidentId).status()).isEqualTo(IncidentStatus.APPROVED);
    assertThat(world.callbacks.successes()).hasSize(1);
    assertThat(world.resolveApproval.view(approval.id(), sig).status()).as("decided ones are shown")
        .isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void decideAsOperator_needsNoSignature() {
    Approval approval = world.requestApproval.request(incidentId, TOKEN, Duration.ofHours(1));

    world.resolveApproval.decideAsOperator(approval.id(), true, "local-operator", "cli");

    assertThat(world.incident(incidentId).status()).isEqualTo(IncidentStatus.APPROVED);
    assertThat(world.callbacks.successes()).hasSize(1);
  }

  @Test
  void view_unknownApproval_isNotFound() {
    assertThatThrownBy(() -> world.resolveApproval.view("apr-missing", "x"))
        .isInstanceOf(ApprovalNotFoundException.class);
  }
}
