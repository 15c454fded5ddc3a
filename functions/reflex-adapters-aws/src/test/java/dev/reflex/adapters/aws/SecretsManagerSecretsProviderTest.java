package dev.reflex.adapters.aws;

import static dev.reflex.adapters.aws.AwsTestSupport.T0;
import static dev.reflex.adapters.aws.AwsTestSupport.awsError;
import static dev.reflex.adapters.aws.AwsTestSupport.bodies;
import static dev.reflex.adapters.aws.AwsTestSupport.json;
import static dev.reflex.adapters.aws.AwsTestSupport.target;
import static dev.reflex.adapters.aws.AwsTestSupport.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.reflex.domain.error.SecretNotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

class SecretsManagerSecretsProviderTest {

  private static final String VALUE = "s3cr3t-v4lue-planted";

  private static WireMockServer server;
  private static SecretsManagerClient client;

  private InMemorySecretAccessAudit audit;
  private AwsTestSupport.TestClock clock;
  private SecretsManagerSecretsProvider provider;

  @BeforeAll
  static void start() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    client = AwsTestSupport.secretsManager(server);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
    audit = new InMemorySecretAccessAudit();
    clock = new AwsTestSupport.TestClock(T0);
    provider = new SecretsManagerSecretsProvider(client, audit, clock);
  }

  private void stubSecret(String name, String value) {
    server.stubFor(target("secretsmanager.GetSecretValue").withRequestBody(WireMock.containing(name))
        .willReturn(json("{\"ARN\":\"arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name
            + "-AbCdEf\",\"Name\":\"" + name + "\",\"SecretString\":\"" + value + "\",\"VersionId\":\"v1\"}")));
  }

  @Test
  void secret_whenPresent_readsItOnceAndCachesIt() {
    stubSecret("reflex/approval-signing-key", VALUE);

    byte[] first = provider.secret("reflex/approval-signing-key", "approval-link-signing");
    byte[] second = provider.secret("reflex/approval-signing-key", "approval-link-verification");

    assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(VALUE);
    assertThat(second).isEqualTo(first);
    assertThat(bodies(server, "secretsmanager.GetSecretValue"))
        .containsExactly(tree("{\"SecretId\":\"reflex/approval-signing-key\"}"));
  }

  @Test
  void secret_everyRead_isAuditedByNameAndPurpose() {
    stubSecret("reflex/approval-signing-key", VALUE);
    stubSecret("reflex/slack-webhook", "https://hooks.example/T0");

    provider.secret("reflex/approval-signing-key", "approval-link-signing");
    clock.advance(Duration.ofSeconds(3));
    provider.secret("reflex/slack-webhook");
    clock.advance(Duration.ofSeconds(3));
    provider.secret("reflex/approval-signing-key", "approval-link-verification");

    assertThat(audit.accesses()).containsExactly(
        new InMemorySecretAccessAudit.Access("reflex/approval-signing-key", "approval-link-signing", T0),
        new InMemorySecretAccessAudit.Access("reflex/slack-webhook", "unspecified", T0.plusSeconds(3)),
        new InMemorySecretAccessAudit.Access("reflex/approval-signing-key", "approval-link-verification",
            T0.plusSeconds(6)));
    assertThat(audit.accesses().toString()).doesNotContain(VALUE);
  }

  @Test
  void secret_whenMissing_throwsNamingTheSecret() {
    server.stubFor(target("secretsmanager.GetSecretValue")
        .willReturn(awsError(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")));

    assertThatThrownBy(() -> provider.secret("reflex/missing"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("secret 'reflex/missing' not found in Secrets Manager");
    assertThat(audit.accesses()).hasSize(1);
  }

  @Test
  void secret_whenAccessDenied_throwsUnavailableWithCodeOnly() {
    server.stubFor(target("secretsmanager.GetSecretValue")
        .willReturn(awsError(400, "AccessDeniedException", "User is not authorized; value " + VALUE)));

    assertThatThrownBy(() -> provider.secret("reflex/locked"))
        .isInstanceOf(SecretUnavailableException.class)
        .hasMessage("secret 'reflex/locked' cannot be read: AccessDeniedException (HTTP 400)")
        .hasNoCause();
  }

  @Test
  void secret_whenBinary_returnsTheBytes() {
    server.stubFor(target("secretsmanager.GetSecretValue")
        .willReturn(json("{\"Name\":\"reflex/key\",\"SecretBinary\":\"AAEC\"}")));

    assertThat(provider.secret("reflex/key")).containsExactly(0, 1, 2);
  }

  @Test
  void secret_whenNameIsInvalid_refusesWithoutCalling() {
    assertThatThrownBy(() -> provider.secret("bad name; x"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageNotContaining("bad name");
    assertThat(server.getAllServeEvents()).isEmpty();
  }
}
