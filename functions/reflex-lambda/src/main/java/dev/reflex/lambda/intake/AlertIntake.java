package dev.reflex.lambda.intake;

import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AlertStatus;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.WorkflowStarter;
import dev.reflex.domain.service.IngestAlerts;
import dev.reflex.lambda.ingest.AlertmanagerWebhookParser;
import java.util.ArrayList;
import java.util.List;

/**
 * The front door: validates a webhook body, opens one incident per new alert occurrence and
 * starts its remediation workflow.
 *
 * <p>Starting is idempotent (the workflow execution is named after the incident), so a
 * re-delivery of a body whose first delivery crashed between "incident stored" and "workflow
 * started" heals it instead of leaving an incident nobody works on.
 */
public final class AlertIntake {

  private final AlertmanagerWebhookParser parser;
  private final IngestAlerts ingestAlerts;
  private final WorkflowStarter workflows;

  public AlertIntake(AlertmanagerWebhookParser parser, IngestAlerts ingestAlerts, WorkflowStarter workflows) {
    this.parser = parser;
    this.ingestAlerts = ingestAlerts;
    this.workflows = workflows;
  }

  /**
   * @throws dev.reflex.domain.error.InvalidInputException naming the field; nothing is stored
   */
  public Result accept(byte[] body) {
    List<Alert> alerts = parser.parse(body);
    List<IngestAlerts.Ingested> ingested = ingestAlerts.ingest(alerts);
    List<Entry> entries = new ArrayList<>();
    boolean created = false;
    for (IngestAlerts.Ingested one : ingested) {
      created |= one.created();
      if (one.incidentId() != null
          && one.alertStatus() == AlertStatus.FIRING
          && one.status() == IncidentStatus.OPEN) {
        workflows.start(one.incidentId());
      }
      entries.add(new Entry(
          one.incidentId(),
          one.signature() == null ? null : one.signature().toString(),
          one.status() == null ? null : one.status().name(),
          one.alertStatus().name().toLowerCase(java.util.Locale.ROOT),
          one.created()));
    }
    return new Result(created, entries);
  }

  /** @param created true when at least one new incident was opened */
  public record Result(boolean created, List<Entry> incidents) {}

  /** @param id null for a resolved alert that matched no incident */
  public record Entry(String id, String signature, String status, String alertStatus, boolean created) {}
}
