package dev.reflex.domain.execution;

import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.PlaybookStep;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A check made before forward steps start. A refusal stops the remediation: the steps are not
 * run, the steps that already ran are rolled back, and the incident says why. Rollbacks are never
 * pre-checked: undoing must not wait for a window or a slot.
 */
public interface StepPreCheck {

  /** Short name for the timeline, e.g. {@code time_window}. */
  String name();

  /**
   * @param steps the steps about to run in {@code pass} (one, or the whole play)
   * @return why they may not start now, or empty
   */
  Optional<String> refuse(Incident incident, List<PlaybookStep> steps, ExecutionPass pass, Instant now);
}
