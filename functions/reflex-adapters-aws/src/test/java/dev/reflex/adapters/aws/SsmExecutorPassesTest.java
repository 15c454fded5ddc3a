package dev.reflex.adapters.aws;

import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.reflex.adapters.aws.AwsTestSupport.INSTANCE;
import static dev.reflex.adapters.aws.AwsTestSupport.SHA;
import static dev.reflex.adapters.aws.AwsTestSupport.T0;
import static dev.reflex.adapters.aws.AwsTestSupport.json;
import static dev.reflex.adapters.aws.AwsTestSupport.target;
import static dev.reflex.adapters.aws.AwsTestSupport.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionPass.Purpose;
import dev.reflex.domain.model.ExecutionReport.Mode;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SsmExecutor as the workflow's executor: one command per pass, started, then polled. */
class SsmExecutorPassesTest {

  @RegisterExtension static final SsmWireMock aws = new SsmWireMock();

  private SsmExecutor executor(SsmExecutorConfig config) {
    return aws.executor(config);
  }

  static StepAction command(String name, String... argv) {
    return StepAction.of(name, "ansible.builtin.command", Map.of("argv", List.of(argv)));
  }

  /** A drafted playbook of plain commands: it runs step by step through AWS-RunShellScript. */
  static Playbook plainCommands(Parameter service) {
    return new Playbook("restart-worker", "1.0.0", "Restart a worker", PlaybookSource.LEARNED, PlaybookStatus.ACTIVE,
        List.of("service_down"), List.of("service_down|*|*"), null, "Restarts the worker.", "",
        List.of(service),
        List.of(new PlaybookStep(command("Inspect unit", "systemctl", "status", "{{ service }}"), RiskClass.READ_ONLY,
                null),
            new PlaybookStep(command("Restart unit", "systemctl", "restart", "{{ service }}"), RiskClass.SAFE_WRITE,
                command("Start unit", "systemctl", "start", "{{ service }}")),
            new PlaybookStep(command("Drain queue", "worker-ctl", "drain", "--queue={{ service }}"),
                RiskClass.SAFE_WRITE, command("Resume queue", "worker-ctl", "resume", "--queue={{ service }}")),
            new PlaybookStep(command("Reload config", "worker-ctl", "reload"), RiskClass.SAFE_WRITE, null)),
        command("Check active", "systemctl", "is-active", "{{ service }}"), PlaybookStats.initial(0.8), List.of(), "",
        "learned/restart-worker", SHA, 1);
  }

  static Playbook plainCommands() {
    return plainCommands(AwsTestSupport.service(AwsTestSupport.SERVICE_PATTERN));
  }

  private static ExecutionPass pass(Playbook playbook, Purpose purpose, List<StepAction> actions,
      Map<String, String> parameters) {
    return new ExecutionPass("inc-42", playbook, parameters, Map.of("alertname", "WorkerDown", "service",
        parameters.getOrDefault("service", "")), purpose,
        actions.stream().map(a -> new ExecutionPass.Action(a, RiskClass.SAFE_WRITE)).toList());
  }

  private void stubListCommands(String commandId, boolean check) {
    aws.stubFor(target("AmazonSSM.ListCommands").willReturn(json("""
        {"Commands":[{"CommandId":"%s","RequestedDateTime":%d,"InstanceIds":["%s"],"TargetCount":1,
         "Status":"InProgress","Parameters":{"Check":["%s"]}}]}"""
        .formatted(commandId, T0.getEpochSecond(), INSTANCE, check ? "True" : "False"))));
  }

  private static String invocation(String commandId, String status, String stdout, String stderr, int code) {
    return AwsTestSupport.JSON.createObjectNode()
        .put("CommandId", commandId).put("InstanceId", INSTANCE).put("Status", status)
        .put("StandardOutputContent", stdout).put("StandardErrorContent", stderr).put("ResponseCode", code)
        .toString();
  }

  // ---------------------------------------------------------------- the Ansible document

