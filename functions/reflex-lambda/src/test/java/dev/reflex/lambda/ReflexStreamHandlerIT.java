package dev.reflex.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.lambda.intake.AlertIntake;
import dev.reflex.lambda.support.FunctionProfiles;
import dev.reflex.lambda.support.InMemoryAdapters;
import dev.reflex.lambda.support.MockLambda;
import io.quarkus.funqy.runtime.ApplicationException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler AWS Lambda calls (the JVM runtime, as deployed): what it throws is the
 * {@code errorType} Step Functions' {@code Retry} and {@code Catch} match. The mock event server
 * goes through Quarkus' poll loop instead, so this path is exercised here directly.
 */
@QuarkusTest
@TestProfile(FunctionProfiles.Detect.class)
class ReflexStreamHandlerIT {

  @Inject
  InMemoryAdapters adapters;

  @Inject
  AlertIntake intake;

  @BeforeEach
  void emptyStores() {
    adapters.reset();
  }

  @Test
  void handle_whenFunctionRejectsInput_throwsTheDomainExceptionNotFunqysWrapper() {
    assertThatThrownBy(() -> handle("{}"))
        .isExactlyInstanceOf(InvalidInputException.class)
        .isNotInstanceOf(ApplicationException.class);
  }

  @Test
  void handle_whenIncidentIsUnknown_throwsIncidentNotFoundException() {
    assertThatThrownBy(() -> handle("{\"incidentId\":\"inc-does-not-exist\"}"))
        .isExactlyInstanceOf(IncidentNotFoundException.class);
  }

  @Test
  void handle_whenFunctionSucceeds_writesItsOutput() throws Exception {
    String incidentId = intake.accept(MockLambda.sample("alertmanager/seed-day1-payment-api-latency.json"))
        .incidents().get(0).id();

    String out = handle("{\"incidentId\":\"" + incidentId + "\"}");

    assertThat(MockLambda.parse(out).path("signature").asText()).isEqualTo("high_latency|payment-api|india");
  }

  private static String handle(String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReflexStreamHandler.handle(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return out.toString(StandardCharsets.UTF_8);
  }
}
