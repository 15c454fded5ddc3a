package dev.reflex.lambda.functions;

import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.service.CheckAlertResolution;
import dev.reflex.domain.service.CloseIncident;
import dev.reflex.domain.service.ConsultForPlaybook;
import dev.reflex.domain.service.DecideRemediation;
import dev.reflex.domain.service.DetectAnomaly;
import dev.reflex.domain.service.ExecutePlaybook;
import dev.reflex.domain.service.LearnFromOutcome;
import dev.reflex.domain.service.MatchPlaybook;
import dev.reflex.domain.service.RequestApproval;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The functions the remediation state machine calls, one per Task state. Each maps its input,
 * calls one use case and maps the result back; errors are the domain's own exceptions, which
 * Step Functions sees under their class names.
 */
@Singleton
public class WorkflowFunctions {

  private static final long MAX_APPROVAL_TIMEOUT_SECONDS = 7 * 24 * 3600;

  private final DetectAnomaly detectAnomaly;
  private final MatchPlaybook matchPlaybook;
  private final ConsultForPlaybook consultForPlaybook;
  private final DecideRemediation decideRemediation;
  private final RequestApproval requestApproval;
  private final ExecutePlaybook executePlaybook;
  private final CheckAlertResolution checkAlertResolution;
  private final LearnFromOutcome learnFromOutcome;
  private final CloseIncident closeIncident;

  @Inject
  public WorkflowFunctions(
      DetectAnomaly detectAnomaly,
      MatchPlaybook matchPlaybook,
      ConsultForPlaybook consultForPlaybook,
      DecideRemediation decideRemediation,
      RequestApproval requestApproval,
      ExecutePlaybook executePlaybook,
      CheckAlertResolution checkAlertResolution,
      LearnFromOutcome learnFromOutcome,
      CloseIncident closeIncident) {
    this.detectAnomaly = detectAnomaly;
    this.matchPlaybook = matchPlaybook;
    this.consultForPlaybook = consultForPlaybook;
    this.decideRemediation = decideRemediation;
    this.requestApproval = requestApproval;
    this.executePlaybook = executePlaybook;
    this.checkAlertResolution = checkAlertResolution;
    this.learnFromOutcome = learnFromOutcome;
    this.closeIncident = closeIncident;
  }

  /** "Detect anomaly": classifies the alert and gives the incident its signature. */
  @Funq("detect")
  public Dto.Detected detect(Dto.IncidentRef input) {
    Incident incident = detectAnomaly.detect(incidentId(input));
    Dto.Detected out = new Dto.Detected();
    out.incidentId = incident.id();
    out.signature = incident.signature().toString();
    out.anomalyType = incident.anomaly().anomalyType();
    out.severity = incident.anomaly().severity().name();
    return out;
  }

  /** "Find matching playbook". */
  @Funq("match")
  public Dto.Matched match(Dto.IncidentRef input) {
    MatchResult match = matchPlaybook.match(incidentId(input));
    Dto.Matched out = new Dto.Matched();
    out.incidentId = input.incidentId;
    out.matched = match.matched();
    out.playbookId = match.playbookId();
    out.version = match.version();
    out.source = match.source() == null ? null : match.source().wireName();
    out.confidence = match.confidence();
    out.matchedBy = match.matchedBy().name();
    return out;
  }

  /** "Consult for a playbook": drafts and proposes a playbook when nothing matched. */
  @Funq("consult")
  public Dto.Consulted consult(Dto.IncidentRef input) {
    Playbook playbook = consultForPlaybook.consult(incidentId(input));
    Dto.Consulted out = new Dto.Consulted();
    out.incidentId = input.incidentId;
    out.playbookId = playbook.id();
    out.version = playbook.version();
    out.status = playbook.status().name();
    out.consultant = playbook.source().wireName();
    out.commitSha = playbook.commitSha();
    return out;
  }

  /** "Decide remediation": the policy engine's verdict. */
  @Funq("decide")
  public Dto.Decided decide(Dto.IncidentRef input) {
    Decision decision = decideRemediation.decide(incidentId(input));
    Dto.Decided out = new Dto.Decided();
    out.incidentId = input.incidentId;
    out.allowed = decision.allowed();
    out.requiresApproval = decision.requiresApproval();
    out.riskLevel = decision.riskLevel().wireName();
    out.reasoning = decision.reasoning();
    return out;
  }

