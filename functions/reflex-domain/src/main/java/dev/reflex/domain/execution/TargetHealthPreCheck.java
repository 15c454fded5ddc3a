package dev.reflex.domain.execution;

import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.port.Executor;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The executor's target-health check, where it declares one (see {@link Executor#unhealthyTargets}). */
public final class TargetHealthPreCheck implements StepPreCheck {

  private final Executor executor;

  public TargetHealthPreCheck(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  public String name() {
    return "target_health";
  }

  @Override
  public Optional<String> refuse(Incident incident, List<PlaybookStep> steps, ExecutionPass pass, Instant now) {
    return executor.unhealthyTargets(pass);
  }
}
