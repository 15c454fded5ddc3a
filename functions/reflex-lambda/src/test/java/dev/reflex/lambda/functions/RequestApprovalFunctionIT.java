package dev.reflex.lambda.functions;

import static dev.reflex.lambda.support.MockLambda.invoke;
import static dev.reflex.lambda.support.MockLambda.invokeExpectingError;
import static dev.reflex.lambda.support.MockLambda.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.lambda.intake.AlertIntake;
import dev.reflex.lambda.support.FunctionProfiles;
import dev.reflex.lambda.support.InMemoryAdapters;
import dev.reflex.lambda.support.MockLambda;
import dev.reflex.domain.model.ApprovalNotice;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "Request approval", the {@code .waitForTaskToken} task, as its Lambda runs it. */
@QuarkusTest
@TestProfile(FunctionProfiles.RequestApproval.class)
class RequestApprovalFunctionIT {

  /** Shaped like a Step Functions task token: long and opaque. */
  private static final String TASK_TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAA" + "b3BhcXVl".repeat(40);

  @Inject
  InMemoryAdapters adapters;

  @Inject
  AlertIntake intake;

  private String incidentId;

  @BeforeEach
  void openIncident() {
    adapters.reset();
    incidentId = intake.accept(sample("alertmanager/seed-day1-payment-api-latency.json")).incidents().get(0).id();
  }

  @Test
  void requestApproval_withTaskToken_keepsTokenServerSideAndNotifiesApprovers() {
    JsonNode out = invoke(Map.of("incidentId", incidentId, "taskToken", TASK_TOKEN, "timeoutSeconds", 3600));

    String approvalId = out.path("approvalId").asText();
    assertThat(approvalId).startsWith("apr-");
    assertThat(out.path("incidentId").asText()).isEqualTo(incidentId);
    assertThat(out.path("expiresAt").asText()).isEqualTo(InMemoryAdapters.NOW.plus(Duration.ofHours(1)).toString());
    assertThat(out.toString()).doesNotContain(TASK_TOKEN);
    Approval stored = adapters.world().approvals().find(approvalId).orElseThrow();
    assertThat(stored.taskToken()).isEqualTo(TASK_TOKEN);
    assertThat(stored.status()).isEqualTo(Approval.ApprovalStatus.PENDING);
    ApprovalNotice sent = adapters.world().notifier().last();
    assertThat(sent.approvalId()).isEqualTo(approvalId);
    assertThat(sent.approvers()).containsExactly("sre-oncall@example.com", "platform-leads@example.com");
    assertThat(sent.links()).allSatisfy(link -> assertThat(link.url()).contains(approvalId).doesNotContain(TASK_TOKEN));
    assertThat(sent.evidence()).doesNotContain(TASK_TOKEN).contains("Dry run:", "Similar past incidents:");
    assertThat(adapters.world().incidents().find(incidentId).orElseThrow().status())
        .isEqualTo(IncidentStatus.AWAITING_APPROVAL);
  }

  @Test
  void requestApproval_whenRetriedWithSameToken_answersSameApproval() {
    Map<String, Object> event = Map.of("incidentId", incidentId, "taskToken", TASK_TOKEN);

    JsonNode first = invoke(event);
    JsonNode retry = invoke(event);

    assertThat(retry.path("approvalId").asText()).isEqualTo(first.path("approvalId").asText());
    assertThat(adapters.world().approvals().all()).hasSize(1);
  }

  @Test
  void requestApproval_whenTaskTokenIsMissing_failsWithInvalidInputExceptionAndStoresNothing() {
    MockLambda.FunctionError error = invokeExpectingError(Map.of("incidentId", incidentId));

    assertThat(error.thrown()).isEqualTo(InvalidInputException.class.getName());
    assertThat(adapters.world().approvals().all()).isEmpty();
    assertThat(adapters.world().notifier().notices()).isEmpty();
    assertThat(adapters.world().incidents().find(incidentId).orElseThrow().status()).isEqualTo(IncidentStatus.OPEN);
  }

  @Test
  void requestApproval_whenTimeoutExceedsAWeek_failsWithInvalidInputException() {
    MockLambda.FunctionError error = invokeExpectingError(
        Map.of("incidentId", incidentId, "taskToken", TASK_TOKEN, "timeoutSeconds", 8 * 24 * 3600));

    assertThat(error.thrown()).isEqualTo(InvalidInputException.class.getName());
    assertThat(adapters.world().approvals().all()).isEmpty();
  }
}
