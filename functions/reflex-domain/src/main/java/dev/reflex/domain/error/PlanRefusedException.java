package dev.reflex.domain.error;

/** The policy engine refused to run the plan. */
public class PlanRefusedException extends ReflexException {
  public PlanRefusedException(String message) {
    super(message);
  }
}
