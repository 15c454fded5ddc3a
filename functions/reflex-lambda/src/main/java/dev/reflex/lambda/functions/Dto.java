package dev.reflex.lambda.functions;

import java.util.List;

/**
 * The JSON shapes the state machine passes to and from the functions. They are plain beans
 * (Funqy needs default constructors) and stay at the edge: every function maps them to domain
 * values at once. State payloads carry ids and a few flags for Choice states; everything large
 * lives in DynamoDB.
 */
public final class Dto {
  private Dto() {}

  /** Input of every workflow function: {@code {"incidentId": "inc-..."}}. */
  public static class IncidentRef {
    public String incidentId;

    public IncidentRef() {}

    public IncidentRef(String incidentId) {
      this.incidentId = incidentId;
    }
  }

  public static class ApprovalRequest extends IncidentRef {
    public String taskToken;
    public Long timeoutSeconds;
  }

  public static class FailureReport extends IncidentRef {
    public String error;
    public String cause;
  }

  public static class EscalationRequest extends IncidentRef {
    public String reason;
  }

  public static class Detected extends IncidentRef {
    public String signature;
    public String anomalyType;
    public String severity;
  }

  public static class Matched extends IncidentRef {
    public boolean matched;
    public String playbookId;
    public String version;
    public String source;
    public double confidence;
    public String matchedBy;
  }

  public static class Consulted extends IncidentRef {
    public String playbookId;
    public String version;
    public String status;
    public String consultant;
    public String commitSha;
  }

  public static class Decided extends IncidentRef {
    public boolean allowed;
    public boolean requiresApproval;
    public String riskLevel;
    public List<String> reasoning;
  }

  public static class ApprovalRequested extends IncidentRef {
    public String approvalId;
    public String expiresAt;
  }

  /**
   * A remediation's state for the poll loop: {@code finished} false while commands run;
   * {@code outcome} RUNNING, SUCCEEDED, FAILED, PARTIALLY_REMEDIATED or NOT_RUN.
   */
  public static class Executed extends IncidentRef {
    public boolean finished;
    public String outcome;
    public boolean success;
    public String mode;
    public String executor;
    public List<String> notSimulated;
  }

  public static class ResolutionChecked extends IncidentRef {
    public boolean resolved;
    public String resolvedAt;
  }

  public static class Learned extends IncidentRef {
    public boolean resolved;
    public String status;
    public String playbookId;
    public Double confidence;
  }

  public static class Closed extends IncidentRef {
    public String status;
  }
}
