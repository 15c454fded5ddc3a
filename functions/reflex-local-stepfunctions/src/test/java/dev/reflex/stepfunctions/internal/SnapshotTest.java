package dev.reflex.stepfunctions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.stepfunctions.RuntimeState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    @Test
    void runtimeState_readBackFromItsJson_keepsJsonNullApartFromAbsent() throws Exception {
        RunState state = new RunState();
        RunState.Run run = new RunState.Run();
        run.id = "main";
        run.state = "Step";
        run.phase = RunState.Phase.TASK_RUNNING;
        run.input = Json.parse("null");
        run.payload = Json.parse("{\"n\":[1,2.50]}");
        run.enteredAt = Instant.parse("2026-01-02T03:04:05.678901Z");
        state.runs.put("main", run);

        RunState read = Snapshot.read(RuntimeState.fromJson(new Snapshot(state).toJson()));

        RunState.Run back = read.runs.get("main");
        assertThat(back.input.isNull()).as("JSON null input").isTrue();
        assertThat(back.effectiveInput).as("absent value").isNull();
        assertThat(Json.write(back.payload)).isEqualTo("{\"n\":[1,2.50]}");
        assertThat(back.enteredAt).isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
        assertThat(back.phase).isEqualTo(RunState.Phase.TASK_RUNNING);
    }

    @Test
    void runtimeState_keepsJsonValuesAsTextInItsDurableForm() {
        String written = "{\"lastEventId\":3,\"nextRunId\":1,\"deadline\":null,\"runs\":{\"main\":{\"id\":\"main\",\"state\":\"Step\","
                + "\"input\":\"{\\\"n\\\":1}\",\"enteredAt\":\"2026-01-02T03:04:05.678Z\",\"phase\":\"ENTER\",\"retries\":{}}}}";

        RunState read = Snapshot.read(RuntimeState.fromJson(written));

        assertThat(Json.write(read.runs.get("main").input)).isEqualTo("{\"n\":1}");
        assertThat(new Snapshot(read).toJson()).contains("\"input\":\"{\\\"n\\\":1}\"").contains("\"enteredAt\":\"2026-01-02T03:04:05.678Z\"");
    }

    @Test
    void copyForTransition_leavesTheCommittedStateAsItWas() throws Exception {
        RunState state = new RunState();
        RunState.Run run = new RunState.Run();
        run.id = "main";
        run.state = "A";
        run.input = Json.parse("{\"n\":1}");
        state.runs.put("main", run);
        Snapshot committed = new Snapshot(state);

        RunState copy = committed.copyForTransition();
        copy.runs.get("main").state = "B";
        copy.runs.get("main").retries.put("0", 1);
        copy.runs.remove("main");

        assertThat(committed.view().runs.get("main").state).isEqualTo("A");
        assertThat(committed.view().runs.get("main").retries).isEmpty();
    }
}
