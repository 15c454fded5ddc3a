package dev.reflex.stepfunctions.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.stepfunctions.AslDefinitionException;
import dev.reflex.stepfunctions.internal.Definition.Catcher;
import dev.reflex.stepfunctions.internal.Definition.ChoiceBranch;
import dev.reflex.stepfunctions.internal.Definition.ChoiceState;
import dev.reflex.stepfunctions.internal.Definition.FailState;
import dev.reflex.stepfunctions.internal.Definition.Flow;
import dev.reflex.stepfunctions.internal.Definition.Graph;
import dev.reflex.stepfunctions.internal.Definition.Io;
import dev.reflex.stepfunctions.internal.Definition.Machine;
import dev.reflex.stepfunctions.internal.Definition.MapState;
import dev.reflex.stepfunctions.internal.Definition.ParallelState;
import dev.reflex.stepfunctions.internal.Definition.PassState;
import dev.reflex.stepfunctions.internal.Definition.Resource;
import dev.reflex.stepfunctions.internal.Definition.ResourceKind;
import dev.reflex.stepfunctions.internal.Definition.Retrier;
import dev.reflex.stepfunctions.internal.Definition.State;
import dev.reflex.stepfunctions.internal.Definition.SucceedState;
import dev.reflex.stepfunctions.internal.Definition.TaskState;
import dev.reflex.stepfunctions.internal.Definition.WaitState;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns ASL JSON into a {@link Machine}, refusing anything it cannot run faithfully: every problem
 * is an {@link AslDefinitionException} naming the state and the field.
 */
public final class AslParser {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    private static final Pattern LAMBDA_ARN =
            Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:([A-Za-z0-9_-]{1,64})(:[A-Za-z0-9$_-]+)?");
    private static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    private static final String CALLBACK = ".waitForTaskToken";

