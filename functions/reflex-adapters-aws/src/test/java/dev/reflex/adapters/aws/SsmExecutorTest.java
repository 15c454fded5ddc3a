package dev.reflex.adapters.aws;

import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.reflex.adapters.aws.AwsTestSupport.INSTANCE;
import static dev.reflex.adapters.aws.AwsTestSupport.INSTANCE_2;
import static dev.reflex.adapters.aws.AwsTestSupport.SHA;
import static dev.reflex.adapters.aws.AwsTestSupport.T0;
import static dev.reflex.adapters.aws.AwsTestSupport.awsError;
import static dev.reflex.adapters.aws.AwsTestSupport.json;
import static dev.reflex.adapters.aws.AwsTestSupport.target;
import static dev.reflex.adapters.aws.AwsTestSupport.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.reflex.domain.error.InvalidParameterException;
import dev.reflex.domain.error.PlanRefusedException;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.Mode;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.Playbook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SsmExecutorTest {

  @RegisterExtension static final SsmWireMock aws = new SsmWireMock();

  private final List<Duration> sleeps = new ArrayList<>();

  private SsmExecutor executor(SsmExecutorConfig config) {
    return new SsmExecutor(aws.ssm(), config, aws.clock(), duration -> {
      sleeps.add(duration);
      aws.clock().advance(duration);
    });
  }

  private static final String APPLY_OUTPUT = """
      PLAY [Restart a service] *******************************************************

      TASK [Validate parameters] *****************************************************
      ok: [localhost]

      TASK [Inspect logs] ************************************************************
      changed: [localhost]

      TASK [Restart unit] ************************************************************
      changed: [localhost]

      TASK [Check health] ************************************************************
      ok: [localhost]

      PLAY RECAP *********************************************************************
      localhost                  : ok=4    changed=2    unreachable=0    failed=0
      """;

  private static final String CHECK_OUTPUT = """
      TASK [Validate parameters] *****************************************************
      ok: [localhost]

      TASK [Inspect logs] ************************************************************
      skipping: [localhost]

      TASK [Restart unit] ************************************************************
      changed: [localhost]

      TASK [Check health] ************************************************************
      ok: [localhost]
      """;

  private void stubSend() {
    aws.stubFor(target("AmazonSSM.SendCommand").willReturn(json("""
        {"Command":{"CommandId":"cmd-1","DocumentName":"AWS-ApplyAnsiblePlaybooks","Status":"Pending"}}""")));
  }

  private void stubListCommands(boolean check, String instanceIds, int targetCount) {
    aws.stubFor(target("AmazonSSM.ListCommands").willReturn(json("""
        {"Commands":[{"CommandId":"cmd-1","RequestedDateTime":%d,"InstanceIds":%s,"TargetCount":%d,
         "Status":"InProgress","Parameters":{"Check":["%s"]}}]}"""
        .formatted(T0.getEpochSecond(), instanceIds, targetCount, check ? "True" : "False"))));
  }

  private static String invocation(String instance, String status, String stdout, String stderr, int code) {
    return AwsTestSupport.JSON.createObjectNode()
        .put("CommandId", "cmd-1").put("InstanceId", instance).put("Status", status)
        .put("StandardOutputContent", stdout).put("StandardErrorContent", stderr).put("ResponseCode", code)
        .toString();
  }

  private void stubInvocation(String status, String stdout, String stderr, int code) {
    aws.stubFor(target("AmazonSSM.GetCommandInvocation")
        .willReturn(json(invocation(INSTANCE, status, stdout, stderr, code))));
  }

  private static JsonNode expectedSend(String check, String extraVariables) {
    return tree("""
        {"DocumentName":"AWS-ApplyAnsiblePlaybooks",
         "InstanceIds":["i-0123456789abcdef0"],
         "Comment":"reflex inc-42 restart-service@1.2.0",
         "Parameters":{
           "SourceType":["S3"],
           "SourceInfo":["{\\"path\\":\\"https://s3.amazonaws.com/reflex-playbooks/repo/%s/playbooks/restart-service/\\"}"],
           "InstallDependencies":["True"],
           "PlaybookFile":["playbook.yml"],
           "ExtraVariables":["%s"],
           "Check":["%s"],
           "Verbose":["-v"],
           "TimeoutSeconds":["60"]},
         "MaxConcurrency":"1",
         "MaxErrors":"0"}""".formatted(SHA, extraVariables, check));
  }

  // ---------------------------------------------------------------- execute

  @Test
  void execute_whenCommandSucceeds_sendsExactRequestAndReportsEachStep() {
    stubSend();
    stubListCommands(false, "[\"" + INSTANCE + "\"]", 1);
    stubInvocation("Success", APPLY_OUTPUT, "", 0);

    ExecutionReport report = executor(AwsTestSupport.config(false))
        .execute("inc-42", AwsTestSupport.playbook(), Map.of("service", "payment-api"));

    assertThat(aws.bodies("AmazonSSM.SendCommand")).containsExactly(
        expectedSend("False", "service=payment-api"));
    assertThat(aws.bodies("AmazonSSM.GetCommandInvocation")).containsExactly(
        tree("{\"CommandId\":\"cmd-1\",\"InstanceId\":\"" + INSTANCE + "\"}"));
    assertThat(report.success()).isTrue();
    assertThat(report.executor()).isEqualTo("ssm");
    assertThat(report.mode()).isEqualTo(Mode.APPLY);
    assertThat(report.commitSha()).isEqualTo(SHA);
    assertThat(report.steps()).extracting(StepResult::name, StepResult::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Inspect logs", Status.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("Restart unit", Status.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("Check health", Status.SUCCEEDED));
    assertThat(report.steps().get(1).detail()).isEqualTo("changed");
    assertThat(report.notSimulated()).isEmpty();
    assertThat(report.summary()).contains("restart-service 1.2.0", "cmd-1", "ok");
    assertThat(sleeps).isEmpty();
  }

  @Test
  void execute_inCheckMode_sendsCheckTrueAndReportsCommandStepsNotSimulated() {
    stubSend();
    stubListCommands(true, "[\"" + INSTANCE + "\"]", 1);
    stubInvocation("Success", CHECK_OUTPUT, "", 0);

    ExecutionReport report = executor(AwsTestSupport.config(true))
        .execute("inc-42", AwsTestSupport.playbook(), Map.of("service", "payment-api"));

    assertThat(aws.bodies("AmazonSSM.SendCommand")).containsExactly(
        expectedSend("True", "service=payment-api"));
    assertThat(report.mode()).isEqualTo(Mode.CHECK);
    assertThat(report.success()).isTrue();
    assertThat(report.steps()).extracting(StepResult::status)
        .containsExactly(Status.NOT_SIMULATED, Status.SIMULATED, Status.SIMULATED);
    assertThat(report.steps().get(1).detail()).isEqualTo("check mode: would be changed");
    assertThat(report.notSimulated()).containsExactly("Inspect logs");
  }

  @Test
  void execute_whenCommandFails_reportsFailedStepWithRedactedOutput() {
    stubSend();
    stubListCommands(false, "[\"" + INSTANCE + "\"]", 1);
    String stdout = """
        TASK [Inspect logs] ************************************************************
        changed: [localhost]

        TASK [Restart unit] ************************************************************
        fatal: [localhost]: FAILED! => {"changed": false, "msg": "Unable to restart: db password=hunter2 rejected"}
        """;
    String stderr = "ERROR! connection with password=hunter2 and key AKIAIOSFODNN7EXAMPLE failed\n";
    stubInvocation("Failed", stdout, stderr, 2);

    ExecutionReport report = executor(AwsTestSupport.config(false))
        .execute("inc-42", AwsTestSupport.playbook(), Map.of("service", "payment-api"));

    assertThat(report.success()).isFalse();
    assertThat(report.steps()).extracting(StepResult::status)
        .containsExactly(Status.SUCCEEDED, Status.FAILED, Status.SKIPPED);
    assertThat(report.steps().get(1).detail()).startsWith("failed: ").contains("password=***");
    assertThat(report.steps().get(2).detail()).isEqualTo("verification: not reached");
    assertThat(report.summary()).contains("Failed (exit 2) at 'Restart unit'", "password=***", "[REDACTED AWS KEY]");
    assertThat(report.toString()).doesNotContain("hunter2").doesNotContain("AKIAIOSFODNN7EXAMPLE");
  }

  @Test
  void execute_whenOutputIsLong_keepsAtMostFourThousandCharacters() {
    stubSend();
    stubListCommands(false, "[\"" + INSTANCE + "\"]", 1);
    stubInvocation("Failed", ("x".repeat(79) + "\n").repeat(300), ("e".repeat(79) + "\n").repeat(100)
        + "password=hunter2 at the end\n", 1);

    ExecutionReport report = executor(AwsTestSupport.config(false))
        .execute("inc-42", AwsTestSupport.playbook(), Map.of("service", "payment-api"));

    assertThat(report.summary().length()).isLessThanOrEqualTo(SsmExecutor.OUTPUT_LIMIT);
    assertThat(report.summary()).contains("[truncated", "password=*** at the end").doesNotContain("hunter2");
  }

  @Test
  void execute_whenInvocationDoesNotExistYet_keepsPollingUntilSuccess() {
    stubSend();
    stubListCommands(false, "[\"" + INSTANCE + "\"]", 1);
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").inScenario("fan-out").whenScenarioStateIs(STARTED)
        .willReturn(awsError(400, "InvocationDoesNotExist", "no invocation yet")).willSetStateTo("created"));
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").inScenario("fan-out").whenScenarioStateIs("created")
        .willReturn(json(invocation(INSTANCE, "InProgress", "", "", -1))).willSetStateTo("done"));
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").inScenario("fan-out").whenScenarioStateIs("done")
        .willReturn(json(invocation(INSTANCE, "Success", APPLY_OUTPUT, "", 0))));

    ExecutionReport report = executor(AwsTestSupport.config(false))
        .execute("inc-42", AwsTestSupport.playbook(), Map.of("service", "payment-api"));

    assertThat(report.success()).isTrue();
    assertThat(aws.bodies("AmazonSSM.GetCommandInvocation")).hasSize(3);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  @Test
  void execute_whenCommandOutlivesTimeout_cancelsItAndReportsTimedOut() {
    stubSend();
    stubListCommands(false, "[\"" + INSTANCE + "\"]", 1);
    stubInvocation("InProgress", "TASK [Inspect logs] ***\nchanged: [localhost]\n", "", -1);
    aws.stubFor(target("AmazonSSM.CancelCommand").willReturn(json("{}")));

    ExecutionReport report = executor(AwsTestSupport.config(false))
        .execute("inc-42", AwsTestSupport.playbook(), Map.of("service", "payment-api"));

    assertThat(report.success()).isFalse();
    assertThat(report.summary()).contains("timed out after 60s");
    assertThat(aws.bodies("AmazonSSM.CancelCommand")).containsExactly(tree("{\"CommandId\":\"cmd-1\"}"));
    assertThat(sleeps).hasSize(13); // 65 s of 5 s polls: the first poll after the 60 s deadline cancels
    assertThat(report.steps().get(0).status()).isEqualTo(Status.SUCCEEDED);
  }

  @Test
  void execute_whenTargetsAreTags_sendsTagTargetsAndMergesEveryInstance() {
    stubSend();
    stubListCommands(false, "[]", 2);
    aws.stubFor(target("AmazonSSM.ListCommandInvocations").willReturn(json("""
        {"CommandInvocations":[{"CommandId":"cmd-1","InstanceId":"%s"},{"CommandId":"cmd-1","InstanceId":"%s"}]}"""
        .formatted(INSTANCE, INSTANCE_2))));
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").withRequestBody(WireMock.containing(INSTANCE))
        .willReturn(json(invocation(INSTANCE, "Success", APPLY_OUTPUT, "", 0))));
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").withRequestBody(WireMock.containing(INSTANCE_2))
        .willReturn(json(invocation(INSTANCE_2, "Failed", APPLY_OUTPUT.replace(
            "TASK [Restart unit] ************************************************************\nchanged: [localhost]",
            "TASK [Restart unit] ***\nfatal: [localhost]: FAILED! => {\"msg\": \"unit not found\"}"), "", 2))));

    ExecutionReport report = executor(AwsTestSupport.config(false).withRateControl("50%", "1"))
        .execute("inc-7", AwsTestSupport.playbook(), Map.of("service", "checkout"));

    JsonNode sent = aws.bodies("AmazonSSM.SendCommand").get(0);
    assertThat(sent.has("InstanceIds")).isFalse();
    assertThat(sent.get("Targets")).isEqualTo(tree("""
        [{"Key":"tag:Service","Values":["checkout"]},{"Key":"tag:Environment","Values":["prod"]}]"""));
    assertThat(sent.get("MaxConcurrency").asText()).isEqualTo("50%");
    assertThat(sent.get("MaxErrors").asText()).isEqualTo("1");
    assertThat(aws.bodies("AmazonSSM.ListCommandInvocations")).containsExactly(
        tree("{\"CommandId\":\"cmd-1\",\"MaxResults\":50}"));
    assertThat(report.success()).isFalse();
    assertThat(report.steps().get(1).status()).isEqualTo(Status.FAILED);
    assertThat(report.steps().get(1).detail()).isEqualTo(INSTANCE + ": changed; " + INSTANCE_2
        + ": failed: {\"msg\": \"unit not found\"}");
    assertThat(report.summary()).contains("on 2 instance(s)", INSTANCE_2 + ": Failed (exit 2)");
  }

  // ---------------------------------------------------------------- refused before sending

  @ParameterizedTest
  @ValueSource(strings = {"api; rm -rf /", "$(curl x)", "`id`", "a|b", "x&&y", "a>b", "it's", "say\"hi",
      "line\nbreak", "tab\there", "host:22", "{{ lookup('pipe','id') }}", "a\\b"})
  void execute_whenParameterIsHostile_sendsNothing(String hostile) {
    // a permissive pattern: the executor's own check is what refuses the value
    Playbook permissive = AwsTestSupport.playbook(AwsTestSupport.service(".*"));

    assertThatThrownBy(() -> executor(AwsTestSupport.config(false))
        .execute("inc-42", permissive, Map.of("service", hostile)))
        .isInstanceOf(InvalidParameterException.class)
        .satisfies(e -> assertThat(((InvalidParameterException) e).parameter()).isEqualTo("service"))
        .hasMessageContaining("parameter service")
        .hasMessageNotContaining(hostile);
    assertThat(aws.server().getAllServeEvents()).isEmpty();
  }

  @Test
  void execute_whenParameterMissesItsPattern_sendsNothing() {
    assertThatThrownBy(() -> executor(AwsTestSupport.config(false))
        .execute("inc-42", AwsTestSupport.playbook(), Map.of("service", "Payment_API")))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("does not match its pattern")
        .hasMessageNotContaining("Payment_API");
    assertThat(aws.server().getAllServeEvents()).isEmpty();
  }

  @Test
  void execute_whenRequiredParameterIsMissing_sendsNothing() {
    assertThatThrownBy(() -> executor(AwsTestSupport.config(false))
        .execute("inc-42", AwsTestSupport.playbook(), Map.of()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("parameter service is required");
    assertThat(aws.server().getAllServeEvents()).isEmpty();
  }

  @Test
  void execute_whenNoTargetsRuleMatches_sendsNothing() {
    assertThatThrownBy(() -> executor(AwsTestSupport.config(false))
        .execute("inc-42", AwsTestSupport.playbook(), Map.of("service", "unknown-svc")))
        .isInstanceOf(TargetNotFoundException.class)
        .hasMessageContaining("[service]")
        .hasMessageNotContaining("unknown-svc");
    assertThat(aws.server().getAllServeEvents()).isEmpty();
  }

  @Test
  void execute_whenPlaybookHasNoCommit_sendsNothing() {
    Playbook uncommitted = AwsTestSupport.playbook().withCommit("main", null);

    assertThatThrownBy(() -> executor(AwsTestSupport.config(false))
        .execute("inc-42", uncommitted, Map.of("service", "payment-api")))
        .isInstanceOf(PlanRefusedException.class)
        .hasMessageContaining("has no commit");
    assertThat(aws.server().getAllServeEvents()).isEmpty();
  }

  @Test
  void send_withUndeclaredParameter_leavesItOut() {
    stubSend();

    executor(AwsTestSupport.config(false)).send("inc-42", AwsTestSupport.playbook(),
        Map.of("service", "payment-api", "extra", "x", "reflex_targets", "all"));

    assertThat(aws.bodies("AmazonSSM.SendCommand").get(0).at("/Parameters/ExtraVariables/0").asText())
        .isEqualTo("service=payment-api");
  }

  @Test
  void send_whenAValueDiffersFromItsDefault_sendsIt() {
    stubSend();

    executor(AwsTestSupport.config(false)).send("inc-42", AwsTestSupport.playbook(),
        Map.of("service", "payment-api", "db_password_secret", "reflex/orders-db"));

    assertThat(aws.bodies("AmazonSSM.SendCommand").get(0).at("/Parameters/ExtraVariables/0").asText())
        .isEqualTo("service=payment-api db_password_secret=reflex/orders-db");
  }

  @Test
  void send_whenADefaultHoldsAColon_leavesItOutForThePlaysOwnVarsButRefusesAnyOtherColonValue() {
    stubSend();
    Playbook withUrl = AwsTestSupport.playbook(AwsTestSupport.service(AwsTestSupport.SERVICE_PATTERN),
        AwsTestSupport.prometheusUrl());

    executor(AwsTestSupport.config(false)).send("inc-42", withUrl, Map.of("service", "payment-api"));

    assertThat(aws.bodies("AmazonSSM.SendCommand").get(0).at("/Parameters/ExtraVariables/0").asText())
        .isEqualTo("service=payment-api");
    assertThatThrownBy(() -> executor(AwsTestSupport.config(false)).send("inc-42", withUrl,
        Map.of("service", "payment-api", "prometheus_url", "http://prometheus.other.svc:9090")))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("parameter prometheus_url contains a character not allowed")
        .hasMessageNotContaining("prometheus.other");
    assertThat(aws.bodies("AmazonSSM.SendCommand")).hasSize(1);
  }

  @Test
  void send_withExplicitLabels_resolvesTargetsFromThem() {
    stubSend();

    executor(AwsTestSupport.config(false)).send("inc-42", AwsTestSupport.playbook(),
        Map.of("service", "payment-api"), Map.of("service", "checkout"));

    assertThat(aws.bodies("AmazonSSM.SendCommand").get(0).get("Targets")).isNotNull();
  }

  // ---------------------------------------------------------------- halves for Step Functions

  @Test
  void poll_whileInvocationRuns_isNotTerminalAndCarriesNoReport() {
    stubSend();
    stubListCommands(false, "[\"" + INSTANCE + "\"]", 1);
    stubInvocation("InProgress", "", "", -1);
    SsmExecutor executor = executor(AwsTestSupport.config(false));

    String commandId = executor.send("inc-42", AwsTestSupport.playbook(), Map.of("service", "payment-api"));
    SsmExecutor.Poll poll = executor.poll(commandId, AwsTestSupport.playbook());

    assertThat(commandId).isEqualTo("cmd-1");
    assertThat(poll).isEqualTo(new SsmExecutor.Poll("cmd-1", "InProgress", false, null));
    assertThat(aws.bodies("AmazonSSM.ListCommands")).containsExactly(tree("{\"CommandId\":\"cmd-1\"}"));
  }

  @Test
  void poll_whenInvocationEnded_isTerminalWithReport() {
    stubListCommands(true, "[\"" + INSTANCE + "\"]", 1);
    stubInvocation("Success", CHECK_OUTPUT, "", 0);

    SsmExecutor.Poll poll = executor(AwsTestSupport.config(false)).poll("cmd-1", AwsTestSupport.playbook());

    assertThat(poll.terminal()).isTrue();
    assertThat(poll.status()).isEqualTo("Success");
    assertThat(poll.report().mode()).isEqualTo(Mode.CHECK); // from the command's own Check parameter
    assertThat(poll.report().startedAt()).isEqualTo(T0);
  }

  @Test
  void poll_afterTimeoutSinceRequested_cancelsAndIsTerminal() {
    stubListCommands(false, "[\"" + INSTANCE + "\"]", 1);
    aws.stubFor(target("AmazonSSM.GetCommandInvocation")
        .willReturn(awsError(400, "InvocationDoesNotExist", "no invocation")));
    aws.stubFor(target("AmazonSSM.CancelCommand").willReturn(json("{}")));
    aws.clock().advance(Duration.ofMinutes(2));

    SsmExecutor.Poll poll = executor(AwsTestSupport.config(false)).poll("cmd-1", AwsTestSupport.playbook());

    assertThat(poll.terminal()).isTrue();
    assertThat(poll.status()).isEqualTo("TimedOut");
    assertThat(poll.report().success()).isFalse();
    assertThat(poll.report().summary()).contains("timed out");
    assertThat(aws.bodies("AmazonSSM.CancelCommand")).hasSize(1);
  }

  @Test
  void poll_whenNoInstanceMatchedTags_isTerminalFailure() {
    aws.stubFor(target("AmazonSSM.ListCommands").willReturn(json("""
        {"Commands":[{"CommandId":"cmd-1","RequestedDateTime":%d,"InstanceIds":[],"TargetCount":0,
         "Status":"Success","Parameters":{"Check":["False"]}}]}""".formatted(T0.getEpochSecond()))));
    aws.stubFor(target("AmazonSSM.ListCommandInvocations").willReturn(json("{\"CommandInvocations\":[]}")));

    SsmExecutor.Poll poll = executor(AwsTestSupport.config(false)).poll("cmd-1", AwsTestSupport.playbook());

    assertThat(poll.terminal()).isTrue();
    assertThat(poll.report().success()).isFalse();
    assertThat(poll.report().summary()).contains("no instance matched the targets");
  }

  // ---------------------------------------------------------------- source location

  @Test
  void sourceInfo_forGitHub_pinsTheCommitAndReferencesTheTokenByName() {
    SourceLocation github = new SourceLocation.GitHub("acme", "reflex-playbooks", "ops", "reflex/github-token");

    assertThat(tree(github.sourceInfo(AwsTestSupport.playbook(), SHA))).isEqualTo(tree("""
        {"owner":"acme","repository":"reflex-playbooks","path":"ops/playbooks/restart-service",
         "getOptions":"commitID:%s","tokenInfo":"{{ssm-secure:reflex/github-token}}"}""".formatted(SHA)));
    assertThat(github.sourceType()).isEqualTo("GitHub");
  }

  @Test
  void sourceInfo_withoutFullCommitSha_isRefused() {
    SourceLocation s3 = new SourceLocation.S3("reflex-playbooks", "repo", "eu-west-1", "");

    assertThatThrownBy(() -> s3.sourceInfo(AwsTestSupport.playbook(), "main"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(s3.sourceInfo(AwsTestSupport.playbook(), SHA))
        .contains("https://s3.eu-west-1.amazonaws.com/reflex-playbooks/repo/" + SHA + "/playbooks/restart-service/");
  }
}
