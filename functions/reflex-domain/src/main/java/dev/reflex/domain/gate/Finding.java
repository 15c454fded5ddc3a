package dev.reflex.domain.gate;

import java.util.Objects;

/**
 * One thing the gate found in a playbook: how bad it is, where, and what, phrased for a reviewer.
 * An {@link Severity#ERROR} keeps the playbook out (a draft is REJECTED_BY_GATE, {@code reflex
 * validate} exits non-zero); a {@link Severity#WARNING} is shown on the review page only.
 */
public record Finding(Severity severity, Location location, String message) {

  public enum Severity {
    ERROR,
    WARNING;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What part of a playbook a finding is about; {@code name} is the task or parameter name. */
  public record Location(Kind kind, String name) {
    /** What is found at: STEP_VERIFICATION is a step's own verification, named by its step's name. */
    public enum Kind { PLAYBOOK, PARAMETER, STEP, ROLLBACK, VERIFICATION, STEP_VERIFICATION }

    public Location {
      Objects.requireNonNull(kind, "kind");
      name = Objects.requireNonNullElse(name, "");
    }

    public static Location playbook() {
      return new Location(Kind.PLAYBOOK, "");
    }

    @Override
    public String toString() {
      return switch (kind) {
        case PLAYBOOK -> "playbook";
        case PARAMETER -> "parameter '" + name + "'";
        case STEP -> "step \"" + name + "\"";
        case ROLLBACK -> "rollback \"" + name + "\"";
        case VERIFICATION -> "verification \"" + name + "\"";
        case STEP_VERIFICATION -> "verification of step \"" + name + "\"";
      };
    }
  }

  public Finding {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  public static Finding error(Location location, String message) {
    return new Finding(Severity.ERROR, location, message);
  }

  public static Finding warning(Location location, String message) {
    return new Finding(Severity.WARNING, location, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code error: step "Restart": declared safe_write but deletes data (rm): critical_write}. */
  @Override
  public String toString() {
    return severity.wireName() + ": " + location + ": " + message;
  }
}
