package dev.reflex.domain.port;

/**
 * Starts the remediation workflow for a new incident. The execution is named after the incident,
 * so starting twice for one incident starts it once (Step Functions refuses a duplicate name).
 */
public interface WorkflowStarter {

  /**
   * @return the workflow execution's id (an execution ARN)
   */
  String start(String incidentId);
}
