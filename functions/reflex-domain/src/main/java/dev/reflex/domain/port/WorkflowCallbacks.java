package dev.reflex.domain.port;

/**
 * Resumes a workflow paused on a task token (Step Functions' callback pattern): the local
 * runtime on the embedded default, {@code SendTaskSuccess} on AWS.
 */
public interface WorkflowCallbacks {

  /** Completes the waiting task with this JSON output. */
  void succeed(String taskToken, String outputJson);

  /** Fails the waiting task; the state machine's Catch rules see {@code error}. */
  void fail(String taskToken, String error, String cause);
}
