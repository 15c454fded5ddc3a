package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChoiceTest {
    static final String INPUT = """
            {"s":"beta","n":10,"f":2.5,"b":true,"t":"2025-06-01T12:00:00Z","z":null,"star":"a*b","path":"C:\\\\x",
             "other":{"s":"beta","n":10,"b":true,"t":"2025-06-01T12:00:00Z","early":"2025-01-01T00:00:00Z","low":"alpha","small":3}}""";

    /** Runs a Choice with one rule; the execution's output says which branch was taken. */
    private static String choose(String rule) {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Which?","States":{"Which?":{"Type":"Choice","Choices":[%s],"Default":"No"},
                     "Yes":{"Type":"Pass","Result":"matched","End":true},"No":{"Type":"Pass","Result":"default","End":true}}}"""
                    .formatted(rule.contains("\"Next\"") ? rule : rule.substring(0, rule.length() - 1) + ",\"Next\":\"Yes\"}"));
            ExecutionDescription d = h.run("m", INPUT);
            assertThat(d.status()).as(d.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
            return Harness.output(d).asText();
        }
    }

    static Stream<Arguments> pairs() {
        return Stream.of(
                // operator, rule that matches, rule that does not
                Arguments.of("StringEquals", "{\"Variable\":\"$.s\",\"StringEquals\":\"beta\"}", "{\"Variable\":\"$.s\",\"StringEquals\":\"gamma\"}"),
                Arguments.of("StringLessThan", "{\"Variable\":\"$.s\",\"StringLessThan\":\"gamma\"}", "{\"Variable\":\"$.s\",\"StringLessThan\":\"alpha\"}"),
                Arguments.of("StringGreaterThan", "{\"Variable\":\"$.s\",\"StringGreaterThan\":\"alpha\"}", "{\"Variable\":\"$.s\",\"StringGreaterThan\":\"beta\"}"),
                Arguments.of("StringLessThanEquals", "{\"Variable\":\"$.s\",\"StringLessThanEquals\":\"beta\"}", "{\"Variable\":\"$.s\",\"StringLessThanEquals\":\"alpha\"}"),
                Arguments.of("StringGreaterThanEquals", "{\"Variable\":\"$.s\",\"StringGreaterThanEquals\":\"beta\"}", "{\"Variable\":\"$.s\",\"StringGreaterThanEquals\":\"gamma\"}"),
                Arguments.of("StringEqualsPath", "{\"Variable\":\"$.s\",\"StringEqualsPath\":\"$.other.s\"}", "{\"Variable\":\"$.s\",\"StringEqualsPath\":\"$.other.low\"}"),
                Arguments.of("StringLessThanPath", "{\"Variable\":\"$.other.low\",\"StringLessThanPath\":\"$.s\"}", "{\"Variable\":\"$.s\",\"StringLessThanPath\":\"$.other.low\"}"),
                Arguments.of("StringGreaterThanPath", "{\"Variable\":\"$.s\",\"StringGreaterThanPath\":\"$.other.low\"}", "{\"Variable\":\"$.other.low\",\"StringGreaterThanPath\":\"$.s\"}"),
                Arguments.of("StringLessThanEqualsPath", "{\"Variable\":\"$.s\",\"StringLessThanEqualsPath\":\"$.other.s\"}", "{\"Variable\":\"$.s\",\"StringLessThanEqualsPath\":\"$.other.low\"}"),
                Arguments.of("StringGreaterThanEqualsPath", "{\"Variable\":\"$.s\",\"StringGreaterThanEqualsPath\":\"$.other.s\"}", "{\"Variable\":\"$.other.low\",\"StringGreaterThanEqualsPath\":\"$.s\"}"),
                Arguments.of("NumericEquals", "{\"Variable\":\"$.n\",\"NumericEquals\":10.0}", "{\"Variable\":\"$.n\",\"NumericEquals\":11}"),
                Arguments.of("NumericLessThan", "{\"Variable\":\"$.f\",\"NumericLessThan\":3}", "{\"Variable\":\"$.f\",\"NumericLessThan\":2.5}"),
                Arguments.of("NumericGreaterThan", "{\"Variable\":\"$.n\",\"NumericGreaterThan\":9}", "{\"Variable\":\"$.n\",\"NumericGreaterThan\":10}"),
                Arguments.of("NumericLessThanEquals", "{\"Variable\":\"$.n\",\"NumericLessThanEquals\":10}", "{\"Variable\":\"$.n\",\"NumericLessThanEquals\":9}"),
                Arguments.of("NumericGreaterThanEquals", "{\"Variable\":\"$.n\",\"NumericGreaterThanEquals\":10}", "{\"Variable\":\"$.n\",\"NumericGreaterThanEquals\":11}"),
                Arguments.of("NumericEqualsPath", "{\"Variable\":\"$.n\",\"NumericEqualsPath\":\"$.other.n\"}", "{\"Variable\":\"$.n\",\"NumericEqualsPath\":\"$.other.small\"}"),
                Arguments.of("NumericLessThanPath", "{\"Variable\":\"$.other.small\",\"NumericLessThanPath\":\"$.n\"}", "{\"Variable\":\"$.n\",\"NumericLessThanPath\":\"$.other.small\"}"),
                Arguments.of("NumericGreaterThanPath", "{\"Variable\":\"$.n\",\"NumericGreaterThanPath\":\"$.other.small\"}", "{\"Variable\":\"$.other.small\",\"NumericGreaterThanPath\":\"$.n\"}"),
                Arguments.of("NumericLessThanEqualsPath", "{\"Variable\":\"$.n\",\"NumericLessThanEqualsPath\":\"$.other.n\"}", "{\"Variable\":\"$.n\",\"NumericLessThanEqualsPath\":\"$.other.small\"}"),
                Arguments.of("NumericGreaterThanEqualsPath", "{\"Variable\":\"$.n\",\"NumericGreaterThanEqualsPath\":\"$.other.n\"}", "{\"Variable\":\"$.other.small\",\"NumericGreaterThanEqualsPath\":\"$.n\"}"),
                Arguments.of("BooleanEquals", "{\"Variable\":\"$.b\",\"BooleanEquals\":true}", "{\"Variable\":\"$.b\",\"BooleanEquals\":false}"),
                Arguments.of("BooleanEqualsPath", "{\"Variable\":\"$.b\",\"BooleanEqualsPath\":\"$.other.b\"}", "{\"Variable\":\"$.b\",\"BooleanEqualsPath\":\"$.z\"}"),
                Arguments.of("TimestampEquals", "{\"Variable\":\"$.t\",\"TimestampEquals\":\"2025-06-01T14:00:00+02:00\"}", "{\"Variable\":\"$.t\",\"TimestampEquals\":\"2025-06-01T12:00:01Z\"}"),
                Arguments.of("TimestampLessThan", "{\"Variable\":\"$.t\",\"TimestampLessThan\":\"2025-06-02T00:00:00Z\"}", "{\"Variable\":\"$.t\",\"TimestampLessThan\":\"2025-06-01T12:00:00Z\"}"),
                Arguments.of("TimestampGreaterThan", "{\"Variable\":\"$.t\",\"TimestampGreaterThan\":\"2025-01-01T00:00:00Z\"}", "{\"Variable\":\"$.t\",\"TimestampGreaterThan\":\"2025-06-01T12:00:00Z\"}"),
                Arguments.of("TimestampLessThanEquals", "{\"Variable\":\"$.t\",\"TimestampLessThanEquals\":\"2025-06-01T12:00:00Z\"}", "{\"Variable\":\"$.t\",\"TimestampLessThanEquals\":\"2025-06-01T11:59:59Z\"}"),
                Arguments.of("TimestampGreaterThanEquals", "{\"Variable\":\"$.t\",\"TimestampGreaterThanEquals\":\"2025-06-01T12:00:00Z\"}", "{\"Variable\":\"$.t\",\"TimestampGreaterThanEquals\":\"2025-06-01T12:00:01Z\"}"),
                Arguments.of("TimestampEqualsPath", "{\"Variable\":\"$.t\",\"TimestampEqualsPath\":\"$.other.t\"}", "{\"Variable\":\"$.t\",\"TimestampEqualsPath\":\"$.s\"}"),
                Arguments.of("TimestampLessThanPath", "{\"Variable\":\"$.other.early\",\"TimestampLessThanPath\":\"$.t\"}", "{\"Variable\":\"$.t\",\"TimestampLessThanPath\":\"$.other.t\"}"),
                Arguments.of("TimestampGreaterThanPath", "{\"Variable\":\"$.t\",\"TimestampGreaterThanPath\":\"$.other.early\"}", "{\"Variable\":\"$.t\",\"TimestampGreaterThanPath\":\"$.other.t\"}"),
                Arguments.of("TimestampLessThanEqualsPath", "{\"Variable\":\"$.t\",\"TimestampLessThanEqualsPath\":\"$.other.t\"}", "{\"Variable\":\"$.t\",\"TimestampLessThanEqualsPath\":\"$.s\"}"),
                Arguments.of("TimestampGreaterThanEqualsPath", "{\"Variable\":\"$.t\",\"TimestampGreaterThanEqualsPath\":\"$.other.t\"}", "{\"Variable\":\"$.t\",\"TimestampGreaterThanPath\":\"$.other.t\"}"),
                Arguments.of("StringMatches", "{\"Variable\":\"$.s\",\"StringMatches\":\"b*a\"}", "{\"Variable\":\"$.s\",\"StringMatches\":\"a*\"}"),
                Arguments.of("StringMatches escaped star", "{\"Variable\":\"$.star\",\"StringMatches\":\"a\\\\*b\"}", "{\"Variable\":\"$.s\",\"StringMatches\":\"be\\\\*\"}"),
                Arguments.of("StringMatches escaped backslash", "{\"Variable\":\"$.path\",\"StringMatches\":\"C:\\\\\\\\*\"}", "{\"Variable\":\"$.path\",\"StringMatches\":\"D:*\"}"),
                Arguments.of("IsNull", "{\"Variable\":\"$.z\",\"IsNull\":true}", "{\"Variable\":\"$.s\",\"IsNull\":true}"),
                Arguments.of("IsNull false", "{\"Variable\":\"$.s\",\"IsNull\":false}", "{\"Variable\":\"$.z\",\"IsNull\":false}"),
                Arguments.of("IsPresent", "{\"Variable\":\"$.z\",\"IsPresent\":true}", "{\"Variable\":\"$.missing\",\"IsPresent\":true}"),
                Arguments.of("IsPresent false", "{\"Variable\":\"$.missing.deep\",\"IsPresent\":false}", "{\"Variable\":\"$.s\",\"IsPresent\":false}"),
                Arguments.of("IsNumeric", "{\"Variable\":\"$.f\",\"IsNumeric\":true}", "{\"Variable\":\"$.s\",\"IsNumeric\":true}"),
                Arguments.of("IsString", "{\"Variable\":\"$.s\",\"IsString\":true}", "{\"Variable\":\"$.n\",\"IsString\":true}"),
                Arguments.of("IsBoolean", "{\"Variable\":\"$.b\",\"IsBoolean\":true}", "{\"Variable\":\"$.s\",\"IsBoolean\":true}"),
                Arguments.of("IsTimestamp", "{\"Variable\":\"$.t\",\"IsTimestamp\":true}", "{\"Variable\":\"$.s\",\"IsTimestamp\":true}"),
                Arguments.of("And", "{\"And\":[{\"Variable\":\"$.s\",\"StringEquals\":\"beta\"},{\"Variable\":\"$.n\",\"NumericEquals\":10}]}",
                        "{\"And\":[{\"Variable\":\"$.s\",\"StringEquals\":\"beta\"},{\"Variable\":\"$.n\",\"NumericEquals\":11}]}"),
                Arguments.of("Or", "{\"Or\":[{\"Variable\":\"$.s\",\"StringEquals\":\"x\"},{\"Variable\":\"$.n\",\"NumericEquals\":10}]}",
                        "{\"Or\":[{\"Variable\":\"$.s\",\"StringEquals\":\"x\"},{\"Variable\":\"$.n\",\"NumericEquals\":11}]}"),
                Arguments.of("Not", "{\"Not\":{\"Variable\":\"$.s\",\"StringEquals\":\"x\"}}", "{\"Not\":{\"Variable\":\"$.s\",\"StringEquals\":\"beta\"}}"),
                Arguments.of("type mismatch is false", "{\"Variable\":\"$.n\",\"NumericEquals\":10}", "{\"Variable\":\"$.n\",\"StringEquals\":\"10\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void choiceOperator_matchesWhenTrue_andFallsToDefaultWhenFalse(String operator, String matching, String notMatching) {
        assertThat(choose(matching)).as(operator + " should match").isEqualTo("matched");
        assertThat(choose(notMatching)).as(operator + " should not match").isEqualTo("default");
    }

    @Test
    void choice_takesFirstMatchingRuleInOrder() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Which?","States":{"Which?":{"Type":"Choice","Choices":[
                       {"Variable":"$.n","NumericGreaterThan":1,"Next":"First"},{"Variable":"$.n","NumericGreaterThan":0,"Next":"Second"}],"Default":"Second"},
                     "First":{"Type":"Pass","Result":"first","End":true},"Second":{"Type":"Pass","Result":"second","End":true}}}""");
            assertThat(Harness.output(h.run("m", "{\"n\":5}")).asText()).isEqualTo("first");
        }
    }

    @Test
    void choice_withNoMatchAndNoDefault_failsWithNoChoiceMatched() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Which?","States":{"Which?":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"One"}]},
                     "One":{"Type":"Succeed"}}}""");
            ExecutionDescription d = h.run("m", "{\"n\":2}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(d.error()).isEqualTo("States.NoChoiceMatched");
        }
    }

    @Test
    void choice_whenVariableIsMissing_failsWithStatesRuntime() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Which?","States":{"Which?":{"Type":"Choice","Choices":[{"Variable":"$.missing","NumericEquals":1,"Next":"One"}],
                     "Default":"One"},"One":{"Type":"Succeed"}}}""");
            assertThat(h.run("m", "{}").error()).isEqualTo("States.Runtime");
        }
    }

    @Test
    void choice_outputPathShapesWhatTheNextStateGets() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Which?","States":{"Which?":{"Type":"Choice","InputPath":"$.in","OutputPath":"$.v",
                      "Choices":[{"Variable":"$.v","IsPresent":true,"Next":"One"}]},"One":{"Type":"Succeed"}}}""");
            assertThat(Harness.output(h.run("m", "{\"in\":{\"v\":7}}"))).isEqualTo(Harness.json("7"));
        }
    }
}
