package dev.reflex.domain.model;

import java.util.List;
import java.util.Objects;

/**
 * What a consultant proposes for an incident nothing matched: a diagnosis and a draft playbook.
 * Nothing in it is trusted: risk classes are recomputed, commands are checked against the
 * forbidden list, and the draft is reviewed before it can run.
 *
 * @param consultant who drafted it, e.g. {@code offline_catalog} or a model id; never claims to be
 *     an LLM when it is not
 */
public record Remediation(
    String consultant,
    String diagnosis,
    String rootCause,
    String playbookName,
    List<Parameter> parameters,
    List<PlaybookStep> steps,
    StepAction verification,
    String estimatedRecoveryTime) {

  public Remediation {
    Objects.requireNonNull(consultant, "consultant");
    diagnosis = Objects.requireNonNullElse(diagnosis, "");
    rootCause = Objects.requireNonNullElse(rootCause, "");
    Objects.requireNonNull(playbookName, "playbookName");
    parameters = List.copyOf(Objects.requireNonNullElse(parameters, List.of()));
    steps = List.copyOf(Objects.requireNonNullElse(steps, List.of()));
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a remediation needs at least one step");
    }
    estimatedRecoveryTime = Objects.requireNonNullElse(estimatedRecoveryTime, "");
  }
}
