package dev.reflex.domain.policy;

/**
 * How many non-read-only actions may start: per hour across everything, per hour per service, per
 * hour per playbook, and per day per signature. {@code null} means no limit of that kind; 0 means
 * none may start. Counted atomically by an {@link dev.reflex.domain.port.ActionCounters}.
 */
public record RateLimits(Integer perHourGlobal, Integer perHourPerService, Integer perHourPerPlaybook,
    Integer perDayPerSignature) {

  public RateLimits {
    check(perHourGlobal, "max_actions_per_hour.global");
    check(perHourPerService, "max_actions_per_hour.per_service");
    check(perHourPerPlaybook, "max_actions_per_hour.per_playbook");
    check(perDayPerSignature, "max_actions_per_signature_per_day");
  }

  public static RateLimits none() {
    return new RateLimits(null, null, null, null);
  }

  private static void check(Integer value, String field) {
    if (value != null && value < 0) {
      throw new IllegalArgumentException(field + " cannot be negative: " + value);
    }
  }
}
