package dev.reflex.lambda.functions;

import static dev.reflex.lambda.support.MockLambda.invoke;
import static dev.reflex.lambda.support.MockLambda.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.service.DetectAnomaly;
import dev.reflex.domain.service.MatchPlaybook;
import dev.reflex.lambda.config.ReflexServices;
import dev.reflex.lambda.intake.AlertIntake;
import dev.reflex.lambda.support.FunctionProfiles;
import dev.reflex.lambda.support.InMemoryAdapters;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "Decide remediation" as its Lambda runs it, with the policy engine's tables configured. */
@QuarkusTest
@TestProfile(FunctionProfiles.Decide.class)
class DecideFunctionIT {

  @Inject
  InMemoryAdapters adapters;

  @Inject
  AlertIntake intake;

  @Inject
  DetectAnomaly detect;

  @Inject
  MatchPlaybook match;

  @Inject
  ReflexServices services;

  private String incidentId;

  @BeforeEach
  void matchedIncident() {
    adapters.reset();
    incidentId = intake.accept(sample("alertmanager/seed-day1-payment-api-latency.json")).incidents().get(0).id();
    detect.detect(incidentId);
    match.match(incidentId);
  }

  @Test
  void decide_withGovernanceTablesConfigured_decidesByTheRepositorysReviewedPolicies() {
    JsonNode out = invoke(Map.of("incidentId", incidentId));

    assertThat(services.governance()).isNotNull();
    // the reviewed policy file is named in the verdict: the built-in policy names none
    assertThat(out.path("reasoning").toString())
        .contains("remediation is enabled by policy policies/default.yml")
        .contains("policy policies/default.yml applies (default)");
  }
}