    /** Refused fields with the reason given in the error. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("HeartbeatSeconds", "heartbeats are not supported by the local runtime"),
            Map.entry("HeartbeatSecondsPath", "heartbeats are not supported by the local runtime"),
            Map.entry("Credentials", "cross-account task credentials are not supported by the local runtime"),
            Map.entry("Assign", "variables (Assign) are not supported by the local runtime"),
            Map.entry("Arguments", "Arguments is JSONata syntax; JSONata is not supported by the local runtime"),
            Map.entry("Output", "Output is JSONata syntax; JSONata is not supported by the local runtime"),
            Map.entry("Items", "Items is JSONata syntax; JSONata is not supported by the local runtime"),
            Map.entry("ItemReader", "distributed Map (ItemReader) is not supported by the local runtime"),
            Map.entry("ItemBatcher", "distributed Map (ItemBatcher) is not supported by the local runtime"),
            Map.entry("ResultWriter", "distributed Map (ResultWriter) is not supported by the local runtime"),
            Map.entry("ToleratedFailurePercentage", "tolerated Map failures are not supported by the local runtime"),
            Map.entry("ToleratedFailurePercentagePath", "tolerated Map failures are not supported by the local runtime"),
            Map.entry("ToleratedFailureCount", "tolerated Map failures are not supported by the local runtime"),
            Map.entry("ToleratedFailureCountPath", "tolerated Map failures are not supported by the local runtime"),
            Map.entry("Label", "Map labels (distributed Map) are not supported by the local runtime"));

    private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "Task", Set.of("Resource", "Parameters", "ResultSelector", "ResultPath", "InputPath", "OutputPath", "Retry", "Catch",
                    "TimeoutSeconds", "TimeoutSecondsPath", "Next", "End"),
            "Pass", Set.of("InputPath", "OutputPath", "Parameters", "Result", "ResultPath", "Next", "End"),
            "Choice", Set.of("InputPath", "OutputPath", "Choices", "Default"),
            "Wait", Set.of("InputPath", "OutputPath", "Seconds", "Timestamp", "SecondsPath", "TimestampPath", "Next", "End"),
            "Succeed", Set.of("InputPath", "OutputPath"),
            "Fail", Set.of("Error", "Cause", "ErrorPath", "CausePath"),
            "Parallel", Set.of("Branches", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch",
                    "Next", "End"),
            "Map", Set.of("ItemProcessor", "Iterator", "ItemsPath", "ItemSelector", "Parameters", "MaxConcurrency",
                    "MaxConcurrencyPath", "InputPath", "OutputPath", "ResultSelector", "ResultPath", "Retry", "Catch", "Next", "End"));

    private final Map<String, Graph> graphs = new LinkedHashMap<>();

    private AslParser() {}

    public static Machine parse(String machineName, String arn, String aslJson, Map<String, String> substitutions) {
        String text = substitute(aslJson, substitutions == null ? Map.of() : substitutions);
        JsonNode root;
        try {
            root = Json.parse(text);
        } catch (Exception e) {
            throw new AslDefinitionException(null, null, "definition is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new AslDefinitionException(null, null, "definition must be a JSON object");
        AslParser parser = new AslParser();
        Set<String> top = new HashSet<>(Set.of("StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"));
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!top.contains(f)) throw new AslDefinitionException(null, f, "unknown or unsupported top-level field");
        }
        checkQueryLanguage(root, null);
        if (root.has("Version") && !"1.0".equals(root.get("Version").asText())) {
            throw new AslDefinitionException(null, "Version", "only version 1.0 exists");
        }
        Integer timeout = null;
        if (root.has("TimeoutSeconds")) {
            timeout = positiveInt(root.get("TimeoutSeconds"), null, "TimeoutSeconds");
        }
        Graph graph = parser.graph(root, "", null, "");
        parser.checkNames(graph, new HashSet<>());
        return new Machine(machineName, arn, graph, timeout, Map.copyOf(parser.graphs));
    }

    static String substitute(String text, Map<String, String> substitutions) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = substitutions.get(m.group(1));
            if (value == null) {
                throw new AslDefinitionException(null, "${" + m.group(1) + "}", "no substitution given for this placeholder");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void checkQueryLanguage(JsonNode node, String state) {
        JsonNode ql = node.get("QueryLanguage");
        if (ql != null && !"JSONPath".equals(ql.asText())) {
            throw new AslDefinitionException(state, "QueryLanguage", "only JSONPath is supported by the local runtime, not " + ql);
        }
    }

    /** State names are unique across the whole document, as AWS requires. */
    private void checkNames(Graph graph, Set<String> seen) {
        for (State s : graph.states().values()) {
            if (!seen.add(s.name())) throw new AslDefinitionException(s.name(), null, "state names must be unique in the whole state machine");
            if (s instanceof ParallelState p) p.branches().forEach(b -> checkNames(b, seen));
            if (s instanceof MapState m) checkNames(m.processor(), seen);
        }
    }

