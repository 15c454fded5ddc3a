package dev.reflex.adapters.files;

import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.port.Executor;
import dev.reflex.domain.service.ExecutePlaybook;
import dev.reflex.domain.service.ParameterBinder;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.InMemoryIncidentStore;
import dev.reflex.testkit.InMemoryPlaybookStore;
import dev.reflex.testkit.MutableClock;
import java.util.List;
import java.util.Map;

/**
 * Runs a playbook with a real executor the way the workflow does: an approved incident whose alert
 * labels carry the parameters, {@link ExecutePlaybook} driving the passes (steps, verification,
 * rollbacks) to the end.
 */
final class ThroughTheUseCase {

  private ThroughTheUseCase() {}

  static ExecutionReport run(Executor executor, Playbook playbook, Map<String, String> labels) {
    MutableClock clock = new MutableClock();
    InMemoryIncidentStore incidents = new InMemoryIncidentStore();
    InMemoryPlaybookStore playbooks = new InMemoryPlaybookStore();
    playbooks.create(playbook);
    Alert alert = Alerts.builder("TestAlert").labels(labels).build();
    Incident incident = Incident.open("inc-1", alert, clock.instant()).toBuilder()
        .playbook(playbook.id(), playbook.version())
        .decision(new Decision(true, true, RiskClass.SAFE_WRITE, List.of("approved for the test")))
        .status(IncidentStatus.APPROVED)
        .build();
    incidents.openIfAbsent(incident);
    ExecutePlaybook execute = new ExecutePlaybook(incidents, playbooks, executor, new ParameterBinder(), clock);
    ExecutionReport report = execute.execute("inc-1");
    for (int i = 0; i < 100 && !report.finished(); i++) {
      report = execute.progress("inc-1");
    }
    return report;
  }
}
