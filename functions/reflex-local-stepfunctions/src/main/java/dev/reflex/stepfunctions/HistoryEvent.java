package dev.reflex.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event of an execution's history, as GetExecutionHistory returns it. {@code type} is the
 * AWS event type ({@code TaskStateEntered}, {@code LambdaFunctionSucceeded}, ...); {@code details}
 * holds the fields of the matching AWS {@code *EventDetails} object ({@code name}, {@code input},
 * {@code output}, {@code error}, {@code cause}, ...), with inputs and outputs as JSON text like AWS.
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, JsonNode details) {}
