package dev.reflex.stepfunctions.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The compiled, validated form of an ASL document. */
public final class Definition {
    private Definition() {}

    /** A state machine: the top level, a Parallel branch or a Map item processor. {@code key} identifies it within the document. */
    public record Graph(String key, String startAt, Map<String, State> states) {
        public State state(String name) { return states.get(name); }
    }

    /** A loaded state machine. {@code graphs} indexes every Graph (top, branches, processors) by key. */
    public record Machine(String name, String arn, Graph top, Integer timeoutSeconds, Map<String, Graph> graphs) {}

    /**
     * Input/output processing. A null {@code inputPath}/{@code outputPath}/{@code resultPath} with its
     * {@code discard*} flag set means the field was JSON null; absent fields default to {@code $}.
     */
    public record Io(JsonPath inputPath, boolean discardInput, Template parameters, Template resultSelector,
                     JsonPath resultPath, boolean discardResult, JsonPath outputPath, boolean discardOutput) {}

    /** {@code next} is null when {@code end}. */
    public record Flow(String next, boolean end) {}

    public record Retrier(List<String> errorEquals, double intervalSeconds, int maxAttempts, double backoffRate,
                          Integer maxDelaySeconds, boolean fullJitter) {}

    public record Catcher(List<String> errorEquals, String next, JsonPath resultPath, boolean discardResult) {}

    public sealed interface State {
        String name();

        Io io();

        /** The AWS history event prefix (Task, Pass, Choice ...). */
        String type();
    }

    /** A Task state's states with error handling. */
    public sealed interface Recoverable extends State {
        Flow flow();

        List<Retrier> retry();

        List<Catcher> catches();
    }

    public enum ResourceKind { LAMBDA_FUNCTION_ARN, LAMBDA_INVOKE }

    /** {@code functionName} is set for the ARN form; for lambda:invoke it comes from Parameters.FunctionName at run time. */
    public record Resource(String arn, ResourceKind kind, String functionName, boolean callback) {}

    public record TaskState(String name, Io io, Flow flow, List<Retrier> retry, List<Catcher> catches, Resource resource,
                            Integer timeoutSeconds, JsonPath timeoutSecondsPath) implements Recoverable {
        public String type() { return "Task"; }
    }

    public record PassState(String name, Io io, Flow flow, JsonNode result) implements State {
        public String type() { return "Pass"; }
    }

    public record ChoiceBranch(ChoiceRule rule, String next) {}

    public record ChoiceState(String name, Io io, List<ChoiceBranch> choices, String defaultNext) implements State {
        public String type() { return "Choice"; }
    }

    public record WaitState(String name, Io io, Flow flow, Long seconds, Instant timestamp, JsonPath secondsPath,
                            JsonPath timestampPath) implements State {
        public String type() { return "Wait"; }
    }

    public record SucceedState(String name, Io io) implements State {
        public String type() { return "Succeed"; }
    }

    public record FailState(String name, Io io, String error, String cause, Template errorPath, Template causePath) implements State {
        public String type() { return "Fail"; }
    }

    public record ParallelState(String name, Io io, Flow flow, List<Retrier> retry, List<Catcher> catches,
                                List<Graph> branches) implements Recoverable {
        public String type() { return "Parallel"; }
    }

    public record MapState(String name, Io io, Flow flow, List<Retrier> retry, List<Catcher> catches, Graph processor,
                           JsonPath itemsPath, Template itemSelector, int maxConcurrency, JsonPath maxConcurrencyPath)
            implements Recoverable {
        public String type() { return "Map"; }
    }
}
