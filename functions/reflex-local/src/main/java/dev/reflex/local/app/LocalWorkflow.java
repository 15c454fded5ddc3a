package dev.reflex.local.app;

import dev.reflex.domain.port.WorkflowCallbacks;
import dev.reflex.domain.port.WorkflowStarter;
import dev.reflex.stepfunctions.ExecutionAlreadyExistsException;
import dev.reflex.stepfunctions.LocalStepFunctions;

/**
 * The workflow ports on the embedded default: Reflex's local Step Functions runtime running the
 * same remediation.asl.json that is deployed to AWS.
 */
final class LocalWorkflow implements WorkflowStarter, WorkflowCallbacks {

  static final String STATE_MACHINE = "remediation";

  private final LocalStepFunctions runtime;

  LocalWorkflow(LocalStepFunctions runtime) {
    this.runtime = runtime;
  }

  static String executionArn(String incidentId) {
    return "arn:aws:states:local:000000000000:execution:" + STATE_MACHINE + ":" + incidentId;
  }

  @Override
  public String start(String incidentId) {
    try {
      return runtime.startExecution(STATE_MACHINE, incidentId, "{\"incidentId\":\"" + incidentId + "\"}");
    } catch (ExecutionAlreadyExistsException e) {
      // an earlier delivery of the same alert started it; starting is idempotent per incident
      return executionArn(incidentId);
    }
  }

  @Override
  public void succeed(String taskToken, String outputJson) {
    runtime.sendTaskSuccess(taskToken, outputJson);
  }

  @Override
  public void fail(String taskToken, String error, String cause) {
    runtime.sendTaskFailure(taskToken, error, cause);
  }
}
