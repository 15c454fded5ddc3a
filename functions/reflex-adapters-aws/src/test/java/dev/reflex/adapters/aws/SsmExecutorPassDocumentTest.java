package dev.reflex.adapters.aws;

import static dev.reflex.adapters.aws.AwsTestSupport.INSTANCE;
import static dev.reflex.adapters.aws.AwsTestSupport.INSTANCE_2;
import static dev.reflex.adapters.aws.AwsTestSupport.SHA;
import static dev.reflex.adapters.aws.AwsTestSupport.T0;
import static dev.reflex.adapters.aws.AwsTestSupport.json;
import static dev.reflex.adapters.aws.AwsTestSupport.target;
import static dev.reflex.adapters.aws.AwsTestSupport.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.reflex.adapters.files.PlaybookYaml;
import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionPass.Purpose;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SsmExecutor with Reflex's pass document configured: every pass of an Ansible play is one
 * command that selects its tasks by tag, and the values travel as one base64 JSON object. The
 * exact SendCommand requests are the subject.
 */
class SsmExecutorPassDocumentTest {

  static final String DOCUMENT = "Reflex-ApplyAnsiblePass-reflex";

  @RegisterExtension static final SsmWireMock aws = new SsmWireMock();

  @BeforeEach
  void stubSendCommand() {
    aws.stubFor(target("AmazonSSM.SendCommand").willReturn(json("""
        {"Command":{"CommandId":"cmd-5","Status":"Pending"}}""")));
  }

  private SsmExecutor executor(boolean check) {
    return aws.executor(AwsTestSupport.config(check).withPassDocument(DOCUMENT));
  }

  private static ExecutionPass pass(Playbook playbook, Purpose purpose, List<StepAction> actions,
      Map<String, String> parameters) {
    return new ExecutionPass("inc-42", playbook, parameters, Map.of("alertname", "ServiceDown", "service",
        parameters.getOrDefault("service", "")), purpose,
        actions.stream().map(a -> new ExecutionPass.Action(a, RiskClass.SAFE_WRITE)).toList());
  }

  private static List<StepAction> steps(Playbook playbook) {
    return playbook.steps().stream().map(PlaybookStep::action).toList();
  }

  private static JsonNode sent() {
    List<JsonNode> sent = aws.bodies("AmazonSSM.SendCommand");
    assertThat(sent).hasSize(1);
    return sent.get(0);
  }

  private static JsonNode variables(JsonNode sendCommand) {
    String encoded = sendCommand.at("/Parameters/Variables/0").asText();
    assertThat(encoded).matches(PassVariables.BASE64);
    return tree(PassVariables.decode(encoded));
  }

