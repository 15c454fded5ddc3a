package dev.reflex.lambda.functions;

import static dev.reflex.lambda.support.MockLambda.invoke;
import static dev.reflex.lambda.support.MockLambda.invokeExpectingError;
import static dev.reflex.lambda.support.MockLambda.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.error.InvalidInputException;
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

/** "Check alert resolution" as its Lambda runs it: the verified-remediation loop's question. */
@QuarkusTest
@TestProfile(FunctionProfiles.CheckResolution.class)
class CheckResolutionFunctionIT {

  @Inject
  InMemoryAdapters adapters;

  @Inject
  AlertIntake intake;

  @BeforeEach
  void emptyStores() {
    adapters.reset();
  }

  @Test
  void checkResolution_whileTheAlertFires_answersNotResolved() {
    String incidentId = intake.accept(sample("alertmanager/seed-day1-payment-api-latency.json")).incidents().get(0).id();

    JsonNode out = invoke(Map.of("incidentId", incidentId));

    assertThat(out.path("incidentId").asText()).isEqualTo(incidentId);
    assertThat(out.path("resolved").asBoolean()).isFalse();
    assertThat(out.path("resolvedAt").isNull()).isTrue();
  }

  @Test
  void checkResolution_afterAlertmanagerSentResolved_answersResolvedWithItsTime() {
    String incidentId = intake.accept(sample("alertmanager/seed-day1-payment-api-latency.json")).incidents().get(0).id();
    intake.accept(sample("alertmanager/seed-day1-resolved.json"));

    JsonNode out = invoke(Map.of("incidentId", incidentId));

    assertThat(out.path("resolved").asBoolean()).isTrue();
    assertThat(out.path("resolvedAt").asText()).isEqualTo("2026-11-01T09:41:30Z");
  }

  @Test
  void checkResolution_whenIncidentIdIsMissing_failsWithInvalidInputException() {
    MockLambda.FunctionError error = invokeExpectingError(Map.of());

    assertThat(error.thrown()).isEqualTo(InvalidInputException.class.getName());
  }

  @Test
  void checkResolution_whenIncidentIsUnknown_failsWithIncidentNotFoundException() {
    MockLambda.FunctionError error = invokeExpectingError(Map.of("incidentId", "inc-does-not-exist"));

    assertThat(error.thrown()).isEqualTo(IncidentNotFoundException.class.getName());
  }
}
