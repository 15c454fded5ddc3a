package dev.reflex.lambda.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.adapters.files.Redactor;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.AuditLog;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.service.RecordFeedback;
import dev.reflex.domain.service.ReenablePlaybook;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a person does to Reflex (feedback, re-enabling a playbook, reading the audit trail), each
 * audited the same way on both runtimes: the embedded default's HTTP API and the AWS operator
 * function only parse requests and map answers around these.
 */
public final class OperatorActions {

  private final IncidentStore incidents;
  private final AuditLog audit;
  private final ObjectMapper json;

  public OperatorActions(IncidentStore incidents, AuditLog audit, ObjectMapper json) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** Records the feedback and audits it under its incident; the feedback as recorded. */
  public ObjectNode feedback(RecordFeedback record, Feedback given) {
    Feedback recorded = record.record(given);
    audit.append(new AuditEntry(recorded.at(), recorded.incidentId(), recorded.author(), "feedback.recorded",
        recorded.type().wireName() + " rating " + recorded.rating() + "/5"));
    ObjectNode view = json.createObjectNode();
    view.put("incidentId", recorded.incidentId());
    view.put("type", recorded.type().wireName());
    view.put("rating", recorded.rating());
    view.put("helpful", recorded.helpful());
    view.put("accurate", recorded.accurate());
    view.put("actionsWorked", recorded.actionsWorked());
    view.put("comment", recorded.comment());
    view.put("whatWorked", recorded.whatWorked());
    view.put("actualResolution", recorded.actualResolution());
    view.put("author", recorded.author());
    view.put("at", recorded.at().toString());
    view.put("signature", recorded.signature() == null ? null : recorded.signature().toString());
    view.put("playbookId", recorded.playbookId());
    view.put("value", recorded.value());
    return view;
  }

  /**
   * Re-enables a playbook for one signature ({@code signature} given) or as a whole, audited as a
   * configuration change under {@link AuditEntry#SYSTEM} with the actor and the (redacted) reason.
   */
  public ReenablePlaybook.Reenabled reenable(ReenablePlaybook reenable, String playbookId, Signature signature,
      String actor, String reason) {
    ReenablePlaybook.Reenabled done = reenable.reenable(playbookId, signature, actor, reason);
    String what = signature == null ? playbookId + " is " + done.playbook().status().name()
        : playbookId + " is enabled again for signature " + signature;
    audit.append(new AuditEntry(done.at(), AuditEntry.SYSTEM, done.actor(), "playbook.reenabled",
        Redactor.redactAndTruncate(what + ": " + done.reason(), 1000)));
    return done;
  }

  /**
   * The audit trail of an incident, oldest first; {@link AuditEntry#SYSTEM} for configuration changes.
   *
   * @throws IncidentNotFoundException for an unknown incident
   */
  public List<ObjectNode> auditTrail(String incidentId) {
    if (!incidentId.equals(AuditEntry.SYSTEM) && incidents.find(incidentId).isEmpty()) {
      throw new IncidentNotFoundException("no incident " + incidentId);
    }
    List<ObjectNode> out = new ArrayList<>();
    for (AuditEntry entry : audit.byIncident(incidentId)) {
      out.add(json.createObjectNode().put("at", entry.at().toString()).put("incidentId", entry.incidentId())
          .put("actor", entry.actor()).put("action", entry.action()).put("detail", entry.detail()));
    }
    return out;
  }
}
