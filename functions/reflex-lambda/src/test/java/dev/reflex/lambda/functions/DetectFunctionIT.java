package dev.reflex.lambda.functions;

import static dev.reflex.lambda.support.MockLambda.invoke;
import static dev.reflex.lambda.support.MockLambda.invokeExpectingError;
import static dev.reflex.lambda.support.MockLambda.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.Incident;
import dev.reflex.lambda.intake.AlertIntake;
import dev.reflex.lambda.support.FunctionProfiles;
import dev.reflex.lambda.support.InMemoryAdapters;
import dev.reflex.lambda.support.MockLambda;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "Detect anomaly", the state machine's first task, as its Lambda runs it. */
@QuarkusTest
@TestProfile(FunctionProfiles.Detect.class)
class DetectFunctionIT {

  @Inject
  InMemoryAdapters adapters;

  @Inject
  AlertIntake intake;

  @BeforeEach
  void emptyStores() {
    adapters.reset();
  }

  @Test
  void detect_onIngestedIncident_answersAndRecordsItsSignature() {
    String incidentId = ingest("alertmanager/seed-day1-payment-api-latency.json");

    JsonNode out = invoke(Map.of("incidentId", incidentId));

    assertThat(out.path("incidentId").asText()).isEqualTo(incidentId);
    assertThat(out.path("signature").asText()).isEqualTo("high_latency|payment-api|india");
    assertThat(out.path("anomalyType").asText()).isEqualTo("high_latency");
    assertThat(out.path("severity").asText()).isEqualTo("CRITICAL");
    Incident stored = adapters.world().incidents().find(incidentId).orElseThrow();
    assertThat(stored.signature()).hasToString("high_latency|payment-api|india");
  }

  @Test
  void detect_onIncidentOfAnotherAlert_answersThatAlertsSignature() {
    String incidentId = ingest("alertmanager/disk-full-checkout-api.json");

    JsonNode out = invoke(Map.of("incidentId", incidentId));

    assertThat(out.path("signature").asText()).isEqualTo("disk_full|checkout-api|us-east-1");
  }

  @Test
  void detect_whenIncidentIdIsMissing_failsWithInvalidInputException() {
    MockLambda.FunctionError error = invokeExpectingError(Map.of());

    assertThat(error.thrown()).isEqualTo(InvalidInputException.class.getName());
  }

  @Test
  void detect_whenIncidentIdIsLongerThan128Characters_failsWithInvalidInputException() {
    MockLambda.FunctionError error = invokeExpectingError(Map.of("incidentId", "inc-" + "x".repeat(125)));

    assertThat(error.thrown()).isEqualTo(InvalidInputException.class.getName());
  }

  @Test
  void detect_whenIncidentIsUnknown_failsWithIncidentNotFoundException() {
    MockLambda.FunctionError error = invokeExpectingError(Map.of("incidentId", "inc-does-not-exist"));

    assertThat(error.thrown()).isEqualTo(IncidentNotFoundException.class.getName());
  }

  private String ingest(String sample) {
    return intake.accept(sample(sample)).incidents().get(0).id();
  }
}
