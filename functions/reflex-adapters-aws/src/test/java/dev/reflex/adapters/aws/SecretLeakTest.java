package dev.reflex.adapters.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.reflex.adapters.aws.AwsTestSupport.INSTANCE;
import static dev.reflex.adapters.aws.AwsTestSupport.T0;
import static dev.reflex.adapters.aws.AwsTestSupport.everythingReceived;
import static dev.reflex.adapters.aws.AwsTestSupport.json;
import static dev.reflex.adapters.aws.AwsTestSupport.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.reflex.domain.model.ExecutionReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A secret value planted in Secrets Manager, referenced by name from the configuration (the
 * GitHub token) and from a playbook parameter, and quoted in an alert annotation that reaches the
 * approval summary: it must appear in no request any adapter sends, and in no report.
 */
class SecretLeakTest {

  private static final String PLANTED = "Pl4nted-S3cret-9f8e7d6c";

  private static WireMockServer server;
  private static SsmClient ssm;
  private static SesV2Client ses;
  private static SecretsManagerClient secretsManager;

  @BeforeAll
  static void start() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    ssm = AwsTestSupport.ssm(server);
    ses = AwsTestSupport.ses(server);
    secretsManager = AwsTestSupport.secretsManager(server);
  }

  @AfterAll
  static void stop() {
    ssm.close();
    ses.close();
    secretsManager.close();
    server.stop();
  }

  @Test
  void secretValue_isInNoRequestNoReportAndNoEmail() {
    for (String name : List.of("reflex/payment-db", "reflex/github-token")) {
      server.stubFor(target("secretsmanager.GetSecretValue")
          .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(name))
          .willReturn(json("{\"Name\":\"" + name + "\",\"SecretString\":\"" + PLANTED + "\"}")));
    }
    server.stubFor(target("AmazonSSM.SendCommand").willReturn(json("{\"Command\":{\"CommandId\":\"cmd-9\"}}")));
    server.stubFor(target("AmazonSSM.ListCommands").willReturn(json("""
        {"Commands":[{"CommandId":"cmd-9","RequestedDateTime":%d,"InstanceIds":["%s"],"TargetCount":1,
         "Parameters":{"Check":["False"]}}]}""".formatted(T0.getEpochSecond(), INSTANCE))));
    server.stubFor(target("AmazonSSM.GetCommandInvocation").willReturn(json(AwsTestSupport.JSON.createObjectNode()
        .put("Status", "Failed").put("ResponseCode", 1)
        .put("StandardOutputContent", "TASK [Restart unit] ***\nfatal: [localhost]: FAILED! => {\"msg\": \"login failed password="
            + PLANTED + "\"}\n")
        .put("StandardErrorContent", "db_password: " + PLANTED + "\n").toString())));
    server.stubFor(post(urlEqualTo("/v2/email/outbound-emails"))
        .willReturn(aResponse().withStatus(200).withBody("{\"MessageId\":\"m\"}")));

    // the application reads both secrets (audited) for its own purposes
    InMemorySecretAccessAudit audit = new InMemorySecretAccessAudit();
    SecretsManagerSecretsProvider secrets = new SecretsManagerSecretsProvider(secretsManager, audit);
    assertThat(new String(secrets.secret("reflex/payment-db", "test"), StandardCharsets.UTF_8)).isEqualTo(PLANTED);
    secrets.secret("reflex/github-token", "test");

    SsmExecutorConfig config = new SsmExecutorConfig(null, null,
        new SourceLocation.GitHub("acme", "reflex-playbooks", "", "reflex/github-token"), false, null, null,
        Duration.ofSeconds(1), Duration.ofMinutes(1), AwsTestSupport.targets(), null);
    AwsTestSupport.TestClock clock = new AwsTestSupport.TestClock(T0);
    ExecutionReport report = new SsmExecutor(ssm, config, clock, clock::advance)
        .execute("inc-1", AwsTestSupport.playbook(), Map.of("service", "payment-api"));
    // the same play's steps through the pass document: the secret's name travels in base64 JSON
    dev.reflex.domain.model.Playbook playbook = AwsTestSupport.playbook();
    new SsmExecutor(ssm, config.withPassDocument("Reflex-ApplyAnsiblePass"), clock, clock::advance).start(
        new dev.reflex.domain.model.ExecutionPass("inc-1", playbook, Map.of("service", "payment-api"), Map.of(),
            dev.reflex.domain.model.ExecutionPass.Purpose.REMEDIATE, playbook.steps().stream()
                .map(step -> new dev.reflex.domain.model.ExecutionPass.Action(step.action(), step.declaredRisk()))
                .toList()));
    List<String> variables = AwsTestSupport.bodies(server, "AmazonSSM.SendCommand").stream()
        .filter(body -> body.at("/Parameters/Variables/0").isTextual())
        .map(body -> PassVariables.decode(body.at("/Parameters/Variables/0").asText())).toList();

    new SesApprovalNotifier(ses, new SesApprovalNotifier.Config("reflex@example.com", null))
        .approvalRequested(SesApprovalNotifierTest.noticeOf("[Reflex] Approval needed: service_down|payment-api|prod",
            "Incident inc-1 (service_down|payment-api|prod)\nAnnotation: connection string password=" + PLANTED + "\n",
            "ops@example.com"));

    String received = everythingReceived(server);
    assertThat(received).contains("\"ExtraVariables\":[\"service=payment-api\"]", "{{ssm-secure:reflex/github-token}}",
        "outbound-emails");
    assertThat(received).doesNotContain(PLANTED);
    assertThat(variables).containsExactly("{\"service\":\"payment-api\",\"db_password_secret\":\"reflex/payment-db\"}");
    assertThat(report.toString()).doesNotContain(PLANTED);
    assertThat(audit.accesses()).extracting(InMemorySecretAccessAudit.Access::name)
        .containsExactly("reflex/payment-db", "reflex/github-token");
  }
}
