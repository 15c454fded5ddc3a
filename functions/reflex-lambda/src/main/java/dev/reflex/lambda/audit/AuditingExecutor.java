package dev.reflex.lambda.audit;

import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.port.AuditLog;
import dev.reflex.domain.port.Executor;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Audits every pass of an execution: what is sent (the playbook, the pass's actions and the
 * parameters) before it runs, and what came back (each action's result) when it finishes, both
 * redacted and truncated; a cancelled pass too. Secret reads while a pass runs are attributed to
 * its incident.
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
  public ExecutionReport.Mode mode() {
    return delegate.mode();
  }

  @Override
  public boolean runsStepsOneAtATime(Playbook playbook) {
    return delegate.runsStepsOneAtATime(playbook);
  }

  @Override
  public ExecutionRun start(ExecutionPass pass) {
    append(pass, "execution.sent", sent(pass));
    return audited(pass, () -> delegate.start(pass));
  }

  @Override
  public ExecutionRun poll(ExecutionPass pass, String handle) {
    return audited(pass, () -> delegate.poll(pass, handle));
  }

  @Override
  public void cancel(ExecutionPass pass, String handle) {
    append(pass, "execution.cancelled", delegate.name() + " cancelled " + handle + " ("
        + String.join(", ", pass.actionNames()) + ")");
    delegate.cancel(pass, handle);
  }

  @Override
  public Optional<String> unhealthyTargets(ExecutionPass pass) {
    return delegate.unhealthyTargets(pass);
  }

  private ExecutionRun audited(ExecutionPass pass, Supplier<ExecutionRun> call) {
    Audits.enter(pass.incidentId());
    ExecutionRun run;
    try {
      run = call.get();
    } catch (RuntimeException | Error e) {
      append(pass, "execution.error", e.getClass().getSimpleName() + ": " + e.getMessage());
      throw e;
    } finally {
      Audits.leave();
    }
    if (run.finished()) {
      boolean failed = run.results().stream()
          .anyMatch(r -> r.status() == ExecutionReport.StepResult.Status.FAILED);
      append(pass, failed ? "execution.failed" : "execution.succeeded", output(pass, run));
    }
    return run;
  }

  private void append(ExecutionPass pass, String action, String detail) {
    audit.append(new AuditEntry(clock.instant(), pass.incidentId(), AuditEntry.REFLEX, action,
        Audits.safe(detail, MAX_DETAIL)));
  }

  private String sent(ExecutionPass pass) {
    Playbook playbook = pass.playbook();
    StringJoiner actions = new StringJoiner("; ");
    for (ExecutionPass.Action action : pass.actions()) {
      actions.add(action.name() + " (" + action.action().module() + " " + action.action().args() + ")");
    }
    return delegate.name() + " runs " + pass.purpose().name().toLowerCase(java.util.Locale.ROOT) + " of "
        + playbook.id() + " v" + playbook.version()
        + (playbook.commitSha() == null ? "" : " @" + playbook.commitSha())
        + " with " + new TreeMap<>(pass.parameters()) + ": " + actions;
  }

  private String output(ExecutionPass pass, ExecutionRun run) {
    StringJoiner results = new StringJoiner("; ");
    for (ExecutionReport.StepResult result : run.results()) {
      results.add(result.name() + " " + result.status() + (result.detail().isEmpty() ? "" : ": " + result.detail()));
    }
    return delegate.mode() + " " + pass.purpose().name().toLowerCase(java.util.Locale.ROOT)
        + (run.summary().isEmpty() ? "" : " (" + run.summary() + ")") + ": " + results;
  }
}
