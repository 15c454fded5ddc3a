package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DefinitionValidationTest {
    static final String LAMBDA = "arn:aws:lambda:eu-west-1:123456789012:function:f";

    private static AslDefinitionException refuse(String asl) {
        try (LocalStepFunctions sfn = LocalStepFunctions.builder().build()) {
            return catchThrowableOfType(AslDefinitionException.class, () -> sfn.loadStateMachine("m", asl, Map.of()));
        }
    }

    /** A machine whose single state "S" has the given fields. */
    private static String single(String fields) {
        return "{\"StartAt\":\"S\",\"States\":{\"S\":{" + fields + "}}}";
    }

    @Test
    void statesAllNotAlone_isRefusedNamingStateAndField() {
        AslDefinitionException e = refuse(Harness.asl("refused-retry-all-not-alone.asl.json"));
        assertThat(e).hasMessage("State \"Request approval\": field \"Retry[0].ErrorEquals\": States.ALL must appear alone");
        assertThat(e.stateName()).isEqualTo("Request approval");
        assertThat(e.field()).isEqualTo("Retry[0].ErrorEquals");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("JSONata at top level", "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":\"Succeed\"}}}", null, "QueryLanguage"),
                Arguments.of("JSONata on a state", single("\"Type\":\"Pass\",\"QueryLanguage\":\"JSONata\",\"End\":true"), "S", "QueryLanguage"),
                Arguments.of("JSONata Arguments", single("\"Type\":\"Task\",\"Resource\":\"" + LAMBDA + "\",\"Arguments\":{},\"End\":true"), "S", "Arguments"),
                Arguments.of("variables", single("\"Type\":\"Pass\",\"Assign\":{\"x\":1},\"End\":true"), "S", "Assign"),
                Arguments.of("unknown field", single("\"Type\":\"Pass\",\"Resutl\":1,\"End\":true"), "S", "Resutl"),
                Arguments.of("unknown top-level field", "{\"StartAt\":\"S\",\"Sates\":{},\"States\":{\"S\":{\"Type\":\"Succeed\"}}}", null, "Sates"),
                Arguments.of("unsupported state type", single("\"Type\":\"Sleep\",\"End\":true"), "S", "Type"),
                Arguments.of("other service integration", single("\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sns:publish\",\"End\":true"), "S", "Resource"),
                Arguments.of(".sync integration", single("\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::states:startExecution.sync\",\"End\":true"), "S", "Resource"),
                Arguments.of("lambda:invoke without FunctionName", single("\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Parameters\":{},\"End\":true"), "S", "Parameters.FunctionName"),
                Arguments.of("async lambda invoke", single("\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Parameters\":{\"FunctionName\":\"f\",\"InvocationType\":\"Event\"},\"End\":true"), "S", "Parameters.InvocationType"),
                Arguments.of("heartbeat", single("\"Type\":\"Task\",\"Resource\":\"" + LAMBDA + "\",\"HeartbeatSeconds\":10,\"End\":true"), "S", "HeartbeatSeconds"),
                Arguments.of("missing StartAt target", "{\"StartAt\":\"Nope\",\"States\":{\"S\":{\"Type\":\"Succeed\"}}}", null, "StartAt"),
                Arguments.of("missing Next target", "{\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":\"Pass\",\"Next\":\"Nope\"}}}", "S", "Next"),
                Arguments.of("both End and Next", "{\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":\"Pass\",\"Next\":\"T\",\"End\":true},\"T\":{\"Type\":\"Succeed\"}}}", "S", "End"),
                Arguments.of("neither End nor Next", single("\"Type\":\"Pass\""), "S", "Next"),
                Arguments.of("Choice without Choices", single("\"Type\":\"Choice\",\"Default\":\"S\""), "S", "Choices"),
                Arguments.of("Choice with End", single("\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"IsNull\":true,\"Next\":\"S\"}],\"End\":true"), "S", "End"),
                Arguments.of("Choice rule without Next", single("\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"IsNull\":true}]"), "S", "Choices[0].Next"),
                Arguments.of("Choice rule with two operators", single("\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"IsNull\":true,\"IsString\":true,\"Next\":\"S\"}]"), "S", "Choices[0]"),
                Arguments.of("Choice operand of wrong type", single("\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"NumericEquals\":\"1\",\"Next\":\"S\"}]"), "S", "Choices[0].NumericEquals"),
                Arguments.of("Choice unknown operator", single("\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"StringContains\":\"x\",\"Next\":\"S\"}]"), "S", "Choices[0].StringContains"),
                Arguments.of("nested rule with Next", single("\"Type\":\"Choice\",\"Choices\":[{\"Not\":{\"Variable\":\"$.a\",\"IsNull\":true,\"Next\":\"S\"},\"Next\":\"S\"}]"), "S", "Choices[0].Not.Next"),
                Arguments.of("States.ALL retrier not last", single("\"Type\":\"Task\",\"Resource\":\"" + LAMBDA + "\",\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"]},{\"ErrorEquals\":[\"X\"]}],\"End\":true"), "S", "Retry[0].ErrorEquals"),
                Arguments.of("States.ALL catcher not last", "{\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":\"Task\",\"Resource\":\"" + LAMBDA + "\",\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"T\"},{\"ErrorEquals\":[\"X\"],\"Next\":\"T\"}],\"End\":true},\"T\":{\"Type\":\"Succeed\"}}}", "S", "Catch[0].ErrorEquals"),
                Arguments.of("retrier with empty ErrorEquals", single("\"Type\":\"Task\",\"Resource\":\"" + LAMBDA + "\",\"Retry\":[{\"ErrorEquals\":[]}],\"End\":true"), "S", "Retry[0].ErrorEquals"),
                Arguments.of("BackoffRate below 1", single("\"Type\":\"Task\",\"Resource\":\"" + LAMBDA + "\",\"Retry\":[{\"ErrorEquals\":[\"X\"],\"BackoffRate\":0.5}],\"End\":true"), "S", "Retry[0].BackoffRate"),
                Arguments.of("bad JitterStrategy", single("\"Type\":\"Task\",\"Resource\":\"" + LAMBDA + "\",\"Retry\":[{\"ErrorEquals\":[\"X\"],\"JitterStrategy\":\"SOME\"}],\"End\":true"), "S", "Retry[0].JitterStrategy"),
                Arguments.of("unknown predefined error", single("\"Type\":\"Task\",\"Resource\":\"" + LAMBDA + "\",\"Retry\":[{\"ErrorEquals\":[\"States.Oops\"]}],\"End\":true"), "S", "Retry[0].ErrorEquals"),
                Arguments.of("catcher without Next", single("\"Type\":\"Task\",\"Resource\":\"" + LAMBDA + "\",\"Catch\":[{\"ErrorEquals\":[\"X\"]}],\"End\":true"), "S", "Catch[0].Next"),
                Arguments.of("invalid JSONPath", single("\"Type\":\"Pass\",\"InputPath\":\"$.a[\",\"End\":true"), "S", "InputPath"),
                Arguments.of("ResultPath not a reference path", single("\"Type\":\"Pass\",\"ResultPath\":\"$.a[*]\",\"End\":true"), "S", "ResultPath"),
                Arguments.of("filter expression", single("\"Type\":\"Pass\",\"InputPath\":\"$.a[?(@.x > 1)]\",\"End\":true"), "S", "InputPath"),
                Arguments.of("bad .$ value", single("\"Type\":\"Pass\",\"Parameters\":{\"a\":{\"b.$\":\"no-path\"}},\"End\":true"), "S", "Parameters.a.b.$"),
                Arguments.of("unknown intrinsic", single("\"Type\":\"Pass\",\"Parameters\":{\"a.$\":\"States.Nope($.x)\"},\"End\":true"), "S", "Parameters.a.$"),
                Arguments.of("intrinsic arity", single("\"Type\":\"Pass\",\"Parameters\":{\"a.$\":\"States.ArrayLength($.x, 1)\"},\"End\":true"), "S", "Parameters.a.$"),
                Arguments.of("Wait with two durations", single("\"Type\":\"Wait\",\"Seconds\":1,\"SecondsPath\":\"$.s\",\"End\":true"), "S", "Seconds"),
                Arguments.of("Wait with bad Timestamp", single("\"Type\":\"Wait\",\"Timestamp\":\"tomorrow\",\"End\":true"), "S", "Timestamp"),
                Arguments.of("TimeoutSeconds zero", single("\"Type\":\"Task\",\"Resource\":\"" + LAMBDA + "\",\"TimeoutSeconds\":0,\"End\":true"), "S", "TimeoutSeconds"),
                Arguments.of("Parallel without Branches", single("\"Type\":\"Parallel\",\"End\":true"), "S", "Branches"),
                Arguments.of("error inside a branch names the inner state", single("\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"Inner\",\"States\":{\"Inner\":{\"Type\":\"Pass\",\"Next\":\"Gone\"}}}],\"End\":true"), "Inner", "Next"),
                Arguments.of("Map tolerated failures", single("\"Type\":\"Map\",\"ToleratedFailureCount\":1,\"ItemProcessor\":{\"StartAt\":\"I\",\"States\":{\"I\":{\"Type\":\"Succeed\"}}},\"End\":true"), "S", "ToleratedFailureCount"),
                Arguments.of("distributed Map", single("\"Type\":\"Map\",\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\"},\"StartAt\":\"I\",\"States\":{\"I\":{\"Type\":\"Succeed\"}}},\"End\":true"), "S", "ItemProcessor.ProcessorConfig.Mode"),
                Arguments.of("Map ItemReader", single("\"Type\":\"Map\",\"ItemReader\":{},\"ItemProcessor\":{\"StartAt\":\"I\",\"States\":{\"I\":{\"Type\":\"Succeed\"}}},\"End\":true"), "S", "ItemReader"),
                Arguments.of("Map without processor", single("\"Type\":\"Map\",\"End\":true"), "S", "ItemProcessor"),
                Arguments.of("unreachable state", "{\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":\"Succeed\"},\"Orphan\":{\"Type\":\"Succeed\"}}}", "Orphan", null),
                Arguments.of("duplicate state name across branches", "{\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":\"Succeed\"}}}],\"End\":true}}}", "S", null),
                Arguments.of("Fail with Error and ErrorPath", single("\"Type\":\"Fail\",\"Error\":\"E\",\"ErrorPath\":\"$.e\""), "S", "ErrorPath"),
                Arguments.of("not JSON", "{\"StartAt\":", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void invalidOrUnsupportedDefinition_isRefusedAtLoadNamingStateAndField(String why, String asl, String state, String field) {
        AslDefinitionException e = refuse(asl);
        assertThat(e).as(why).isNotNull();
        assertThat(e.stateName()).as(why + ": " + e.getMessage()).isEqualTo(state);
        assertThat(e.field()).as(why + ": " + e.getMessage()).isEqualTo(field);
        if (state != null) assertThat(e.getMessage()).startsWith("State \"" + state + "\"");
        if (field != null) assertThat(e.getMessage()).contains("field \"" + field + "\"");
    }

    @Test
    void missingSubstitution_isRefusedNamingThePlaceholder() {
        try (LocalStepFunctions sfn = LocalStepFunctions.builder().build()) {
            assertThatThrownBy(() -> sfn.loadStateMachine("m", Harness.asl("hello-task.asl.json"), Map.of()))
                    .isInstanceOf(AslDefinitionException.class).hasMessageContaining("${GreetFunctionArn}");
        }
    }

    @Test
    void supportedDefinitions_load() {
        try (LocalStepFunctions sfn = LocalStepFunctions.builder().build()) {
            for (String f : new String[] {"lambda-invoke", "task-timeout", "parallel", "parallel-pass", "map", "map-legacy", "wait",
                    "execution-timeout", "retry-backoff"}) {
                sfn.loadStateMachine(f, Harness.asl(f + ".asl.json"), Map.of());
            }
            sfn.loadStateMachine("approval", Harness.asl("approval-callback.asl.json"), CallbackTest.SUBS);
        }
    }
}
