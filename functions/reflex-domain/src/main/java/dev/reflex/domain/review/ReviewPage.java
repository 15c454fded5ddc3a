package dev.reflex.domain.review;

import dev.reflex.domain.gate.Finding;
import dev.reflex.domain.gate.GateResult;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.risk.RiskClassifier;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The body of a learned playbook's pull request, in Markdown: what a reviewer needs to decide.
 * Diagnosis and root cause, the steps with the risk class Reflex computed and their rollback, the
 * evidence (the alert's labels quoted as data, measured values against thresholds), the gate's
 * result and where the incident is. Pure.
 *
 * <p>Alert labels and annotations are hostile text: they appear only inside a fenced code block
 * whose fence is longer than any backtick run in them, so they cannot add links, images or
 * mentions to the page. Prose from the consultant is flattened to one line and stripped of
 * Markdown control characters.
 */
public final class ReviewPage {

  private static final int MAX_PROSE = 2000;

  private final RiskClassifier classifier;

  public ReviewPage(RiskClassifier classifier) {
    this.classifier = Objects.requireNonNull(classifier, "classifier");
  }

  /**
   * @param remediation what the consultant said (may be {@code null}: the playbook's description
   *     and guidance are used)
   * @param incidentLink where the incident is shown, e.g. an URL; {@code null} for its id only
   */
  public String render(Playbook playbook, Incident incident, Remediation remediation, GateResult gate,
      String incidentLink) {
    StringBuilder md = new StringBuilder();
    md.append("## Learned playbook `").append(playbook.id()).append("` ").append(playbook.version()).append("\n\n");
    if (playbook.signature() != null) {
      md.append("Signature: `").append(playbook.signature()).append("`  \n");
    }
    md.append("Source: ").append(playbook.source().wireName());
    if (remediation != null) {
      md.append(" (consultant `").append(code(remediation.consultant())).append("`)");
    }
    md.append("  \nConfidence at creation: ").append(playbook.stats().confidence()).append("\n\n");

    md.append("### Diagnosis\n\n")
        .append(prose(remediation != null ? remediation.diagnosis() : playbook.description())).append("\n\n");
    md.append("### Root cause\n\n")
        .append(prose(remediation != null ? remediation.rootCause() : playbook.guidance())).append("\n\n");

    md.append("### Steps\n\n| # | step | module | declared | computed risk | rollback | post-check |\n"
        + "|---|---|---|---|---|---|---|\n");
    int n = 1;
    for (PlaybookStep step : playbook.steps()) {
      RiskClassifier.Assessment computed = classifier.assess(step.action());
      md.append("| ").append(n++).append(" | ").append(cell(step.name())).append(" | `")
          .append(code(step.action().module())).append("` | ").append(step.declaredRisk().wireName())
          .append(" | **").append(computed.risk().wireName()).append("** (").append(cell(computed.reason()))
          .append(") | ").append(step.rollback() == null ? "none" : cell(step.rollback().name()))
          .append(" | ").append(step.verification() == null ? "none" : cell(step.verification().name())).append(" |\n");
    }
    md.append("\nVerification: ")
        .append(playbook.verification() == null ? "**none**" : cell(playbook.verification().name())).append("\n\n");

    md.append("### Evidence\n\n");
    AnomalyReport anomaly = incident == null ? null : incident.anomaly();
    if (anomaly != null && !anomaly.measurements().isEmpty()) {
      md.append("| metric | value | threshold | ratio |\n|---|---|---|---|\n");
      for (AnomalyReport.Measurement m : anomaly.measurements()) {
        md.append("| ").append(cell(m.metric())).append(" | ").append(number(m.value())).append(cell(m.unit()))
            .append(" | ").append(m.threshold() == null ? "-" : number(m.threshold()) + cell(m.unit()))
            .append(" | ").append(Double.isNaN(m.ratio()) ? "-" : String.format(Locale.ROOT, "%.2f×", m.ratio()))
            .append(" |\n");
      }
      md.append('\n');
    }
    if (incident != null) {
      md.append("Alert labels and annotations, quoted as received (untrusted data):\n\n");
      StringBuilder quoted = new StringBuilder();
      for (Map.Entry<String, String> label : new TreeMap<>(incident.alert().labels()).entrySet()) {
        quoted.append(label.getKey()).append('=').append(label.getValue()).append('\n');
      }
      for (Map.Entry<String, String> annotation : new TreeMap<>(incident.alert().annotations()).entrySet()) {
        quoted.append("annotation ").append(annotation.getKey()).append('=').append(annotation.getValue()).append('\n');
      }
      md.append(fenced(quoted.toString())).append('\n');
    }
    if (!playbook.supportingIncidents().isEmpty()) {
      md.append("Supporting incidents: ")
          .append(String.join(", ", playbook.supportingIncidents().stream().map(id -> "`" + code(id) + "`").toList()))
          .append("\n\n");
    }

    md.append("### Validation gate: ").append(gate == null ? "not run" : gate.summary().split(" \\(")[0]).append("\n\n");
    if (gate != null) {
      for (Finding finding : gate.findings()) {
        md.append("- ").append(finding.isError() ? "❌" : "⚠️").append(' ').append(cell(finding.toString())).append('\n');
      }
      if (gate.findings().isEmpty()) {
        md.append("No findings: risk classes honest, no forbidden command, every variable declared, verification"
            + " present.\n");
      }
      md.append('\n');
    }

    md.append("### Incident\n\n");
    if (incident != null) {
      md.append('`').append(code(incident.id())).append('`');
      if (incidentLink != null && !incidentLink.isBlank()) {
        md.append(": ").append(incidentLink);
      }
      md.append('\n');
    }
    md.append("\nReview with the checklist in the repository README (\"Reviewing a playbook\"). Merging makes this"
        + " version ACTIVE; closing marks the draft REJECTED for its signature.\n");
    return md.toString();
  }

  /** Untrusted text in a code fence longer than any run of backticks inside it. */
  static String fenced(String text) {
    int longest = 0;
    int run = 0;
    for (char c : text.toCharArray()) {
      run = c == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(Math.max(3, longest + 1));
    String body = text.replaceAll("[\\p{Cntrl}&&[^\n\t]]", "?");
    return fence + "text\n" + body + (body.endsWith("\n") ? "" : "\n") + fence + "\n";
  }

  private static String prose(String text) {
    String flat = text == null || text.isBlank() ? "(none given)" : text.replaceAll("\\s+", " ").strip();
    flat = flat.replaceAll("[<>\\[\\]!`|*_#@]", " ").replaceAll(" {2,}", " ").strip();
    return flat.length() > MAX_PROSE ? flat.substring(0, MAX_PROSE - 1) + "…" : flat;
  }

  private static String cell(String text) {
    return text == null ? "" : text.replaceAll("\\p{Cntrl}+", " ").replace("|", "\\|").replace("<", "&lt;")
        .replace("`", "'").replace("[", "\\[").replace("]", "\\]");
  }

  private static String code(String text) {
    return text == null ? "" : text.replaceAll("[\\p{Cntrl}`]+", " ");
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
        : String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "");
  }
}
