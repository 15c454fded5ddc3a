package dev.reflex.adapters.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.model.StepAction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Clients pointed at WireMock, stubs for the JSON-1.1 APIs, and test playbooks. */
final class AwsTestSupport {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  static final String INSTANCE = "i-0123456789abcdef0";
  static final String INSTANCE_2 = "i-0fedcba9876543210";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String SERVICE_PATTERN = "[a-z0-9][a-z0-9-]{0,62}";

  private AwsTestSupport() {}

  // ---------------------------------------------------------------- clients

  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret-key"));

  private static ClientOverrideConfiguration noRetries() {
    return ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD)
        .retryStrategy(b -> b.maxAttempts(1)).build();
  }

  static SsmClient ssm(WireMockServer server) {
    return SsmClient.builder().endpointOverride(URI.create(server.baseUrl())).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(noRetries()).build();
  }

  static SesV2Client ses(WireMockServer server) {
    return SesV2Client.builder().endpointOverride(URI.create(server.baseUrl())).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(noRetries()).build();
  }

  static SecretsManagerClient secretsManager(WireMockServer server) {
    return SecretsManagerClient.builder().endpointOverride(URI.create(server.baseUrl())).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(noRetries()).build();
  }

  // ---------------------------------------------------------------- stubs

  static MappingBuilder target(String target) {
    return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
  }

  static ResponseDefinitionBuilder json(Object body) {
    try {
      return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
          .withBody(body instanceof String s ? s : JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ResponseDefinitionBuilder awsError(int status, String type, String message) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
        .withHeader("x-amzn-ErrorType", type)
        .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
  }

  static List<JsonNode> bodies(WireMockServer server, String target) {
    return server.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target))).stream()
        .map(AwsTestSupport::body).toList();
  }

  static JsonNode body(LoggedRequest request) {
    try {
      return JSON.readTree(request.getBodyAsString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything WireMock received, URL, headers and body, for leak checks. */
  static String everythingReceived(WireMockServer server) {
    StringBuilder all = new StringBuilder();
    server.getAllServeEvents().forEach(event -> all.append(event.getRequest().getUrl()).append('\n')
        .append(event.getRequest().getHeaders()).append('\n').append(event.getRequest().getBodyAsString()).append('\n'));
    return all.toString();
  }

  // ---------------------------------------------------------------- playbooks

  static Parameter service(String pattern) {
    return new Parameter("service", "the systemd unit", "service", pattern, null, true);
  }

  static Parameter dbPasswordSecret() {
    return new Parameter("db_password_secret", "name of the DB password secret; the instance reads it",
        null, "reflex/[a-z0-9-]{1,60}", "reflex/payment-db", false);
  }

  /** A URL parameter whose default holds {@code :} and {@code /}, as the db-pool playbook's. */
  static Parameter prometheusUrl() {
    return new Parameter("prometheus_url", "Prometheus base URL", null,
        "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._/-]*)?$", "http://prometheus.monitoring.svc:9090", false);
  }

  /** Two steps (a command, a restart with rollback) and a verification. */
  static Playbook playbook() {
    return playbook(service(SERVICE_PATTERN));
  }

  static Playbook playbook(Parameter service, Parameter... more) {
    StepAction logs = StepAction.of("Inspect logs", "ansible.builtin.command",
        Map.of("argv", List.of("journalctl", "-u", "{{ service }}", "-n", "50")));
    StepAction restart = StepAction.of("Restart unit", "ansible.builtin.systemd_service",
        Map.of("name", "{{ service }}", "state", "restarted"));
    StepAction start = StepAction.of("Start unit", "ansible.builtin.systemd_service",
        Map.of("name", "{{ service }}", "state", "started"));
    StepAction health = StepAction.of("Check health", "ansible.builtin.uri",
        Map.of("url", "http://127.0.0.1:8080/health", "status_code", 200));
    return new Playbook("restart-service", "1.2.0", "Restart a service", PlaybookSource.CATALOG,
        PlaybookStatus.ACTIVE, List.of("service_down"), List.of("service_down|*|*"),
        Signature.parse("service_down|payment-api|prod"), "Restarts the unit.", "",
        java.util.stream.Stream.concat(java.util.stream.Stream.of(service, dbPasswordSecret()),
            java.util.Arrays.stream(more)).toList(),
        List.of(new PlaybookStep(logs, RiskClass.READ_ONLY, null),
            new PlaybookStep(restart, RiskClass.SAFE_WRITE, start)),
        health, PlaybookStats.initial(0.8), List.of(), "", "main", SHA, 3);
  }

  static TargetResolver targets() {
    return TargetResolver.parse("""
        targets:
          - when: {service: payment-api}
            instance_ids: [i-0123456789abcdef0]
          - when: {service: checkout}
            tags: {Service: checkout, Environment: [prod]}
        """, "targets.yml");
  }

  static SsmExecutorConfig config(boolean check) {
    return new SsmExecutorConfig(null, null, new SourceLocation.S3("reflex-playbooks", "repo", null, ""), check,
        "1", "0", Duration.ofSeconds(5), Duration.ofSeconds(60), targets(), null);
  }

  // ---------------------------------------------------------------- time

  /** A clock the sleeper moves forward: polling loops run without sleeping. */
  static final class TestClock extends Clock {
    private Instant now;

    TestClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
