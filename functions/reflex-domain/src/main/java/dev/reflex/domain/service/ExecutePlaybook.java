package dev.reflex.domain.service;

import dev.reflex.domain.error.InvalidParameterException;
import dev.reflex.domain.error.PlanRefusedException;
import dev.reflex.domain.error.PlaybookNotFoundException;
import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.port.Executor;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.PlaybookStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs an incident's playbook when the decision allows it: allowed, and approved by a person when
 * approval is required. Parameters are bound from the alert and validated first; an invalid one
 * fails the incident with a report saying nothing ran. Idempotent: a recorded execution is
 * returned as is. Every recorded execution names the playbook id, version and commit SHA it ran:
 * what an executor leaves out is taken from the playbook it was given.
 */
public final class ExecutePlaybook {

  private final IncidentStore incidents;
  private final PlaybookStore playbooks;
  private final Executor executor;
  private final ParameterBinder binder;
  private final Clock clock;

  public ExecutePlaybook(IncidentStore incidents, PlaybookStore playbooks, Executor executor, ParameterBinder binder,
      Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.binder = Objects.requireNonNull(binder, "binder");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @throws PlanRefusedException when there is no decision, it refused the plan, approval is required
   *     but the incident is not APPROVED, or the playbook is no longer matchable
   */
  public ExecutionReport execute(String incidentId) {
    Incident incident = Incidents.load(incidents, incidentId);
    if (incident.execution() != null) {
      return incident.execution();
    }
    Decision decision = incident.decision();
    if (decision == null) {
      throw new PlanRefusedException("incident " + incidentId + " has no decision: nothing runs");
    }
    if (!decision.allowed()) {
      throw new PlanRefusedException("the decision for incident " + incidentId + " refused the plan");
    }
    if (decision.requiresApproval() && incident.status() != IncidentStatus.APPROVED) {
      throw new PlanRefusedException("incident " + incidentId + " requires approval but is "
          + incident.status().name().toLowerCase(java.util.Locale.ROOT));
    }
    Playbook playbook = playbooks.find(incident.playbookId())
        .orElseThrow(() -> new PlaybookNotFoundException("no playbook " + incident.playbookId()));
    if (!playbook.status().matchable()) {
      throw new PlanRefusedException("playbook " + playbook.id() + " is "
          + playbook.status().name().toLowerCase(java.util.Locale.ROOT) + ": nothing runs");
    }
    if (!playbook.version().equals(incident.playbookVersion())) {
      throw new PlanRefusedException("playbook " + playbook.id() + " is now version " + playbook.version()
          + ", not the decided " + incident.playbookVersion() + ": nothing runs");
    }

    Map<String, String> parameters;
    try {
      parameters = binder.bind(playbook, incident.alert());
    } catch (InvalidParameterException e) {
      return refuseParameters(incidentId, playbook, e);
    }

    Instant started = clock.instant();
    Incidents.modify(incidents, incidentId, current -> current.status() == IncidentStatus.EXECUTING ? current
        : current.toBuilder().status(IncidentStatus.EXECUTING)
            .note(started, "execute", "running " + playbook.id() + "@" + playbook.version() + " with "
                + executor.name())
            .build());
    ExecutionReport report = withProvenance(executor.execute(incidentId, playbook, parameters), playbook);
    Incident stored = Incidents.modify(incidents, incidentId, current -> current.execution() != null ? current
        : current.toBuilder().execution(report)
            .note(clock.instant(), "execute", "execution " + (report.success() ? "succeeded" : "failed")
                + " (" + report.mode().name().toLowerCase(java.util.Locale.ROOT) + ")"
                + (report.summary().isEmpty() ? "" : ": " + Incidents.clean(report.summary(), 300)))
            .build());
    return stored.execution();
  }

  private static ExecutionReport withProvenance(ExecutionReport report, Playbook playbook) {
    if (report.playbookId() != null && report.playbookVersion() != null
        && (report.commitSha() != null || playbook.commitSha() == null)) {
      return report;
    }
    return new ExecutionReport(report.executor(), report.mode(),
        Objects.requireNonNullElse(report.playbookId(), playbook.id()),
        Objects.requireNonNullElse(report.playbookVersion(), playbook.version()),
        report.commitSha() != null ? report.commitSha() : playbook.commitSha(),
        report.success(), report.steps(), report.notSimulated(), report.startedAt(), report.finishedAt(),
        report.summary());
  }

  private ExecutionReport refuseParameters(String incidentId, Playbook playbook, InvalidParameterException e) {
    Instant now = clock.instant();
    List<StepResult> steps = playbook.steps().stream()
        .map(step -> new StepResult(step.name(), step.declaredRisk(), StepResult.Status.SKIPPED,
            "not run: invalid parameter " + e.parameter()))
        .toList();
    ExecutionReport report = new ExecutionReport(executor.name(), ExecutionReport.Mode.APPLY, playbook.id(),
        playbook.version(), playbook.commitSha(), false, steps, List.of(), now, now,
        "nothing ran: " + e.getMessage());
    Incident stored = Incidents.modify(incidents, incidentId, current -> current.execution() != null ? current
        : current.toBuilder().execution(report).status(IncidentStatus.FAILED)
            .note(now, "execute", "nothing ran: " + e.getMessage())
            .build());
    return stored.execution();
  }
}
