package dev.reflex.lambda.functions;

import static dev.reflex.lambda.support.MockLambda.invoke;
import static dev.reflex.lambda.support.MockLambda.invokeExpectingError;
import static dev.reflex.lambda.support.MockLambda.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.ExecutionProgress;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.lambda.intake.AlertIntake;
import dev.reflex.lambda.support.FunctionProfiles;
import dev.reflex.lambda.support.InMemoryAdapters;
import dev.reflex.lambda.support.MockLambda;
import dev.reflex.testkit.Playbooks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "Stop running commands" as its Lambda runs it: the way out when commands outlive every poll. */
@QuarkusTest
@TestProfile(FunctionProfiles.StopExecution.class)
class StopExecutionFunctionIT {

  @Inject
  InMemoryAdapters adapters;

  @Inject
  AlertIntake intake;

  @BeforeEach
  void emptyStores() {
    adapters.reset();
  }

  /** An incident whose first command was sent and is still running. */
  private String incidentWithRunningCommands() {
    Playbook playbook = Playbooks.catalog("db-pool", "high_latency", 0.8);
    adapters.world().playbooks().create(playbook);
    String id = intake.accept(sample("alertmanager/seed-day1-payment-api-latency.json")).incidents().get(0).id();
    Incident incident = adapters.world().incidents().find(id).orElseThrow();
    ExecutionReport running = new ExecutionReport("ssm", ExecutionReport.Mode.APPLY, playbook.id(),
        playbook.version(), playbook.commitSha(), false, List.of(), List.of(), InMemoryAdapters.NOW, null, "",
        ExecutionReport.Outcome.RUNNING, new ExecutionProgress(ExecutionProgress.Phase.STEPS, 0, 1, "cmd-1",
            InMemoryAdapters.NOW, 3, List.of(), null));
    adapters.world().incidents().update(incident.toBuilder().playbook(playbook.id(), playbook.version())
        .status(IncidentStatus.EXECUTING).execution(running).build());
    return id;
  }

  @Test
  void stopExecution_whileCommandsRun_endsTheExecutionAsAFailureNamingWhy() {
    String id = incidentWithRunningCommands();

    JsonNode out = invoke(Map.of("incidentId", id, "error", "Reflex.CommandsTimedOut",
        "cause", "commands were still running after 3 checks"));

    assertThat(out.path("finished").asBoolean()).isTrue();
    assertThat(out.path("success").asBoolean()).isFalse();
    assertThat(out.path("outcome").asText()).isEqualTo("FAILED");
    Incident incident = adapters.world().incidents().find(id).orElseThrow();
    assertThat(incident.status()).isEqualTo(IncidentStatus.FAILED);
    assertThat(incident.execution().summary())
        .contains("Reflex.CommandsTimedOut: commands were still running after 3 checks");
    assertThat(incident.execution().steps().get(0).detail()).startsWith("cancelled: Reflex.CommandsTimedOut");
  }

  @Test
  void stopExecution_whenTheIncidentHasNoExecution_failsNamingIncidentId() {
    String id = intake.accept(sample("alertmanager/seed-day1-payment-api-latency.json")).incidents().get(0).id();

    MockLambda.FunctionError error = invokeExpectingError(Map.of("incidentId", id, "error", "Reflex.CommandsTimedOut"));

    assertThat(error.thrown()).isEqualTo(InvalidInputException.class.getName());
    assertThat(error.message()).contains("has no execution to stop");
  }
}
