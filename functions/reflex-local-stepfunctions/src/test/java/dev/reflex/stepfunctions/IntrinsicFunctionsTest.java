package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IntrinsicFunctionsTest {
    static final String INPUT = """
            {"name":"Ada","n":3,"list":[1,2,2,3],"json":"{\\"a\\":1}","obj":{"a":1,"b":{"c":2}},"csv":"a,b;c","b64":"aGVsbG8=","word":"hello"}""";

    private static ExecutionDescription eval(String expression) {
        try (Harness h = new Harness()) {
            String escaped = expression.replace("\\", "\\\\").replace("\"", "\\\"");
            h.loadText("m", "{\"StartAt\":\"Eval\",\"States\":{\"Eval\":{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":\"" + escaped + "\"},\"End\":true}}}");
            return h.run("m", INPUT);
        }
    }

    private static JsonNode value(String expression) {
        ExecutionDescription d = eval(expression);
        assertThat(d.status()).as(expression + " -> " + d).isEqualTo(ExecutionStatus.SUCCEEDED);
        return Harness.output(d).get("r");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("States.Format('Hello, {}! You have {} items.', $.name, $.n)", "\"Hello, Ada! You have 3 items.\""),
                Arguments.of("States.Format('literal \\{\\} and \\'quote\\' {}', $.name)", "\"literal {} and 'quote' Ada\""),
                Arguments.of("States.StringToJson($.json)", "{\"a\":1}"),
                Arguments.of("States.JsonToString($.obj)", "\"{\\\"a\\\":1,\\\"b\\\":{\\\"c\\\":2}}\""),
                Arguments.of("States.Array('a', 1, $.n, true, null)", "[\"a\",1,3,true,null]"),
                Arguments.of("States.ArrayPartition($.list, 3)", "[[1,2,2],[3]]"),
                Arguments.of("States.ArrayContains($.list, 2)", "true"),
                Arguments.of("States.ArrayContains($.list, 9)", "false"),
                Arguments.of("States.ArrayRange(1, 9, 3)", "[1,4,7]"),
                Arguments.of("States.ArrayGetItem($.list, 3)", "3"),
                Arguments.of("States.ArrayLength($.list)", "4"),
                Arguments.of("States.ArrayUnique($.list)", "[1,2,3]"),
                Arguments.of("States.Base64Encode($.word)", "\"aGVsbG8=\""),
                Arguments.of("States.Base64Decode($.b64)", "\"hello\""),
                Arguments.of("States.Hash($.word, 'MD5')", "\"5d41402abc4b2a76b9719d911017c592\""),
                Arguments.of("States.Hash($.word, 'SHA-1')", "\"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\""),
                Arguments.of("States.Hash($.word, 'SHA-256')", "\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\""),
                Arguments.of("States.Hash($.word, 'SHA-384')",
                        "\"59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f\""),
                Arguments.of("States.Hash($.word, 'SHA-512')",
                        "\"9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043\""),
                Arguments.of("States.JsonMerge($.obj, States.StringToJson('{\"b\":5,\"d\":6}'), false)", "{\"a\":1,\"b\":5,\"d\":6}"),
                Arguments.of("States.MathAdd($.n, -5)", "-2"),
                Arguments.of("States.StringSplit($.csv, ',;')", "[\"a\",\"b\",\"c\"]"),
                Arguments.of("States.ArrayLength(States.Array($.name, States.Format('{}', $.n)))", "2"),
                Arguments.of("States.Format('{}', $$.State.Name)", "\"Eval\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void intrinsic_evaluatesLikeAws(String expression, String expected) {
        assertThat(value(expression)).isEqualTo(Harness.json(expected));
    }

    @Test
    void uuid_isARandomVersion4Uuid() {
        String a = value("States.UUID()").asText();
        assertThat(a).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(value("States.UUID()").asText()).isNotEqualTo(a);
    }

    @Test
    void mathRandom_staysInRange_andIsRepeatableWithSeed() {
        for (int i = 0; i < 5; i++) assertThat(value("States.MathRandom(5, 8)").asInt()).isBetween(5, 7);
        assertThat(value("States.MathRandom(1, 1000, 42)")).isEqualTo(value("States.MathRandom(1, 1000, 42)"));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("States.Format('{} {}', $.name)"),
                Arguments.of("States.StringToJson($.name)"),
                Arguments.of("States.ArrayGetItem($.list, 10)"),
                Arguments.of("States.ArrayPartition($.list, 0)"),
                Arguments.of("States.Hash($.word, 'SHA-3')"),
                Arguments.of("States.MathAdd($.name, 1)"),
                Arguments.of("States.MathAdd(2147483647, 1)"),
                Arguments.of("States.JsonMerge($.obj, $.obj, true)"),
                Arguments.of("States.ArrayLength($.name)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void intrinsic_withBadArguments_failsWithIntrinsicFailure(String expression) {
        ExecutionDescription d = eval(expression);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.IntrinsicFailure");
    }

    @Test
    void intrinsic_withPathSelectingNothing_failsWithStatesRuntime() {
        assertThat(eval("States.Format('{}', $.missing)").error()).isEqualTo("States.Runtime");
    }
}
