package dev.reflex.domain.model;

import java.util.Locale;
import java.util.Objects;

/**
 * One check of a decision and its result, in the order of the decision flow.
 *
 * @param name a stable identifier, e.g. {@code enabled}, {@code min_confidence}, {@code rate_limit.service}
 * @param outcome what the check concluded
 * @param detail the values compared, e.g. "confidence 0.75 < 0.90"
 */
public record DecisionCheck(String name, Outcome outcome, String detail) {

  public DecisionCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(outcome, "outcome");
    detail = Objects.requireNonNullElse(detail, "");
  }

  public static DecisionCheck pass(String name, String detail) {
    return new DecisionCheck(name, Outcome.PASSED, detail);
  }

  public static DecisionCheck approval(String name, String detail) {
    return new DecisionCheck(name, Outcome.APPROVAL_REQUIRED, detail);
  }

  public static DecisionCheck refuse(String name, String detail) {
    return new DecisionCheck(name, Outcome.REFUSED, detail);
  }

  public static DecisionCheck info(String name, String detail) {
    return new DecisionCheck(name, Outcome.INFO, detail);
  }

  public boolean passed() {
    return outcome == Outcome.PASSED || outcome == Outcome.INFO;
  }

  /**
   * The reasoning line: the detail and the outcome, {@code "confidence 0.75 < 0.90: approval
   * required"}; a note is its detail alone.
   */
  public String line() {
    return outcome == Outcome.INFO ? detail : detail + ": " + outcome.wireName();
  }

  public enum Outcome {
    /** The check passed. */
    PASSED,
    /** Recorded for the reader; it decides nothing. */
    INFO,
    /** The plan may run, but only once a person approves it. */
    APPROVAL_REQUIRED,
    /** The plan must not run. */
    REFUSED;

    public String wireName() {
      return switch (this) {
        case PASSED -> "ok";
        case INFO -> "noted";
        case APPROVAL_REQUIRED -> "approval required";
        case REFUSED -> "refused";
      };
    }

    public static Outcome parse(String text) {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
  }
}