    private Graph graph(JsonNode node, String key, String ownerState, String ownerField) {
        String prefix = ownerField.isEmpty() ? "" : ownerField + ".";
        JsonNode startAt = node.get("StartAt");
        if (startAt == null || !startAt.isTextual()) throw new AslDefinitionException(ownerState, prefix + "StartAt", "required string is missing");
        JsonNode states = node.get("States");
        if (states == null || !states.isObject() || states.isEmpty()) {
            throw new AslDefinitionException(ownerState, prefix + "States", "must be a non-empty object of states");
        }
        Map<String, State> compiled = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.isEmpty() || name.length() > 80) throw new AslDefinitionException(name, null, "state names must be 1 to 80 characters");
            try {
                compiled.put(name, state(name, e.getValue(), key));
            } catch (DefinitionError d) {
                throw new AslDefinitionException(name, d.field, d.getMessage());
            }
        }
        if (!compiled.containsKey(startAt.textValue())) {
            throw new AslDefinitionException(ownerState, prefix + "StartAt", "names no state of this state machine: \"" + startAt.textValue() + "\"");
        }
        Graph graph = new Graph(key, startAt.textValue(), Map.copyOf(compiled));
        checkTransitions(graph, compiled);
        graphs.put(key, graph);
        return graph;
    }

    private static void checkTransitions(Graph graph, Map<String, State> states) {
        for (State s : states.values()) {
            List<Map.Entry<String, String>> targets = new ArrayList<>();
            switch (s) {
                case TaskState t -> targets.add(Map.entry("Next", String.valueOf(t.flow().next())));
                case PassState p -> targets.add(Map.entry("Next", String.valueOf(p.flow().next())));
                case WaitState w -> targets.add(Map.entry("Next", String.valueOf(w.flow().next())));
                case ParallelState p -> targets.add(Map.entry("Next", String.valueOf(p.flow().next())));
                case MapState m -> targets.add(Map.entry("Next", String.valueOf(m.flow().next())));
                case ChoiceState c -> {
                    for (int i = 0; i < c.choices().size(); i++) targets.add(Map.entry("Choices[" + i + "].Next", c.choices().get(i).next()));
                    if (c.defaultNext() != null) targets.add(Map.entry("Default", c.defaultNext()));
                }
                case SucceedState x -> { }
                case FailState x -> { }
            }
            if (s instanceof Definition.Recoverable r) {
                if (r.flow().end()) targets.removeIf(t -> t.getKey().equals("Next"));
                for (int i = 0; i < r.catches().size(); i++) targets.add(Map.entry("Catch[" + i + "].Next", r.catches().get(i).next()));
            } else if (s instanceof PassState p && p.flow().end()) {
                targets.clear();
            } else if (s instanceof WaitState w && w.flow().end()) {
                targets.clear();
            }
            for (Map.Entry<String, String> t : targets) {
                if (!states.containsKey(t.getValue())) {
                    throw new AslDefinitionException(s.name(), t.getKey(), "names no state of this state machine: \"" + t.getValue() + "\"");
                }
            }
        }
        // every state must be reachable from StartAt
        Set<String> reached = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(graph.startAt()));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (!reached.add(n)) continue;
            State s = states.get(n);
            switch (s) {
                case ChoiceState c -> {
                    c.choices().forEach(b -> todo.push(b.next()));
                    if (c.defaultNext() != null) todo.push(c.defaultNext());
                }
                case TaskState t -> push(todo, t.flow());
                case PassState p -> push(todo, p.flow());
                case WaitState w -> push(todo, w.flow());
                case ParallelState p -> push(todo, p.flow());
                case MapState m -> push(todo, m.flow());
                default -> { }
            }
            if (s instanceof Definition.Recoverable r) r.catches().forEach(c -> todo.push(c.next()));
        }
        for (String n : states.keySet()) {
            if (!reached.contains(n)) throw new AslDefinitionException(n, null, "state is not reachable from StartAt");
        }
    }

    private static void push(Deque<String> todo, Flow flow) {
        if (!flow.end()) todo.push(flow.next());
    }

    private State state(String name, JsonNode node, String graphKey) {
        if (!node.isObject()) throw new DefinitionError(null, "a state must be a JSON object");
        JsonNode typeNode = node.get("Type");
        if (typeNode == null || !typeNode.isTextual()) throw new DefinitionError("Type", "required string is missing");
        String type = typeNode.textValue();
        Set<String> allowed = ALLOWED.get(type);
        if (allowed == null) throw new DefinitionError("Type", "unsupported state type \"" + type + "\"");
        checkQueryLanguage(node, name);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (COMMON.contains(f) || allowed.contains(f)) continue;
            String reason = REFUSED.get(f);
            throw new DefinitionError(f, reason != null ? reason : "unknown field for a " + type + " state");
        }
        Io io = io(node, type);
        return switch (type) {
            case "Task" -> task(name, node, io);
            case "Pass" -> new PassState(name, io, flow(node), node.get("Result"));
            case "Choice" -> choice(name, node, io);
            case "Wait" -> waitState(name, node, io);
            case "Succeed" -> new SucceedState(name, io);
            case "Fail" -> fail(name, node, io);
            case "Parallel" -> parallel(name, node, io, graphKey);
            case "Map" -> map(name, node, io, graphKey);
            default -> throw new DefinitionError("Type", "unsupported state type \"" + type + "\"");
        };
    }

    private static Io io(JsonNode node, String type) {
        JsonNode params = node.get("Parameters");
        Template parameters = null;
        if (params != null && !type.equals("Map")) {
            parameters = Template.compile(params, "Parameters");
        }
        Template selector = node.has("ResultSelector") ? Template.compile(objectField(node, "ResultSelector"), "ResultSelector") : null;
        JsonPath resultPath = null;
        boolean discardResult = false;
        if (node.has("ResultPath")) {
            if (node.get("ResultPath").isNull()) discardResult = true;
            else resultPath = referencePath(node.get("ResultPath"), "ResultPath");
        } else {
            resultPath = JsonPath.ROOT;
        }
        JsonPath inputPath = JsonPath.ROOT;
        boolean discardInput = false;
        if (node.has("InputPath")) {
            if (node.get("InputPath").isNull()) discardInput = true;
            else inputPath = path(node.get("InputPath"), "InputPath", false);
        }
        JsonPath outputPath = JsonPath.ROOT;
        boolean discardOutput = false;
        if (node.has("OutputPath")) {
            if (node.get("OutputPath").isNull()) discardOutput = true;
            else outputPath = path(node.get("OutputPath"), "OutputPath", false);
        }
        return new Io(inputPath, discardInput, parameters, selector, resultPath, discardResult, outputPath, discardOutput);
    }

    private static JsonNode objectField(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (!v.isObject()) throw new DefinitionError(field, "must be a JSON object");
        return v;
    }

    static JsonPath path(JsonNode v, String field, boolean allowContext) {
        if (v == null || !v.isTextual()) throw new DefinitionError(field, "must be a JSONPath string");
        try {
            JsonPath p = JsonPath.parse(v.textValue());
            if (p.isContext() && !allowContext) throw new DefinitionError(field, "context paths ($$) are not allowed here");
            return p;
        } catch (IllegalArgumentException e) {
            throw new DefinitionError(field, "invalid JSONPath: " + e.getMessage());
        }
    }

    static JsonPath referencePath(JsonNode v, String field) {
        JsonPath p = path(v, field, false);
        if (!p.isReference()) {
            throw new DefinitionError(field, "must be a reference path ($, .name, ['name'], [n] only): " + p.text());
        }
        return p;
    }

    private static Flow flow(JsonNode node) {
        JsonNode next = node.get("Next");
        JsonNode end = node.get("End");
        if (next != null && end != null) throw new DefinitionError("End", "a state cannot have both Next and End");
        if (end != null) {
            if (!end.isBoolean() || !end.booleanValue()) throw new DefinitionError("End", "must be true when present");
            return new Flow(null, true);
        }
        if (next == null) throw new DefinitionError("Next", "a non-terminal state needs Next (or End: true)");
        if (!next.isTextual()) throw new DefinitionError("Next", "must be a state name");
        return new Flow(next.textValue(), false);
    }

    private static Integer positiveInt(JsonNode v, String state, String field) {
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() <= 0) {
            if (state == null) throw new AslDefinitionException(null, field, "must be a positive integer");
            throw new DefinitionError(field, "must be a positive integer");
        }
        return v.intValue();
    }

    private static TaskState task(String name, JsonNode node, Io io) {
        JsonNode res = node.get("Resource");
        if (res == null || !res.isTextual()) throw new DefinitionError("Resource", "required string is missing");
        String arn = res.textValue();
        boolean callback = arn.endsWith(CALLBACK);
        String base = callback ? arn.substring(0, arn.length() - CALLBACK.length()) : arn;
        Resource resource;
        Matcher m = LAMBDA_ARN.matcher(base);
        if (m.matches()) {
            resource = new Resource(arn, ResourceKind.LAMBDA_FUNCTION_ARN, m.group(1), callback);
        } else if (base.equals(LAMBDA_INVOKE)) {
            JsonNode params = node.get("Parameters");
            if (params == null || !params.isObject() || !(params.has("FunctionName") || params.has("FunctionName.$"))) {
                throw new DefinitionError("Parameters.FunctionName", "lambda:invoke needs Parameters.FunctionName");
            }
            for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                String plain = f.endsWith(".$") ? f.substring(0, f.length() - 2) : f;
                if (!Set.of("FunctionName", "Payload", "Qualifier", "InvocationType", "ClientContext", "LogType").contains(plain)) {
                    throw new DefinitionError("Parameters." + f, "unknown lambda:invoke parameter");
                }
                if (plain.equals("InvocationType") && !"RequestResponse".equals(params.get(f).asText())) {
                    throw new DefinitionError("Parameters." + f, "only InvocationType RequestResponse is supported by the local runtime");
                }
            }
            resource = new Resource(arn, ResourceKind.LAMBDA_INVOKE, null, callback);
        } else if (arn.endsWith(".sync") || arn.endsWith(".sync:2")) {
            throw new DefinitionError("Resource", "the .sync integration pattern is not supported by the local runtime: " + arn);
        } else {
            throw new DefinitionError("Resource", "only Lambda tasks (arn:aws:lambda:...:function:NAME or " + LAMBDA_INVOKE
                    + "[.waitForTaskToken]) are supported by the local runtime, not " + arn);
        }
        Integer timeout = node.has("TimeoutSeconds") ? positiveInt(node.get("TimeoutSeconds"), name, "TimeoutSeconds") : null;
        JsonPath timeoutPath = node.has("TimeoutSecondsPath") ? referencePath(node.get("TimeoutSecondsPath"), "TimeoutSecondsPath") : null;
        if (timeout != null && timeoutPath != null) throw new DefinitionError("TimeoutSecondsPath", "cannot be used together with TimeoutSeconds");
        return new TaskState(name, io, flow(node), retriers(node), catchers(node), resource, timeout, timeoutPath);
    }

    private static ChoiceState choice(String name, JsonNode node, Io io) {
        JsonNode choices = node.get("Choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) throw new DefinitionError("Choices", "must be a non-empty array");
        List<ChoiceBranch> branches = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            String field = "Choices[" + i + "]";
            ChoiceRule rule = ChoiceRule.compile(choices.get(i), field, true);
            JsonNode next = choices.get(i).get("Next");
            if (!next.isTextual()) throw new DefinitionError(field + ".Next", "must be a state name");
            branches.add(new ChoiceBranch(rule, next.textValue()));
        }
        JsonNode def = node.get("Default");
        if (def != null && !def.isTextual()) throw new DefinitionError("Default", "must be a state name");
        return new ChoiceState(name, io, List.copyOf(branches), def == null ? null : def.textValue());
    }

    private static WaitState waitState(String name, JsonNode node, Io io) {
        List<String> given = new ArrayList<>();
        for (String f : List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath")) if (node.has(f)) given.add(f);
        if (given.size() != 1) throw new DefinitionError("Seconds", "a Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath; found " + given);
        Long seconds = null;
        Instant timestamp = null;
        JsonPath secondsPath = null;
        JsonPath timestampPath = null;
        switch (given.get(0)) {
            case "Seconds" -> {
                JsonNode v = node.get("Seconds");
                if (!v.isIntegralNumber() || v.longValue() < 0) throw new DefinitionError("Seconds", "must be a non-negative integer");
                seconds = v.longValue();
            }
            case "Timestamp" -> {
                OffsetDateTime t = ChoiceRule.timestamp(node.get("Timestamp"));
                if (t == null) throw new DefinitionError("Timestamp", "must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z");
                timestamp = t.toInstant();
            }
            case "SecondsPath" -> secondsPath = referencePath(node.get("SecondsPath"), "SecondsPath");
            default -> timestampPath = referencePath(node.get("TimestampPath"), "TimestampPath");
        }
        return new WaitState(name, io, flow(node), seconds, timestamp, secondsPath, timestampPath);
    }

    private static FailState fail(String name, JsonNode node, Io io) {
        if (node.has("Error") && node.has("ErrorPath")) throw new DefinitionError("ErrorPath", "cannot be used together with Error");
        if (node.has("Cause") && node.has("CausePath")) throw new DefinitionError("CausePath", "cannot be used together with Cause");
        String error = text(node, "Error");
        String cause = text(node, "Cause");
        Template errorPath = node.has("ErrorPath") ? Template.dynamic(text(node, "ErrorPath"), "ErrorPath") : null;
        Template causePath = node.has("CausePath") ? Template.dynamic(text(node, "CausePath"), "CausePath") : null;
        return new FailState(name, io, error, cause, errorPath, causePath);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null) return null;
        if (!v.isTextual()) throw new DefinitionError(field, "must be a string");
        return v.textValue();
    }

    private ParallelState parallel(String name, JsonNode node, Io io, String graphKey) {
        JsonNode branches = node.get("Branches");
        if (branches == null || !branches.isArray() || branches.isEmpty()) throw new DefinitionError("Branches", "must be a non-empty array");
        List<Graph> graphs = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            String field = "Branches[" + i + "]";
            JsonNode b = branches.get(i);
            if (!b.isObject()) throw new DefinitionError(field, "must be an object with StartAt and States");
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("StartAt", "States", "Comment", "QueryLanguage").contains(f)) throw new DefinitionError(field + "." + f, "unknown field");
            }
            graphs.add(graph(b, graphKey + "/" + name + "#" + i, name, field));
        }
        return new ParallelState(name, io, flow(node), retriers(node), catchers(node), List.copyOf(graphs));
    }

    private MapState map(String name, JsonNode node, Io io, String graphKey) {
        if (node.has("ItemProcessor") && node.has("Iterator")) throw new DefinitionError("Iterator", "use ItemProcessor or Iterator, not both");
        if (node.has("ItemSelector") && node.has("Parameters")) throw new DefinitionError("Parameters", "use ItemSelector or Parameters, not both");
        String procField = node.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
        JsonNode proc = node.get(procField);
        if (proc == null || !proc.isObject()) throw new DefinitionError("ItemProcessor", "required object is missing");
        for (Iterator<String> it = proc.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("StartAt", "States", "Comment", "ProcessorConfig", "QueryLanguage").contains(f)) {
                throw new DefinitionError(procField + "." + f, "unknown field");
            }
        }
        JsonNode config = proc.get("ProcessorConfig");
        if (config != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                boolean ok = e.getKey().equals("Mode") && e.getValue().asText().equals("INLINE");
                if (!ok) {
                    throw new DefinitionError(procField + ".ProcessorConfig." + e.getKey(), "only Mode INLINE is supported by the local runtime");
                }
            }
        }
        Graph processor = graph(proc, graphKey + "/" + name + "#items", name, procField);
        JsonPath itemsPath = node.has("ItemsPath") ? path(node.get("ItemsPath"), "ItemsPath", false) : JsonPath.ROOT;
        String selField = node.has("ItemSelector") ? "ItemSelector" : "Parameters";
        Template selector = node.has(selField) ? Template.compile(objectField(node, selField), selField) : null;
        int max = 0;
        if (node.has("MaxConcurrency")) {
            JsonNode v = node.get("MaxConcurrency");
            if (!v.isIntegralNumber() || v.intValue() < 0) throw new DefinitionError("MaxConcurrency", "must be a non-negative integer");
            max = v.intValue();
        }
        JsonPath maxPath = node.has("MaxConcurrencyPath") ? referencePath(node.get("MaxConcurrencyPath"), "MaxConcurrencyPath") : null;
        if (maxPath != null && node.has("MaxConcurrency")) throw new DefinitionError("MaxConcurrencyPath", "cannot be used together with MaxConcurrency");
        return new MapState(name, io, flow(node), retriers(node), catchers(node), processor, itemsPath, selector, max, maxPath);
    }

    private static List<String> errorEquals(JsonNode rule, String field) {
        JsonNode v = rule.get("ErrorEquals");
        if (v == null || !v.isArray() || v.isEmpty()) throw new DefinitionError(field + ".ErrorEquals", "must be a non-empty array of error names");
        List<String> names = new ArrayList<>();
        for (JsonNode n : v) {
            if (!n.isTextual() || n.textValue().isEmpty()) throw new DefinitionError(field + ".ErrorEquals", "error names must be non-empty strings");
            names.add(n.textValue());
        }
        if (names.contains(StateError.ALL) && names.size() > 1) {
            throw new DefinitionError(field + ".ErrorEquals", "States.ALL must appear alone");
        }
        for (String n : names) {
            if (n.startsWith("States.") && !KNOWN_ERRORS.contains(n)) {
                throw new DefinitionError(field + ".ErrorEquals", "unknown predefined error \"" + n + "\"");
            }
        }
        return List.copyOf(names);
    }

    private static final Set<String> KNOWN_ERRORS = Set.of(StateError.ALL, StateError.TASK_FAILED, StateError.TIMEOUT, StateError.RUNTIME,
            StateError.DATA_LIMIT, StateError.RESULT_PATH, StateError.PARAMETER_PATH, StateError.NO_CHOICE, StateError.INTRINSIC,
            StateError.BRANCH_FAILED, StateError.PERMISSIONS, StateError.HEARTBEAT, StateError.ITEM_READER,
            "States.ExceedToleratedFailureThreshold", "States.ResultWriterFailed", "States.QueryEvaluationError");

    private static List<Retrier> retriers(JsonNode node) {
        JsonNode retry = node.get("Retry");
        if (retry == null) return List.of();
        if (!retry.isArray()) throw new DefinitionError("Retry", "must be an array of retriers");
        List<Retrier> out = new ArrayList<>();
        for (int i = 0; i < retry.size(); i++) {
            String field = "Retry[" + i + "]";
            JsonNode r = retry.get(i);
            if (!r.isObject()) throw new DefinitionError(field, "must be an object");
            for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment").contains(f)) {
                    throw new DefinitionError(field + "." + f, "unknown retrier field");
                }
            }
            List<String> errors = errorEquals(r, field);
            if (errors.contains(StateError.ALL) && i != retry.size() - 1) {
                throw new DefinitionError(field + ".ErrorEquals", "a retrier with States.ALL must be the last one");
            }
            double interval = 1;
            if (r.has("IntervalSeconds")) {
                JsonNode v = r.get("IntervalSeconds");
                if (!v.isIntegralNumber() || v.intValue() < 1) throw new DefinitionError(field + ".IntervalSeconds", "must be a positive integer");
                interval = v.intValue();
            }
            int max = 3;
            if (r.has("MaxAttempts")) {
                JsonNode v = r.get("MaxAttempts");
                if (!v.isIntegralNumber() || v.intValue() < 0) throw new DefinitionError(field + ".MaxAttempts", "must be a non-negative integer");
                max = v.intValue();
            }
            double backoff = 2.0;
            if (r.has("BackoffRate")) {
                JsonNode v = r.get("BackoffRate");
                if (!v.isNumber() || v.doubleValue() < 1.0) throw new DefinitionError(field + ".BackoffRate", "must be a number >= 1.0");
                backoff = v.doubleValue();
            }
            Integer maxDelay = null;
            if (r.has("MaxDelaySeconds")) {
                JsonNode v = r.get("MaxDelaySeconds");
                if (!v.isIntegralNumber() || v.intValue() < 1) throw new DefinitionError(field + ".MaxDelaySeconds", "must be a positive integer");
                maxDelay = v.intValue();
            }
            boolean jitter = false;
            if (r.has("JitterStrategy")) {
                String j = r.get("JitterStrategy").asText();
                if (!j.equals("FULL") && !j.equals("NONE")) throw new DefinitionError(field + ".JitterStrategy", "must be FULL or NONE");
                jitter = j.equals("FULL");
            }
            out.add(new Retrier(errors, interval, max, backoff, maxDelay, jitter));
        }
        return List.copyOf(out);
    }

    private static List<Catcher> catchers(JsonNode node) {
        JsonNode c = node.get("Catch");
        if (c == null) return List.of();
        if (!c.isArray()) throw new DefinitionError("Catch", "must be an array of catchers");
        List<Catcher> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            String field = "Catch[" + i + "]";
            JsonNode r = c.get(i);
            if (!r.isObject()) throw new DefinitionError(field, "must be an object");
            for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("ErrorEquals", "Next", "ResultPath", "Comment").contains(f)) {
                    throw new DefinitionError(field + "." + f, REFUSED.getOrDefault(f, "unknown catcher field"));
                }
            }
            List<String> errors = errorEquals(r, field);
            if (errors.contains(StateError.ALL) && i != c.size() - 1) {
                throw new DefinitionError(field + ".ErrorEquals", "a catcher with States.ALL must be the last one");
            }
            JsonNode next = r.get("Next");
            if (next == null || !next.isTextual()) throw new DefinitionError(field + ".Next", "required state name is missing");
            JsonPath rp = JsonPath.ROOT;
            boolean discard = false;
            if (r.has("ResultPath")) {
                if (r.get("ResultPath").isNull()) {
                    discard = true;
                    rp = null;
                } else {
                    rp = referencePath(r.get("ResultPath"), field + ".ResultPath");
                }
            }
            out.add(new Catcher(errors, next.textValue(), rp, discard));
        }
        return List.copyOf(out);
    }
}