  private void stubCommand(String tags, boolean check, String status, String stdout, String stderr, int code) {
    aws.stubFor(target("AmazonSSM.ListCommands").willReturn(json("""
        {"Commands":[{"CommandId":"cmd-5","RequestedDateTime":%d,"InstanceIds":["%s"],"TargetCount":1,
         "Status":"%s","Parameters":{"Check":["%s"],"Tags":["%s"]}}]}"""
        .formatted(T0.getEpochSecond(), INSTANCE, status, check ? "True" : "False", tags))));
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").willReturn(json(AwsTestSupport.JSON.createObjectNode()
        .put("CommandId", "cmd-5").put("InstanceId", INSTANCE).put("Status", status)
        .put("StandardOutputContent", stdout).put("StandardErrorContent", stderr).put("ResponseCode", code)
        .toString())));
  }

  // ---------------------------------------------------------------- what is sent

  @Test
  void remediatePass_sendsThePassDocumentWithTagsRemediateAndExactlyTheDeclaredValuesAsBase64Json() {
    Playbook playbook = AwsTestSupport.playbook(AwsTestSupport.service(AwsTestSupport.SERVICE_PATTERN),
        AwsTestSupport.prometheusUrl());

    ExecutionRun run = executor(false).start(pass(playbook, Purpose.REMEDIATE, steps(playbook),
        Map.of("service", "payment-api", "prometheus_url", "http://prometheus.other.svc:9090/prom",
            "undeclared", "x", "reflex_targets", "all")));

    assertThat(run).isEqualTo(ExecutionRun.running("cmd-5", "Pending"));
    JsonNode sent = sent();
    String variables = sent.at("/Parameters/Variables/0").asText();
    assertThat(sent).isEqualTo(tree("""
        {"DocumentName":"%s",
         "InstanceIds":["i-0123456789abcdef0"],
         "Comment":"reflex inc-42 restart-service@1.2.0",
         "Parameters":{
           "SourceType":["S3"],
           "SourceInfo":["{\\"path\\":\\"https://s3.amazonaws.com/reflex-playbooks/repo/%s/playbooks/restart-service/\\"}"],
           "InstallDependencies":["True"],
           "PlaybookFile":["playbook.yml"],
           "Tags":["remediate"],
           "Variables":["%s"],
           "Check":["False"],
           "Verbose":["-v"],
           "TimeoutSeconds":["60"]},
         "MaxConcurrency":"1",
         "MaxErrors":"0"}""".formatted(DOCUMENT, SHA, variables)));
    assertThat(variables(sent)).isEqualTo(tree("""
        {"service":"payment-api","db_password_secret":"reflex/payment-db",
         "prometheus_url":"http://prometheus.other.svc:9090/prom"}"""));
  }

  @Test
  void verifyPass_sendsTagsVerifyAndReportsOnlyTheVerification() {
    Playbook playbook = AwsTestSupport.playbook();
    SsmExecutor executor = executor(false);
    ExecutionPass verify = pass(playbook, Purpose.VERIFY, List.of(playbook.verification()),
        Map.of("service", "payment-api"));

    executor.start(verify);
    stubCommand("verify", false, "Success", """
        TASK [Validate parameters] ***
        ok: [localhost]
        TASK [Check health] ***
        ok: [localhost] => {"status": 200}
        """, "", 0);
    ExecutionRun ended = executor.poll(verify, "cmd-5");

    assertThat(sent().at("/Parameters/Tags")).isEqualTo(tree("[\"verify\"]"));
    assertThat(sent().at("/Parameters").has("StartAtTask")).isFalse();
    assertThat(ended.results()).extracting(StepResult::name, StepResult::status)
        .containsExactly(tuple("Check health", Status.SUCCEEDED));
    assertThat(ended.summary()).startsWith("Systems Manager ran verify of restart-service 1.2.0 (command cmd-5, tags"
        + " verify) on 1 instance(s): ok.");
  }

  @Test
  void rollbackPass_ofARepositoryPlay_sendsTagsRollbackAndSaysTheWholeRollbackPassRan() {
    Playbook playbook = AwsTestSupport.playbook();
    SsmExecutor executor = executor(false);
    ExecutionPass rollback = pass(playbook, Purpose.ROLLBACK, List.of(playbook.steps().get(1).rollback()),
        Map.of("service", "payment-api"));

    executor.start(rollback);
    stubCommand("rollback", false, "Success", """
        TASK [Start unit] ***
        changed: [localhost]
        """, "", 0);
    ExecutionRun ended = executor.poll(rollback, "cmd-5");

    assertThat(sent().at("/Parameters/Tags")).isEqualTo(tree("[\"rollback\"]"));
    assertThat(ended.results()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("Start unit");
      assertThat(r.status()).isEqualTo(Status.SUCCEEDED);
      assertThat(r.detail()).isEqualTo("changed (the playbook's whole rollback pass ran)");
    });
  }

  @Test
  void rollbackPass_ofARenderedPlaybook_sendsOnlyTheRollbackTagsOfTheStepsThatRan() {
    Playbook rendered = SsmExecutorPassesTest.plainCommands();
    SsmExecutor executor = aws.executor(AwsTestSupport.config(false).withShellCommands(false)
        .withPassDocument(DOCUMENT)).withPlaybookContent(PlaybookYaml::renderPlaybook);

    executor.start(pass(rendered, Purpose.ROLLBACK, List.of(rendered.steps().get(2).rollback(),
        rendered.steps().get(1).rollback()), Map.of("service", "payment-api")));

    assertThat(sent().at("/Parameters/Tags")).isEqualTo(tree("[\"rollback_step_3,rollback_step_2\"]"));
    assertThat(sent().at("/Parameters/PlaybookFile")).isEqualTo(tree("[\"playbook.yml\"]"));
    assertThat(sent().at("/Parameters/SourceInfo/0").asText()).contains("/learned/restart-worker/");
  }

  @Test
  void rollbackPass_whenThePlaybookCannotBeRead_sendsTheWholeRollbackTag() {
    Playbook rendered = SsmExecutorPassesTest.plainCommands();
    SsmExecutor executor = aws.executor(AwsTestSupport.config(false).withShellCommands(false)
        .withPassDocument(DOCUMENT)).withPlaybookContent(playbook -> {
          throw new IllegalStateException("the repository is unreachable");
        });

    executor.start(pass(rendered, Purpose.ROLLBACK, List.of(rendered.steps().get(1).rollback()),
        Map.of("service", "payment-api")));

    assertThat(sent().at("/Parameters/Tags")).isEqualTo(tree("[\"rollback\"]"));
  }

  @Test
  void remediatePass_fromALaterStep_sendsStartAtTaskWithTheStepsName() {
    Playbook playbook = AwsTestSupport.playbook();

    executor(false).start(pass(playbook, Purpose.REMEDIATE, List.of(playbook.steps().get(1).action()),
        Map.of("service", "payment-api")));

    assertThat(sent().at("/Parameters/Tags")).isEqualTo(tree("[\"remediate\"]"));
    assertThat(sent().at("/Parameters/StartAtTask")).isEqualTo(tree("[\"Restart unit\"]"));
  }

  @Test
  void remediatePass_fromAStepWhoseNameTheDocumentRefuses_sendsNothing() {
    Playbook playbook = AwsTestSupport.playbook();
    StepAction quoted = StepAction.of("Restart 'the' unit", "ansible.builtin.systemd_service",
        Map.of("name", "{{ service }}", "state", "restarted"));

    ExecutionRun run = executor(false).start(pass(playbook, Purpose.REMEDIATE, List.of(quoted),
        Map.of("service", "payment-api")));

    assertThat(run.results()).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.detail()).contains("cannot be the document's StartAtTask").contains("nothing was sent");
    });
    assertThat(aws.server().findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/")))).isEmpty();
  }

  @Test
  void remediatePass_withTagTargetsUnderAPolicy_sendsTagTargetsAndThePolicysRateControl() {
    dev.reflex.testkit.InMemoryIncidentStore incidents = new dev.reflex.testkit.InMemoryIncidentStore();
    incidents.openIfAbsent(dev.reflex.domain.model.Incident.open("inc-42",
        dev.reflex.testkit.Alerts.firing("ServiceDown", Map.of("service", "checkout")), T0));
    SsmExecutor executor = executor(true).withRateControl(new PolicyRateControl(
        new dev.reflex.testkit.FixedPolicySource(dev.reflex.domain.policy.Policy.defaults().toBuilder()
            .name("policies/default.yml").maxConcurrency("10%").maxErrors("2").build()), incidents));
    Playbook playbook = AwsTestSupport.playbook();

    executor.start(pass(playbook, Purpose.REMEDIATE, steps(playbook), Map.of("service", "checkout")));

    JsonNode sent = sent();
    assertThat(sent.has("InstanceIds")).isFalse();
    assertThat(sent.get("Targets")).isEqualTo(tree("""
        [{"Key":"tag:Service","Values":["checkout"]},{"Key":"tag:Environment","Values":["prod"]}]"""));
    assertThat(sent.get("MaxConcurrency").asText()).isEqualTo("10%");
    assertThat(sent.get("MaxErrors").asText()).isEqualTo("2");
    assertThat(sent.at("/Parameters/Check")).isEqualTo(tree("[\"True\"]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"api; rm -rf /", "$(curl x)", "`id`", "a|b", "x&&y", "a>b", "it's", "say\"hi", "a\\b",
      "line\nbreak", "tab\there", "{{ lookup('pipe','id') }}", "{% raw %}"})
  void start_whenAValueIsHostile_sendsNothingAndNamesTheParameter(String hostile) {
    // a permissive pattern: the executor's own check is what refuses the value
    Playbook permissive = AwsTestSupport.playbook(AwsTestSupport.service(".*"));

    ExecutionRun run = executor(false).start(pass(permissive, Purpose.REMEDIATE, steps(permissive),
        Map.of("service", hostile)));

    assertThat(run.results()).first().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.detail()).contains("parameter service").contains("nothing was sent").doesNotContain(hostile);
    });
    assertThat(aws.server().findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/")))).isEmpty();
  }

  @Test
  void start_whenAValueHoldsColonsSlashesSpacesAndBraces_sendsItVerbatim() {
    Parameter note = new Parameter("note", "free text", null, ".{0,200}", null, false);
    Playbook playbook = AwsTestSupport.playbook(AwsTestSupport.service(AwsTestSupport.SERVICE_PATTERN), note);
    String value = "see http://wiki.example.com:8443/runbooks/db (pool) {size} = 40, 100% @ops";

    executor(false).start(pass(playbook, Purpose.REMEDIATE, steps(playbook),
        Map.of("service", "payment-api", "note", value)));

    assertThat(variables(sent()).get("note").asText()).isEqualTo(value);
  }

  // ---------------------------------------------------------------- what comes back

  @Test
  void remediatePass_inCheckMode_reportsEachStepAndTheCommandStepNotSimulated() {
    Playbook playbook = AwsTestSupport.playbook();
    ExecutionPass remediate = pass(playbook, Purpose.REMEDIATE, steps(playbook), Map.of("service", "payment-api"));
    stubCommand("remediate", true, "Success", """
        TASK [Validate parameters] ***
        ok: [localhost]
        TASK [Inspect logs] ***
        skipping: [localhost]
        TASK [Restart unit] ***
        changed: [localhost]
        """, "", 0);

    ExecutionRun ended = executor(true).poll(remediate, "cmd-5");

    assertThat(ended.results()).extracting(StepResult::name, StepResult::status).containsExactly(
        tuple("Inspect logs", Status.NOT_SIMULATED), tuple("Restart unit", Status.SIMULATED));
    assertThat(ended.summary()).startsWith("Systems Manager (check mode) ran remediate of restart-service 1.2.0");
  }

  @Test
  void remediatePass_whenATaskOutsideThePassFails_failsTheFirstStepWithTheRedactedOutput() {
    Playbook playbook = AwsTestSupport.playbook();
    ExecutionPass remediate = pass(playbook, Purpose.REMEDIATE, steps(playbook), Map.of("service", "payment-api"));
    stubCommand("remediate", false, "Failed", """
        TASK [Validate parameters] ***
        fatal: [localhost]: FAILED! => {"msg": "A parameter does not match its validation pattern"}
        """, "token=s3cr3t-value leaked\n", 2);

    ExecutionRun ended = executor(false).poll(remediate, "cmd-5");

    assertThat(ended.results()).extracting(StepResult::name, StepResult::status).containsExactly(
        tuple("Inspect logs", Status.FAILED), tuple("Restart unit", Status.SKIPPED));
    assertThat(ended.results().get(0).detail()).contains(INSTANCE + ": Failed (exit 2) at 'Validate parameters'");
    assertThat(ended.toString()).doesNotContain("s3cr3t-value");
    assertThat(ended.summary()).contains("failed.");
  }

  @Test
  void remediatePass_whenAStepFailsOnOneOfTwoInstances_failsThatStepAndSkipsTheRest() {
    Playbook playbook = AwsTestSupport.playbook();
    ExecutionPass remediate = pass(playbook, Purpose.REMEDIATE, steps(playbook), Map.of("service", "checkout"));
    aws.stubFor(target("AmazonSSM.ListCommands").willReturn(json("""
        {"Commands":[{"CommandId":"cmd-5","RequestedDateTime":%d,"InstanceIds":[],"TargetCount":2,
         "Status":"Failed","Parameters":{"Check":["False"],"Tags":["remediate"]}}]}""".formatted(T0.getEpochSecond()))));
    aws.stubFor(target("AmazonSSM.ListCommandInvocations").willReturn(json("""
        {"CommandInvocations":[{"CommandId":"cmd-5","InstanceId":"%s"},{"CommandId":"cmd-5","InstanceId":"%s"}]}"""
        .formatted(INSTANCE, INSTANCE_2))));
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").withRequestBody(WireMock.containing(INSTANCE_2))
        .willReturn(json(AwsTestSupport.JSON.createObjectNode().put("InstanceId", INSTANCE_2).put("Status", "Failed")
            .put("StandardOutputContent", "TASK [Inspect logs] ***\nfatal: [localhost]: FAILED! => {\"msg\": \"no unit\"}\n")
            .put("StandardErrorContent", "").put("ResponseCode", 2).toString())));
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").withRequestBody(WireMock.containing(INSTANCE))
        .willReturn(json(AwsTestSupport.JSON.createObjectNode().put("InstanceId", INSTANCE).put("Status", "Success")
            .put("StandardOutputContent", "TASK [Inspect logs] ***\nok: [localhost]\nTASK [Restart unit] ***\n"
                + "changed: [localhost]\n").put("StandardErrorContent", "").put("ResponseCode", 0).toString())));

    ExecutionRun ended = executor(false).poll(remediate, "cmd-5");

    assertThat(ended.results()).extracting(StepResult::name, StepResult::status).containsExactly(
        tuple("Inspect logs", Status.FAILED), tuple("Restart unit", Status.SKIPPED));
    assertThat(ended.results().get(0).detail()).isEqualTo(INSTANCE + ": ok; " + INSTANCE_2
        + ": failed: {\"msg\": \"no unit\"}");
    assertThat(ended.summary()).contains("on 2 instance(s): failed.", INSTANCE_2 + ": Failed (exit 2)");
  }

  @Test
  void poll_whileTheCommandRuns_isRunningUnderItsHandle() {
    Playbook playbook = AwsTestSupport.playbook();
    stubCommand("remediate", false, "InProgress", "", "", -1);

    ExecutionRun run = executor(false).poll(pass(playbook, Purpose.REMEDIATE, steps(playbook),
        Map.of("service", "payment-api")), "cmd-5");

    assertThat(run).isEqualTo(ExecutionRun.running("cmd-5", "InProgress"));
  }
}
