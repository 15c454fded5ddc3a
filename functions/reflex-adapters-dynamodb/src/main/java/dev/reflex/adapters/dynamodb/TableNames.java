package dev.reflex.adapters.dynamodb;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Names of the Reflex tables. The defaults are {@code reflex-incidents}, {@code reflex-playbooks},
 * {@code reflex-approvals} and {@code reflex-consultations}; a prefix separates stages or test runs
 * ({@code it-42-incidents}).
 *
 * @param consultations the consultation ledger and the per-signature consultation leases
 */
public record TableNames(String incidents, String playbooks, String approvals, String consultations) {

  public static final String DEFAULT_PREFIX = "reflex-";
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

  public TableNames {
    for (String name : new String[] {incidents, playbooks, approvals, consultations}) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a DynamoDB table name: " + name);
      }
    }
  }

  /**
   * The three original tables; the consultations table is named after the incidents table
   * ({@code x-incidents} gives {@code x-consultations}, any other name gets {@code -consultations}).
   */
  public TableNames(String incidents, String playbooks, String approvals) {
    this(incidents, playbooks, approvals, consultationsBeside(incidents));
  }

  public static TableNames defaults() {
    return withPrefix(DEFAULT_PREFIX);
  }

  public static TableNames withPrefix(String prefix) {
    return new TableNames(prefix + "incidents", prefix + "playbooks", prefix + "approvals", prefix + "consultations");
  }

  /** The four tables above and the governance and audit tables named beside the incidents table. */
  public List<String> all() {
    return List.of(incidents, playbooks, approvals, consultations, audit(), counters(), feedback(), outcomes());
  }

  /** The append-only audit trail: {@code x-incidents} gives {@code x-audit}. */
  public String audit() {
    return beside("audit");
  }

  /** Rate-limit and cooldown counters of the policy engine (items expire by TTL). */
  public String counters() {
    return beside("counters");
  }

  /** People's feedback on incidents. */
  public String feedback() {
    return beside("feedback");
  }

  /** Decided occurrences and their outcomes, for reliability scores. */
  public String outcomes() {
    return beside("outcomes");
  }

  private String beside(String table) {
    return incidents.endsWith("incidents") ? incidents.substring(0, incidents.length() - "incidents".length()) + table
        : incidents + "-" + table;
  }

  private static String consultationsBeside(String incidents) {
    if (incidents != null && incidents.endsWith("incidents")) {
      return incidents.substring(0, incidents.length() - "incidents".length()) + "consultations";
    }
    return incidents + "-consultations";
  }
}
