package dev.reflex.stepfunctions;

/**
 * What a {@link TaskHandler} knows about the Task state that invoked it.
 *
 * @param executionArn the execution's ARN
 * @param stateName    the Task state's name
 * @param taskToken    the callback token for {@code .waitForTaskToken} tasks, otherwise {@code null}
 */
public record TaskContext(String executionArn, String stateName, String taskToken) {}
