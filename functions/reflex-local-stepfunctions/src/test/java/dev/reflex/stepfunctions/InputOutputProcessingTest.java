package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class InputOutputProcessingTest {

    /** Runs a one-Pass-state machine with the given Pass fields and returns the execution. */
    private static ExecutionDescription pass(String fields, String input) {
        try (Harness h = new Harness()) {
            h.loadText("m", "{\"StartAt\":\"Shape\",\"States\":{\"Shape\":{\"Type\":\"Pass\"," + fields + ",\"End\":true}}}");
            return h.run("m", input);
        }
    }

    private static JsonNode passOutput(String fields, String input) {
        ExecutionDescription d = pass(fields, input);
        assertThat(d.status()).as(d.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
        return Harness.output(d);
    }

    @Test
    void resultPath_whenNested_mergesIntoInputCreatingIntermediateObjects() {
        assertThat(passOutput("\"Result\":{\"ok\":true},\"ResultPath\":\"$.a.b.c\"", "{\"a\":{\"keep\":1},\"z\":2}"))
                .isEqualTo(Harness.json("{\"a\":{\"keep\":1,\"b\":{\"c\":{\"ok\":true}}},\"z\":2}"));
    }

    @Test
    void resultPath_whenBracketAndIndex_replacesExistingArrayElement() {
        assertThat(passOutput("\"Result\":\"new\",\"ResultPath\":\"$['list'][1]\"", "{\"list\":[\"a\",\"b\"]}"))
                .isEqualTo(Harness.json("{\"list\":[\"a\",\"new\"]}"));
    }

    @Test
    void resultPath_whenNull_discardsResultAndKeepsInput() {
        assertThat(passOutput("\"Result\":{\"ok\":true},\"ResultPath\":null", "{\"a\":1}")).isEqualTo(Harness.json("{\"a\":1}"));
    }

    @Test
    void resultPath_whenDollar_replacesInput() {
        assertThat(passOutput("\"Result\":{\"ok\":true}", "{\"a\":1}")).isEqualTo(Harness.json("{\"ok\":true}"));
    }

    @Test
    void resultPath_whenInputIsNotAnObject_failsWithResultPathMatchFailure() {
        ExecutionDescription d = pass("\"Result\":1,\"ResultPath\":\"$.a.b\"", "{\"a\":\"text\"}");
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.ResultPathMatchFailure");
    }

    @Test
    void outputPath_appliesAfterResultPath() {
        assertThat(passOutput("\"Result\":{\"v\":42},\"ResultPath\":\"$.result\",\"OutputPath\":\"$.result.v\"", "{\"a\":1}"))
                .isEqualTo(Harness.json("42"));
    }

    @Test
    void inputPath_thenParameters_thenResultPathMergesIntoRawInput() {
        assertThat(passOutput("\"InputPath\":\"$.inner\",\"Parameters\":{\"x.$\":\"$.x\"},\"ResultPath\":\"$.picked\"",
                "{\"inner\":{\"x\":5},\"other\":true}"))
                .isEqualTo(Harness.json("{\"inner\":{\"x\":5},\"other\":true,\"picked\":{\"x\":5}}"));
    }

    @Test
    void inputPathAndOutputPath_whenNull_giveEmptyObjects() {
        assertThat(passOutput("\"InputPath\":null", "{\"a\":1}")).isEqualTo(Harness.json("{}"));
        assertThat(passOutput("\"OutputPath\":null", "{\"a\":1}")).isEqualTo(Harness.json("{}"));
    }

    @Test
    void parameters_withNestedDynamicFieldsInObjectsAndArrays() {
        assertThat(passOutput("""
                "Parameters":{"static":"s","outer":{"inner.$":"$.a","deeper":{"list":[{"v.$":"$.b[0]"},"lit",3]}},"all.$":"$.b[*]"}""",
                "{\"a\":\"A\",\"b\":[10,20]}"))
                .isEqualTo(Harness.json("{\"static\":\"s\",\"outer\":{\"inner\":\"A\",\"deeper\":{\"list\":[{\"v\":10},\"lit\",3]}},\"all\":[10,20]}"));
    }

    @Test
    void parameters_whenPathSelectsNothing_failsWithStatesRuntime() {
        ExecutionDescription d = pass("\"Parameters\":{\"x.$\":\"$.missing\"}", "{}");
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.Runtime");
        assertThat(d.cause()).contains("$.missing");
    }

    @Test
    void outputPath_whenPathSelectsNothing_failsWithStatesRuntime() {
        assertThat(pass("\"OutputPath\":\"$.nope\"", "{}").error()).isEqualTo("States.Runtime");
    }

    @Test
    void contextObject_exposesExecutionStateMachineAndState() {
        try (Harness h = new Harness()) {
            h.loadText("ctx", """
                    {"StartAt":"Look","States":{"Look":{"Type":"Pass","Parameters":{
                      "id.$":"$$.Execution.Id","name.$":"$$.Execution.Name","input.$":"$$.Execution.Input","start.$":"$$.Execution.StartTime",
                      "sm.$":"$$.StateMachine.Id","smName.$":"$$.StateMachine.Name","state.$":"$$.State.Name",
                      "entered.$":"$$.State.EnteredTime","retries.$":"$$.State.RetryCount"},"End":true}}}""");
            String arn = h.sfn.startExecution("ctx", "run-1", "{\"k\":\"v\"}");
            JsonNode out = Harness.output(h.await(arn));
            assertThat(out.get("id").asText()).isEqualTo(arn).isEqualTo("arn:aws:states:local:000000000000:execution:ctx:run-1");
            assertThat(out.get("name").asText()).isEqualTo("run-1");
            assertThat(out.get("input")).isEqualTo(Harness.json("{\"k\":\"v\"}"));
            assertThat(out.get("start").asText()).isEqualTo("2025-01-01T00:00:00.000Z");
            assertThat(out.get("sm").asText()).isEqualTo("arn:aws:states:local:000000000000:stateMachine:ctx");
            assertThat(out.get("smName").asText()).isEqualTo("ctx");
            assertThat(out.get("state").asText()).isEqualTo("Look");
            assertThat(out.get("entered").asText()).isEqualTo("2025-01-01T00:00:00.000Z");
            assertThat(out.get("retries").asInt()).isZero();
        }
    }

    @Test
    void resultSelector_shapesTaskResultBeforeResultPath() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:f",
                      "ResultSelector":{"first.$":"$.items[0].name","count.$":"States.ArrayLength($.items)"},"ResultPath":"$.summary","End":true}}}""");
            h.sfn.registerHandler("f", (in, ctx) -> Harness.json("{\"items\":[{\"name\":\"x\"},{\"name\":\"y\"}]}"));
            assertThat(Harness.output(h.run("m", "{\"q\":1}"))).isEqualTo(Harness.json("{\"q\":1,\"summary\":{\"first\":\"x\",\"count\":2}}"));
        }
    }

    @Test
    void jsonPath_supportsRecursiveDescentWildcardsSlicesAndUnions() {
        String input = "{\"a\":[{\"id\":1,\"t\":{\"id\":9}},{\"id\":2}],\"n\":[0,1,2,3,4]}";
        assertThat(passOutput("\"Parameters\":{\"v.$\":\"$..id\"}", input).get("v")).isEqualTo(Harness.json("[1,9,2]"));
        assertThat(passOutput("\"Parameters\":{\"v.$\":\"$.a[*].id\"}", input).get("v")).isEqualTo(Harness.json("[1,2]"));
        assertThat(passOutput("\"Parameters\":{\"v.$\":\"$.n[1:3]\"}", input).get("v")).isEqualTo(Harness.json("[1,2]"));
        assertThat(passOutput("\"Parameters\":{\"v.$\":\"$.n[0,4]\"}", input).get("v")).isEqualTo(Harness.json("[0,4]"));
        assertThat(passOutput("\"Parameters\":{\"v.$\":\"$.n[-1]\"}", input).get("v")).isEqualTo(Harness.json("[4]"));
        assertThat(passOutput("\"Parameters\":{\"v.$\":\"$.a[*].missing\"}", input).get("v")).isEqualTo(Harness.json("[]"));
        assertThat(passOutput("\"Parameters\":{\"v.$\":\"$['a'][1]['id']\"}", input).get("v")).isEqualTo(Harness.json("2"));
    }

    @Test
    void dataLimit_whenStateInputExceeds256KiB_failsExecution() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Grow","States":{"Grow":{"Type":"Pass","Parameters":{"a.$":"$.s","b.$":"$.s"},"Next":"Next"},
                     "Next":{"Type":"Pass","End":true}}}""");
            ExecutionDescription d = h.run("m", "{\"s\":\"" + "x".repeat(140_000) + "\"}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(d.error()).isEqualTo("States.DataLimitExceeded");
        }
    }
}
