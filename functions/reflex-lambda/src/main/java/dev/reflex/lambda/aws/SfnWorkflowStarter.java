package dev.reflex.lambda.aws;

import dev.reflex.domain.port.WorkflowStarter;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/** Starts the remediation state machine on AWS Step Functions, one execution per incident. */
public final class SfnWorkflowStarter implements WorkflowStarter {

  private final SfnClient sfn;
  private final String stateMachineArn;

  public SfnWorkflowStarter(SfnClient sfn, String stateMachineArn) {
    this.sfn = sfn;
    this.stateMachineArn = stateMachineArn;
  }

  @Override
  public String start(String incidentId) {
    String input = "{\"incidentId\":\"" + incidentId + "\"}";
    try {
      return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(incidentId).input(input))
          .executionArn();
    } catch (ExecutionAlreadyExistsException e) {
      // started by an earlier delivery of the same alert: the workflow is already running
      return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + incidentId;
    }
  }
}