  @Test
  void remediatePass_ofACatalogPlaybook_sendsApplyAnsiblePlaybooksThenPollsUntilTheCommandEnds() {
    aws.stubFor(target("AmazonSSM.SendCommand").willReturn(json("""
        {"Command":{"CommandId":"cmd-7","Status":"Pending"}}""")));
    stubListCommands("cmd-7", false);
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").inScenario("run").whenScenarioStateIs(STARTED)
        .willReturn(json(invocation("cmd-7", "InProgress", "", "", -1))).willSetStateTo("ended"));
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").inScenario("run").whenScenarioStateIs("ended")
        .willReturn(json(invocation("cmd-7", "Success", """
            TASK [Inspect logs] ***
            ok: [localhost]
            TASK [Restart unit] ***
            changed: [localhost]
            TASK [Check health] ***
            ok: [localhost]
            """, "", 0))));
    Playbook playbook = AwsTestSupport.playbook();
    SsmExecutor executor = executor(AwsTestSupport.config(false));
    ExecutionPass pass = pass(playbook, Purpose.REMEDIATE,
        playbook.steps().stream().map(PlaybookStep::action).toList(), Map.of("service", "payment-api"));

    ExecutionRun sent = executor.start(pass);
    ExecutionRun running = executor.poll(pass, sent.handle());
    ExecutionRun ended = executor.poll(pass, sent.handle());

    assertThat(executor.runsStepsOneAtATime(playbook)).isFalse();
    assertThat(sent).isEqualTo(ExecutionRun.running("cmd-7", "Pending"));
    assertThat(aws.bodies("AmazonSSM.SendCommand")).containsExactly(tree("""
        {"DocumentName":"AWS-ApplyAnsiblePlaybooks",
         "InstanceIds":["i-0123456789abcdef0"],
         "Comment":"reflex inc-42 restart-service@1.2.0",
         "Parameters":{
           "SourceType":["S3"],
           "SourceInfo":["{\\"path\\":\\"https://s3.amazonaws.com/reflex-playbooks/repo/%s/playbooks/restart-service/\\"}"],
           "InstallDependencies":["True"],
           "PlaybookFile":["playbook.yml"],
           "ExtraVariables":["service=payment-api"],
           "Check":["False"],
           "Verbose":["-v"],
           "TimeoutSeconds":["60"]},
         "MaxConcurrency":"1",
         "MaxErrors":"0"}""".formatted(SHA)));
    assertThat(running.finished()).isFalse();
    assertThat(running.status()).isEqualTo("InProgress");
    assertThat(aws.bodies("AmazonSSM.ListCommands")).containsExactly(
        tree("{\"CommandId\":\"cmd-7\"}"), tree("{\"CommandId\":\"cmd-7\"}"));
    assertThat(aws.bodies("AmazonSSM.GetCommandInvocation")).containsExactly(
        tree("{\"CommandId\":\"cmd-7\",\"InstanceId\":\"" + INSTANCE + "\"}"),
        tree("{\"CommandId\":\"cmd-7\",\"InstanceId\":\"" + INSTANCE + "\"}"));
    assertThat(ended.finished()).isTrue();
    assertThat(ended.results()).extracting(StepResult::name, StepResult::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Inspect logs", Status.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("Restart unit", Status.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("Check health", Status.SUCCEEDED));
  }

  /** The incident {@link #pass} runs for, open in a store, and the policies in force. */
  private SsmExecutor governedBy(dev.reflex.domain.policy.Policy policy) {
    dev.reflex.testkit.InMemoryIncidentStore incidents = new dev.reflex.testkit.InMemoryIncidentStore();
    incidents.openIfAbsent(dev.reflex.domain.model.Incident.open("inc-42",
        dev.reflex.testkit.Alerts.firing("WorkerDown", Map.of("service", "payment-api")), T0));
    return executor(AwsTestSupport.config(false)).withRateControl(
        new PolicyRateControl(new dev.reflex.testkit.FixedPolicySource(policy), incidents));
  }

  private void startRemediation(SsmExecutor executor) {
    aws.stubFor(target("AmazonSSM.SendCommand").willReturn(json("""
        {"Command":{"CommandId":"cmd-8","Status":"Pending"}}""")));
    Playbook playbook = AwsTestSupport.playbook();
    executor.start(pass(playbook, Purpose.REMEDIATE, playbook.steps().stream().map(PlaybookStep::action).toList(),
        Map.of("service", "payment-api")));
  }

  @Test
  void remediatePass_underAPolicyWithRateControl_sendsThePolicysMaxConcurrencyAndMaxErrors() {
    startRemediation(governedBy(dev.reflex.domain.policy.Policy.defaults().toBuilder().name("policies/default.yml")
        .maxConcurrency("10%").maxErrors("2").build()));

    assertThat(aws.bodies("AmazonSSM.SendCommand")).singleElement().satisfies(body -> {
      assertThat(body.path("MaxConcurrency").asText()).isEqualTo("10%");
      assertThat(body.path("MaxErrors").asText()).isEqualTo("2");
    });
  }

  @Test
  void remediatePass_whenThePolicySetsOnlyMaxErrors_keepsTheConfiguredMaxConcurrency() {
    startRemediation(governedBy(dev.reflex.domain.policy.Policy.defaults().toBuilder().name("policies/default.yml")
        .maxErrors("3").build()));

    assertThat(aws.bodies("AmazonSSM.SendCommand")).singleElement().satisfies(body -> {
      assertThat(body.path("MaxConcurrency").asText()).isEqualTo("1");
      assertThat(body.path("MaxErrors").asText()).isEqualTo("3");
    });
  }

  @Test
  void rollbackPass_ofACatalogPlaybook_sendsNothingAndSaysAPersonMustRunIt() {
    Playbook playbook = AwsTestSupport.playbook();

    ExecutionRun run = executor(AwsTestSupport.config(false)).start(pass(playbook, Purpose.ROLLBACK,
        List.of(playbook.steps().get(1).rollback()), Map.of("service", "payment-api")));

    assertThat(run.results()).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.detail()).contains("a person must run \"Start unit\"");
    });
    assertThat(aws.server().getAllServeEvents()).isEmpty();
  }

  // ---------------------------------------------------------------- plain commands

  @Test
  void stepPass_ofPlainCommands_sendsRunShellScriptWithEveryWordSingleQuoted() {
    aws.stubFor(target("AmazonSSM.SendCommand").willReturn(json("""
        {"Command":{"CommandId":"cmd-9","Status":"Pending"}}""")));
    Playbook playbook = plainCommands();
    SsmExecutor executor = executor(AwsTestSupport.config(false));

    ExecutionRun sent = executor.start(pass(playbook, Purpose.REMEDIATE, List.of(playbook.steps().get(2).action()),
        Map.of("service", "payment-api")));

    assertThat(executor.runsStepsOneAtATime(playbook)).isTrue();
    assertThat(sent.handle()).isEqualTo("cmd-9");
    assertThat(aws.bodies("AmazonSSM.SendCommand")).containsExactly(tree("""
        {"DocumentName":"AWS-RunShellScript",
         "InstanceIds":["i-0123456789abcdef0"],
         "Comment":"reflex inc-42 restart-worker@1.0.0",
         "Parameters":{
           "commands":["set -eu","'worker-ctl' 'drain' '--queue=payment-api'"],
           "executionTimeout":["60"]},
         "MaxConcurrency":"1",
         "MaxErrors":"0"}"""));
  }

  @Test
  void stepPass_whenTheShellCommandFails_finishesWithTheStepFailedAndItsRedactedError() {
    stubListCommands("cmd-9", false);
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").willReturn(json(invocation("cmd-9", "Failed", "",
        "worker-ctl: reload refused, token=s3cr3t-value\n", 3))));
    Playbook playbook = plainCommands();
    ExecutionPass pass = pass(playbook, Purpose.REMEDIATE, List.of(playbook.steps().get(3).action()),
        Map.of("service", "payment-api"));

    ExecutionRun ended = executor(AwsTestSupport.config(false)).poll(pass, "cmd-9");

    assertThat(ended.results()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("Reload config");
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.detail()).startsWith("Failed (exit 3): worker-ctl: reload refused").doesNotContain("s3cr3t-value");
    });
  }

  @Test
  void stepPass_inCheckMode_sendsNothingAndReportsTheCommandNotSimulated() {
    Playbook playbook = plainCommands();
    SsmExecutor executor = executor(AwsTestSupport.config(true));

    ExecutionRun run = executor.start(pass(playbook, Purpose.REMEDIATE, List.of(playbook.steps().get(1).action()),
        Map.of("service", "payment-api")));

    assertThat(executor.mode()).isEqualTo(Mode.CHECK);
    assertThat(run.results()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(Status.NOT_SIMULATED));
    assertThat(aws.server().getAllServeEvents()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"api; rm -rf /", "$(curl x)", "`id`", "a|b", "x&&y", "it's", "line\nbreak",
      "{{ lookup('pipe','id') }}"})
  void start_whenAValueIsHostile_sendsNothingOnEitherDocumentAndFailsTheFirstAction(String hostile) {
    Parameter permissive = AwsTestSupport.service(".*");
    for (Playbook playbook : List.of(plainCommands(permissive), AwsTestSupport.playbook(permissive))) {
      List<StepAction> actions = playbook.source() == PlaybookSource.CATALOG
          ? playbook.steps().stream().map(PlaybookStep::action).toList()
          : List.of(playbook.steps().get(0).action());

      ExecutionRun run = executor(AwsTestSupport.config(false)).start(pass(playbook, Purpose.REMEDIATE, actions,
          Map.of("service", hostile)));

      assertThat(run.results()).first().satisfies(r -> {
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.detail()).contains("parameter service").contains("nothing was sent").doesNotContain(hostile);
      });
    }
    assertThat(aws.server().getAllServeEvents()).isEmpty();
  }

  @Test
  void runsStepsOneAtATime_onlyWhenEveryActionIsAPlainCommandOfADraftedPlaybook() {
    SsmExecutor executor = executor(AwsTestSupport.config(false));
    Playbook plain = plainCommands();
    Playbook templated = new Playbook(plain.id(), plain.version(), plain.title(), plain.source(), plain.status(),
        plain.anomalyTypes(), plain.signaturePatterns(), null, plain.description(), "", plain.parameters(),
        List.of(new PlaybookStep(command("Patch", "kubectl", "patch", "{{ patch | to_json }}"), RiskClass.SAFE_WRITE,
            null)), null, plain.stats(), List.of(), "", null, SHA, 1);

    assertThat(executor.runsStepsOneAtATime(plain)).isTrue();
    assertThat(executor.runsStepsOneAtATime(templated)).as("a Jinja expression is not a plain word").isFalse();
    assertThat(executor.runsStepsOneAtATime(AwsTestSupport.playbook())).as("catalog: its reviewed file").isFalse();
    assertThat(executor(AwsTestSupport.config(false).withShellCommands(false)).runsStepsOneAtATime(plain)).isFalse();
  }

  // ---------------------------------------------------------------- target health

  @Test
  void unhealthyTargets_whenDeclared_asksDescribeInstanceInformationAndNamesTheOfflineInstance() {
    aws.stubFor(target("AmazonSSM.DescribeInstanceInformation").willReturn(json("""
        {"InstanceInformationList":[{"InstanceId":"%s","PingStatus":"ConnectionLost"}]}""".formatted(INSTANCE))));
    Playbook playbook = plainCommands();

    var refusal = executor(AwsTestSupport.config(false).withTargetHealthCheck(true)).unhealthyTargets(
        pass(playbook, Purpose.REMEDIATE, List.of(playbook.steps().get(0).action()), Map.of("service", "payment-api")));

    assertThat(refusal).contains("targets not healthy: " + INSTANCE + " is ConnectionLost");
    assertThat(aws.bodies("AmazonSSM.DescribeInstanceInformation")).containsExactly(tree("""
        {"Filters":[{"Key":"InstanceIds","Values":["%s"]}],"MaxResults":50}""".formatted(INSTANCE)));
  }

  @Test
  void unhealthyTargets_whenOnlineOrNotDeclared_isEmpty() {
    aws.stubFor(target("AmazonSSM.DescribeInstanceInformation").willReturn(json("""
        {"InstanceInformationList":[{"InstanceId":"%s","PingStatus":"Online"}]}""".formatted(INSTANCE))));
    Playbook playbook = plainCommands();
    ExecutionPass pass = pass(playbook, Purpose.REMEDIATE, List.of(playbook.steps().get(0).action()),
        Map.of("service", "payment-api"));

    assertThat(executor(AwsTestSupport.config(false).withTargetHealthCheck(true)).unhealthyTargets(pass)).isEmpty();
    assertThat(executor(AwsTestSupport.config(false)).unhealthyTargets(pass)).isEmpty();
    assertThat(aws.bodies("AmazonSSM.DescribeInstanceInformation")).hasSize(1);
  }
}
