package dev.reflex.domain.policy;

import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.risk.RiskClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a plan may run, and when a person must approve it first.
 *
 * <p>Refused (never runs): no playbook, a playbook that is not matchable (rejected, rejected by the
 * gate, disabled), or any forbidden command. Approval required when any of: auto-remediation is
 * off; a step is not read-only (as computed); a step is critical (always); confidence below
 * {@code autoApproveMinConfidence}; the playbook is pending review; it was drafted by a language
 * model. Every check is written to the reasoning, passed or not.
 */
public record RemediationPolicy(boolean autoRemediationEnabled, double autoApproveMinConfidence) {

  public static final double DEFAULT_MIN_CONFIDENCE = 0.9;

  public RemediationPolicy {
    if (Double.isNaN(autoApproveMinConfidence) || autoApproveMinConfidence < 0 || autoApproveMinConfidence > 1) {
      throw new IllegalArgumentException("autoApproveMinConfidence must be within [0, 1]: " + autoApproveMinConfidence);
    }
  }

  /** Auto-remediation off, 0.90 minimum confidence: every plan waits for a person. */
  public static RemediationPolicy defaults() {
    return new RemediationPolicy(false, DEFAULT_MIN_CONFIDENCE);
  }

  /**
   * @param playbook the plan, or {@code null} when nothing matched or was drafted
   * @param confidence the match confidence, or the playbook's learned confidence
   */
  public Decision evaluate(Playbook playbook, double confidence, RiskClassifier classifier, ForbiddenCommands forbidden) {
    List<String> reasons = new ArrayList<>();
    if (playbook == null) {
      reasons.add("no playbook for this incident: refused");
      return new Decision(false, true, RiskClass.CRITICAL_WRITE, reasons);
    }
    boolean allowed = true;
    boolean approval = false;
    String name = playbook.id() + "@" + playbook.version();

    if (playbook.status().matchable()) {
      reasons.add("playbook " + name + " is " + wire(playbook.status().name()) + ": ok");
    } else {
      reasons.add("playbook " + name + " is " + wire(playbook.status().name()) + ": refused");
      allowed = false;
    }

    List<String> violations = forbidden.violations(playbook);
    if (violations.isEmpty()) {
      reasons.add("no forbidden commands: ok");
    } else {
      violations.forEach(violation -> reasons.add(violation + ": refused"));
      allowed = false;
    }

    RiskClass level = RiskClass.READ_ONLY;
    for (PlaybookStep step : playbook.steps()) {
      RiskClass computed = classifier.classify(step);
      level = level.max(computed);
      String declared = computed == step.declaredRisk() ? ""
          : ", declared " + step.declaredRisk().wireName();
      reasons.add("step \"" + step.name() + "\" is " + computed.wireName() + " (computed" + declared + ")");
    }

    if (autoRemediationEnabled) {
      reasons.add("auto-remediation is on");
    } else {
      reasons.add("auto-remediation is off: approval required");
      approval = true;
    }
    if (level == RiskClass.READ_ONLY) {
      reasons.add("every step is read_only: no approval needed for risk");
    } else {
      reasons.add("highest risk is " + level.wireName() + ": approval required");
      approval = true;
    }
    if (level == RiskClass.CRITICAL_WRITE) {
      reasons.add("a critical_write step always requires approval, whatever the confidence");
    }
    String comparison = String.format(Locale.ROOT, "confidence %.2f %s %.2f", confidence,
        confidence >= autoApproveMinConfidence ? ">=" : "<", autoApproveMinConfidence);
    if (confidence >= autoApproveMinConfidence) {
      reasons.add(comparison + ": ok");
    } else {
      reasons.add(comparison + ": approval required");
      approval = true;
    }
    if (playbook.pendingReview()) {
      reasons.add("playbook is pending review: approval required");
      approval = true;
    } else {
      reasons.add("playbook is reviewed: ok");
    }
    if (playbook.source() == PlaybookSource.LLM) {
      reasons.add("playbook was drafted by a language model: approval always required");
      approval = true;
    } else {
      reasons.add("playbook source is " + playbook.source().wireName() + ": ok");
    }

    if (!allowed) {
      reasons.add("decision: refused");
    } else if (approval) {
      reasons.add("decision: allowed, approval required");
    } else {
      reasons.add("decision: allowed, runs without approval");
    }
    return new Decision(allowed, approval, level, reasons);
  }

  private static String wire(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
