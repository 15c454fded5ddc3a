package dev.reflex.lambda.aws;

import dev.reflex.domain.port.WorkflowCallbacks;
import software.amazon.awssdk.services.sfn.SfnClient;

/** Resumes a paused Step Functions task with SendTaskSuccess / SendTaskFailure. */
public final class SfnWorkflowCallbacks implements WorkflowCallbacks {

  private final SfnClient sfn;

  public SfnWorkflowCallbacks(SfnClient sfn) {
    this.sfn = sfn;
  }

  @Override
  public void succeed(String taskToken, String outputJson) {
    sfn.sendTaskSuccess(b -> b.taskToken(taskToken).output(outputJson));
  }

  @Override
  public void fail(String taskToken, String error, String cause) {
    sfn.sendTaskFailure(b -> b.taskToken(taskToken).error(error).cause(cause));
  }
}
