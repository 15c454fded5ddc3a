package dev.reflex.local.audit;

import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.port.AuditLog;
import dev.reflex.domain.port.Executor;
import dev.reflex.lambda.audit.Audits;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Audits every execution: what is sent (the playbook, its steps and parameters) before it runs,
 * and what came back (status and each step's output) after, both redacted and truncated. Secret
 * reads during the execution are attributed to its incident.
 */
public final class AuditingExecutor implements Executor {

  /** Characters of command summary or output kept per entry. */
  public static final int MAX_DETAIL = 2000;

  private final Executor delegate;
  private final AuditLog audit;
  private final Clock clock;

  public AuditingExecutor(Executor delegate, AuditLog audit, Clock clock) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public ExecutionReport execute(String incidentId, Playbook playbook, Map<String, String> parameters) {
    audit.append(new AuditEntry(clock.instant(), incidentId, AuditEntry.REFLEX, "execution.sent",
        Audits.safe(sent(playbook, parameters), MAX_DETAIL)));
    Audits.enter(incidentId);
    ExecutionReport report;
    try {
      report = delegate.execute(incidentId, playbook, parameters);
    } catch (RuntimeException | Error e) {
      audit.append(new AuditEntry(clock.instant(), incidentId, AuditEntry.REFLEX, "execution.error",
          Audits.safe(e.getClass().getSimpleName() + ": " + e.getMessage(), MAX_DETAIL)));
      throw e;
    } finally {
      Audits.leave();
    }
    audit.append(new AuditEntry(clock.instant(), incidentId, AuditEntry.REFLEX,
        report.success() ? "execution.succeeded" : "execution.failed", Audits.safe(output(report), MAX_DETAIL)));
    return report;
  }

  private String sent(Playbook playbook, Map<String, String> parameters) {
    StringJoiner steps = new StringJoiner("; ");
    for (PlaybookStep step : playbook.steps()) {
      steps.add(step.name() + " (" + step.action().module() + " " + step.action().args() + ")");
    }
    return delegate.name() + " runs " + playbook.id() + " v" + playbook.version()
        + (playbook.commitSha() == null ? "" : " @" + playbook.commitSha())
        + " with " + new TreeMap<>(parameters) + ": " + steps;
  }

  private static String output(ExecutionReport report) {
    StringJoiner steps = new StringJoiner("; ");
    for (ExecutionReport.StepResult step : report.steps()) {
      steps.add(step.name() + " " + step.status() + (step.detail().isEmpty() ? "" : ": " + step.detail()));
    }
    return report.mode() + " " + (report.success() ? "succeeded" : "failed")
        + (report.summary().isEmpty() ? "" : " (" + report.summary() + ")") + ": " + steps;
  }
}
