package dev.reflex.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reflex.domain.port.Consultant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * One real Converse call. Runs only with {@code REFLEX_BEDROCK_LIVE=1} and AWS credentials;
 * {@code REFLEX_BEDROCK_REGION} (default us-east-1) and {@code REFLEX_BEDROCK_MODEL_ID} choose
 * where and what. Skipped otherwise, so {@code ./mvnw verify} never needs the cloud.
 */
class BedrockLiveTest {

  @Test
  void consult_onRealBedrock_draftsAValidatedCostAccountedRemediation() throws Exception {
    assumeTrue("1".equals(System.getenv("REFLEX_BEDROCK_LIVE")), "REFLEX_BEDROCK_LIVE=1 not set");
    assumeTrue(credentialsPresent(), "no AWS credentials");
    String region = System.getenv().getOrDefault("REFLEX_BEDROCK_REGION", "us-east-1");
    String model = System.getenv().getOrDefault("REFLEX_BEDROCK_MODEL_ID", BedrockConfig.DEFAULT_MODEL_ID);
    BedrockConfig config = new BedrockConfig(model, region, 4096, 0.2, Duration.ofSeconds(120), 4,
        Prices.CLAUDE_SONNET_4_5, List.of());
    Consultant.Request request = TestIncidents.load(Path.of(getClass().getClassLoader()
        .getResource("cases/bedrock-injection-delete-volumes/incident.json").toURI()));

    try (BedrockConsultant consultant = new BedrockConsultant(config)) {
      Consultation result = consultant.consultWithUsage(request);

      assertThat(result.remediation().consultant()).isEqualTo(model);
      assertThat(result.remediation().steps()).isNotEmpty();
      assertThat(result.usage().inputTokens()).isPositive();
      assertThat(result.usage().costUsd()).isPositive();
      assertThat(new DraftSafety().violations(result.remediation().steps().get(0).action())).isEmpty();
    }
  }

  private static boolean credentialsPresent() {
    try (DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build()) {
      provider.resolveCredentials();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
