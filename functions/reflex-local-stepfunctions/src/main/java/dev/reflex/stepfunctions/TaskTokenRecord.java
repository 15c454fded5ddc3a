package dev.reflex.stepfunctions;

import java.time.Instant;
import java.util.Objects;

/**
 * A task token and what it resumes. Written once as {@code WAITING}, then moved exactly once by a
 * conditional update: to {@code SUCCEEDED} (with {@code output}) or {@code FAILED} (with
 * {@code error}/{@code cause}) by a callback, to {@code TIMED_OUT} by the task timeout, or to
 * {@code CANCELLED} when its branch or execution stops. Because the outcome is stored with the
 * token, a callback accepted just before a crash is still applied by {@link LocalStepFunctions#resume()}.
 *
 * @param runId   the runtime's id of the branch (Parallel branch, Map iteration or the main path) that waits
 * @param attempt the task attempt the token belongs to; stale attempts are ignored
 */
public record TaskTokenRecord(
        String token,
        String executionArn,
        String runId,
        int attempt,
        String stateName,
        TokenStatus status,
        String output,
        String error,
        String cause,
        Instant createdAt) {

    public TaskTokenRecord {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(executionArn, "executionArn");
        Objects.requireNonNull(status, "status");
    }

    public TaskTokenRecord withOutcome(TokenStatus newStatus, String newOutput, String newError, String newCause) {
        return new TaskTokenRecord(token, executionArn, runId, attempt, stateName, newStatus, newOutput, newError, newCause, createdAt);
    }
}
