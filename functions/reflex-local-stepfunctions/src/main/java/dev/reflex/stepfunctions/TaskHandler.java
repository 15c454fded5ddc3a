package dev.reflex.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The in-process stand-in for a Lambda function. A thrown exception fails the task with the
 * exception's fully qualified class name as error and its message as cause (what the Lambda
 * runtime reports for a Java function); throw {@link TaskFailedException} to choose both.
 * For {@code .waitForTaskToken} tasks the return value is ignored: the task completes when
 * {@link LocalStepFunctions#sendTaskSuccess} or {@link LocalStepFunctions#sendTaskFailure} is called.
 */
@FunctionalInterface
public interface TaskHandler {
    JsonNode handle(JsonNode input, TaskContext context) throws Exception;
}