  /** "Request approval" (a .waitForTaskToken task): keeps the token server side and notifies approvers. */
  @Funq("requestApproval")
  public Dto.ApprovalRequested requestApproval(Dto.ApprovalRequest input) {
    if (input == null || input.taskToken == null || input.taskToken.isBlank()) {
      throw new InvalidInputException("taskToken", "taskToken is required");
    }
    long seconds = input.timeoutSeconds == null ? 86_400 : input.timeoutSeconds;
    if (seconds <= 0 || seconds > MAX_APPROVAL_TIMEOUT_SECONDS) {
      throw new InvalidInputException("timeoutSeconds", "timeoutSeconds must be within 1.." + MAX_APPROVAL_TIMEOUT_SECONDS);
    }
    Approval approval = requestApproval.request(incidentId(input), input.taskToken, Duration.ofSeconds(seconds));
    Dto.ApprovalRequested out = new Dto.ApprovalRequested();
    out.incidentId = approval.incidentId();
    out.approvalId = approval.id();
    out.expiresAt = approval.expiresAt().toString();
    return out;
  }

  /**
   * "Send remediation commands": starts the execution and runs as far as passes finish at once
   * (dry-run and local Ansible: to the end); {@code finished} false means commands are running.
   */
  @Funq("execute")
  public Dto.Executed execute(Dto.IncidentRef input) {
    return executed(input.incidentId, executePlaybook.execute(incidentId(input)));
  }

  /** "Check command progress": looks at the running commands once and goes on. */
  @Funq("checkExecution")
  public Dto.Executed checkExecution(Dto.IncidentRef input) {
    return executed(input.incidentId, executePlaybook.progress(incidentId(input)));
  }

  /**
   * "Stop running commands": the commands outlived every poll; they are cancelled and the execution
   * ends as a failure (the rollbacks they leave are named for a person), to be learned from.
   */
  @Funq("stopExecution")
  public Dto.Executed stopExecution(Dto.FailureReport input) {
    String incidentId = incidentId(input);
    String reason = (input.error == null ? "stopped" : input.error)
        + (input.cause == null || input.cause.isBlank() ? "" : ": " + input.cause);
    return executePlaybook.abandon(incidentId, reason).map(report -> executed(input.incidentId, report))
        .orElseThrow(() -> new InvalidInputException("incidentId", "incident " + input.incidentId
            + " has no execution to stop"));
  }

  /** "Check alert resolution": has Alertmanager said the triggering alert resolved? */
  @Funq("checkResolution")
  public Dto.ResolutionChecked checkResolution(Dto.IncidentRef input) {
    CheckAlertResolution.Resolution resolution = checkAlertResolution.check(incidentId(input));
    Dto.ResolutionChecked out = new Dto.ResolutionChecked();
    out.incidentId = resolution.incidentId();
    out.resolved = resolution.resolved();
    out.resolvedAt = resolution.resolvedAt() == null ? null : resolution.resolvedAt().toString();
    return out;
  }

  private static Dto.Executed executed(String incidentId, ExecutionReport report) {
    Dto.Executed out = new Dto.Executed();
    out.incidentId = incidentId;
    out.finished = report.finished();
    out.success = report.success();
    out.outcome = report.outcome().name();
    out.mode = report.mode().name();
    out.executor = report.executor();
    out.notSimulated = report.notSimulated();
    return out;
  }

  /** "Learn from outcome". */
  @Funq("learn")
  public Dto.Learned learn(Dto.IncidentRef input) {
    Incident incident = learnFromOutcome.learn(incidentId(input));
    Dto.Learned out = new Dto.Learned();
    out.incidentId = incident.id();
    out.status = incident.status().name();
    out.resolved = incident.status() == dev.reflex.domain.model.IncidentStatus.RESOLVED;
    out.playbookId = incident.playbookId();
    if (incident.playbookId() != null) {
      out.confidence = learnFromOutcome.confidenceOf(incident.playbookId()).orElse(null);
    }
    return out;
  }

  /** "Escalate to on-call": nobody decided in time. */
  @Funq("escalate")
  public Dto.Closed escalate(Dto.EscalationRequest input) {
    Incident incident = closeIncident.escalate(incidentId(input), input.reason == null ? "escalated" : input.reason);
    return closed(incident);
  }

  /** "Mark incident failed": records the workflow error on the incident. */
  @Funq("markFailed")
  public Dto.Closed markFailed(Dto.FailureReport input) {
    Incident incident = closeIncident.fail(incidentId(input), input.error, input.cause);
    return closed(incident);
  }

  private static Dto.Closed closed(Incident incident) {
    Dto.Closed out = new Dto.Closed();
    out.incidentId = incident.id();
    out.status = incident.status().name();
    return out;
  }

  private static String incidentId(Dto.IncidentRef input) {
    if (input == null || input.incidentId == null || input.incidentId.isBlank()) {
      throw new InvalidInputException("incidentId", "incidentId is required");
    }
    if (input.incidentId.length() > 128) {
      throw new InvalidInputException("incidentId", "incidentId is longer than 128 characters");
    }
    return input.incidentId;
  }
}
