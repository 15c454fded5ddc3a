package dev.reflex.domain.approval;

import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.port.PlaybookStore;
import dev.reflex.domain.risk.RiskClassifier;
import dev.reflex.domain.service.DecideRemediation;
import dev.reflex.domain.service.ParameterBinder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an approver needs to decide, in one place: the plan with each step's risk class (as Reflex
 * computed it) and rollback, the dry run and the steps it could not simulate, the reliability score
 * breakdown, similar past incidents and how they ended, the targets (blast radius), whether the
 * playbook is still pending review, who must approve, and every check of the decision.
 *
 * <p>Built once when the approval is requested ({@link Collector}); the same text goes into the
 * e-mail, the chat heads-up and the confirmation page. It quotes no alert annotation, and carries no
 * task token or link.
 */
public record ApprovalEvidence(
    String incidentId,
    String signature,
    String alertName,
    String playbook,
    String playbookSource,
    boolean pendingReview,
    String match,
    String decision,
    List<Step> plan,
    DryRun dryRun,
    String reliability,
    Targets targets,
    List<Similar> similar,
    ApprovalRequirement requirement,
    Instant expiresAt,
    List<String> checks) {

  /** Characters kept of one dry-run step line. */
  static final int MAX_STEP_DETAIL = 300;

  public ApprovalEvidence {
    Objects.requireNonNull(incidentId, "incidentId");
    plan = List.copyOf(Objects.requireNonNullElse(plan, List.of()));
    similar = List.copyOf(Objects.requireNonNullElse(similar, List.of()));
    checks = List.copyOf(Objects.requireNonNullElse(checks, List.of()));
    Objects.requireNonNull(requirement, "requirement");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * One step of the plan: its risk class as computed, the name of its rollback and of its own
   * verification (the post-check run right after it), each {@code null} when it has none.
   */
  public record Step(String name, String module, RiskClass risk, String rollback, String verification) {}

  /** The dry run: its summary, each step's line, and the steps it could not simulate. */
  public record DryRun(boolean ran, String summary, List<String> steps, List<String> notSimulated) {
    public DryRun {
      summary = Objects.requireNonNullElse(summary, "");
      steps = List.copyOf(Objects.requireNonNullElse(steps, List.of()));
      notSimulated = List.copyOf(Objects.requireNonNullElse(notSimulated, List.of()));
    }

    static DryRun notRun(String why) {
      return new DryRun(false, why, List.of(), List.of());
    }
  }

  /** How many hosts the plan acts on, and which when the alert names them. */
  public record Targets(int count, List<String> names) {
    public Targets {
      names = List.copyOf(names);
    }
  }

  /** A past incident like this one and how it ended. */
  public record Similar(String incidentId, String signature, String playbook, String outcome, Instant at) {}

  /** The evidence as plain text, the same in every channel. */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append("Incident ").append(incidentId);
    if (signature != null) {
      out.append(" (").append(signature).append(')');
    }
    out.append('\n');
    out.append("Alert: ").append(alertName).append('\n');
    out.append("Playbook: ").append(playbook == null ? "none" : playbook + " (" + playbookSource + ")").append('\n');
    if (playbook != null) {
      out.append(pendingReview
          ? "Review: PENDING REVIEW - drafted by Reflex and not reviewed yet; read every step before approving\n"
          : "Review: reviewed\n");
    }
    if (match != null) {
      out.append("Match: ").append(match).append('\n');
    }
    out.append("Decision: ").append(decision).append('\n');
    out.append("Approvers: ").append(requirement.describe()).append(" must approve")
        .append(requirement.policy().isEmpty() ? "" : " (" + requirement.policy() + ")").append('\n');
    out.append("Expires at: ").append(expiresAt).append('\n');

    out.append("\nPlan (risk as computed by Reflex; rollback; post-check):\n");
    if (plan.isEmpty()) {
      out.append("  none\n");
    }
    for (int i = 0; i < plan.size(); i++) {
      Step step = plan.get(i);
      out.append("  ").append(i + 1).append(". ").append(step.name()).append(" [").append(step.risk().wireName())
          .append("] ").append(step.module()).append("; rollback: ")
          .append(step.rollback() == null ? "none" : step.rollback())
          .append("; post-check: ").append(step.verification() == null ? "none" : step.verification()).append('\n');
    }

    out.append("\nDry run: ").append(dryRun.summary().isEmpty() ? (dryRun.ran() ? "ran" : "not run") : dryRun.summary())
        .append('\n');
    dryRun.steps().forEach(line -> out.append("  - ").append(line).append('\n'));
    if (dryRun.ran()) {
      out.append("  Could not be simulated: ")
          .append(dryRun.notSimulated().isEmpty() ? "none" : String.join(", ", dryRun.notSimulated())).append('\n');
    }

    out.append("\nReliability: ").append(reliability).append('\n');
    out.append("Targets (blast radius): ").append(targets.count())
        .append(targets.names().isEmpty() ? "" : ": " + String.join(", ", targets.names())).append('\n');

    out.append("\nSimilar past incidents:\n");
    if (similar.isEmpty()) {
      out.append("  none with an outcome\n");
    }
    for (Similar past : similar) {
      out.append("  - ").append(past.incidentId()).append(" (").append(past.signature()).append(") at ")
          .append(past.at()).append(": ").append(past.playbook()).append(" -> ").append(past.outcome()).append('\n');
    }

    out.append("\nChecks:\n");
    checks.forEach(check -> out.append("  - ").append(check).append('\n'));
    return out.toString();
  }

  /** Gathers the evidence for an incident from the stores, a dry run and the incident history. */
  public static final class Collector {

    /** How many similar past incidents are shown. */
    public static final int SIMILAR = 3;

    private final PlaybookStore playbooks;
    private final RiskClassifier classifier;
    private final Rehearsal rehearsal;
    private final SimilarIncidents similar;
    private final ParameterBinder binder = new ParameterBinder();

    /**
     * @param rehearsal the dry run, or {@code null} when this runtime has none (the evidence says so)
     * @param similar the history search, or {@code null} for none
     */
    public Collector(PlaybookStore playbooks, RiskClassifier classifier, Rehearsal rehearsal, SimilarIncidents similar) {
      this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
      this.classifier = Objects.requireNonNull(classifier, "classifier");
      this.rehearsal = rehearsal;
      this.similar = similar;
    }

    public ApprovalEvidence collect(Incident incident, ApprovalRequirement requirement, Instant expiresAt) {
      Optional<Playbook> playbook = incident.playbookId() == null ? Optional.empty()
          : playbooks.find(incident.playbookId());
      List<Step> plan = playbook.map(this::plan).orElse(List.of());
      Decision decision = incident.decision();
      List<String> checks = decision == null ? List.of() : decision.reasoning();
      return new ApprovalEvidence(
          incident.id(),
          incident.signature() == null ? null : incident.signature().toString(),
          incident.alert().alertName(),
          incident.playbookId() == null ? null : incident.playbookId() + "@" + incident.playbookVersion(),
          playbook.map(p -> p.source().wireName()).orElse("unknown"),
          playbook.map(Playbook::pendingReview).orElse(false),
          match(incident),
          verdict(decision),
          plan,
          playbook.map(p -> dryRun(incident, p)).orElse(DryRun.notRun("no playbook to rehearse")),
          reliability(checks),
          targets(incident),
          similar(incident),
          requirement,
          expiresAt,
          checks);
    }

    private List<Step> plan(Playbook playbook) {
      List<Step> steps = new ArrayList<>();
      for (PlaybookStep step : playbook.steps()) {
        steps.add(new Step(step.name(), step.action().module(), classifier.classify(step),
            step.rollback() == null ? null : step.rollback().name(),
            step.verification() == null ? null : step.verification().name()));
      }
      return steps;
    }

    private DryRun dryRun(Incident incident, Playbook playbook) {
      if (rehearsal == null) {
        return DryRun.notRun("no dry run on this runtime");
      }
      ExecutionReport report;
      try {
        Map<String, String> parameters = binder.bind(playbook, incident.alert());
        report = rehearsal.rehearse(incident.id(), playbook, parameters);
      } catch (RuntimeException e) {
        // the parameters or the dry run failed: approvers must know the plan was not rehearsed
        return DryRun.notRun("could not run: " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      }
      List<String> lines = new ArrayList<>();
      for (ExecutionReport.StepResult step : report.steps()) {
        String line = step.name() + ": " + step.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + (step.detail().isEmpty() ? "" : " - " + step.detail());
        lines.add(line.length() > MAX_STEP_DETAIL ? line.substring(0, MAX_STEP_DETAIL - 1) + "…" : line);
      }
      return new DryRun(true, (report.success() ? "" : "FAILED: ") + report.summary(), lines, report.notSimulated());
    }

    private List<Similar> similar(Incident incident) {
      if (similar == null) {
        return List.of();
      }
      try {
        return similar.like(incident, SIMILAR).stream().map(past -> new Similar(past.id(),
            past.signature() == null ? "unknown" : past.signature().toString(),
            past.playbookId() + "@" + past.playbookVersion(),
            past.status().name() + (past.execution() == null ? ""
                : " (" + past.execution().executor() + " " + (past.execution().success() ? "success" : "failure") + ")"),
            past.createdAt())).toList();
      } catch (RuntimeException e) {
        // history is advice: the request goes on without it
        return List.of();
      }
    }

    private static String match(Incident incident) {
      if (incident.match() == null || incident.match().playbookId() == null) {
        return null;
      }
      return String.format(Locale.ROOT, "%s, confidence %.2f",
          incident.match().matchedBy().name().toLowerCase(Locale.ROOT), incident.match().confidence());
    }

    private static String verdict(Decision decision) {
      if (decision == null) {
        return "not decided";
      }
      return (!decision.allowed() ? "refused" : decision.requiresApproval() ? "allowed, approval required" : "allowed")
          + "; highest risk " + decision.riskLevel().wireName();
    }

    /** The score breakdown the policy engine recorded in the decision's reasoning. */
    private static String reliability(List<String> checks) {
      return checks.stream().filter(line -> line.startsWith("reliability ") && line.contains("/25"))
          .map(line -> line.substring("reliability ".length())).findFirst()
          .orElse("not scored (the built-in policy decides without a reliability score)");
    }

    private static Targets targets(Incident incident) {
      String label = incident.alert().label(DecideRemediation.TARGETS_LABEL);
      if (label == null || label.isBlank()) {
        String service = incident.anomaly() != null ? incident.anomaly().service() : incident.alert().label("service");
        return new Targets(1, service == null ? List.of() : List.of("service " + service));
      }
      List<String> names = Arrays.stream(label.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
      return new Targets(names.size(), names);
    }
  }
}
