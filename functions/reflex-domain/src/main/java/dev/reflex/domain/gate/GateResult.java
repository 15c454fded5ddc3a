package dev.reflex.domain.gate;

import java.util.List;
import java.util.Objects;

/** Everything the gate found in one playbook. It passes when nothing is an error. */
public record GateResult(List<Finding> findings) {

  public GateResult {
    findings = List.copyOf(Objects.requireNonNull(findings, "findings"));
  }

  public static GateResult passed() {
    return new GateResult(List.of());
  }

  public boolean passes() {
    return findings.stream().noneMatch(Finding::isError);
  }

  public List<Finding> errors() {
    return findings.stream().filter(Finding::isError).toList();
  }

  public List<Finding> warnings() {
    return findings.stream().filter(finding -> !finding.isError()).toList();
  }

  /** One line: "passed", "passed with 1 warning" or "failed: 2 errors (...)". */
  public String summary() {
    List<Finding> errors = errors();
    int warnings = findings.size() - errors.size();
    if (errors.isEmpty()) {
      return warnings == 0 ? "passed" : "passed with " + plural(warnings, "warning");
    }
    return "failed: " + plural(errors.size(), "error") + " ("
        + String.join("; ", errors.stream().map(e -> e.location() + ": " + e.message()).toList()) + ")";
  }

  private static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
