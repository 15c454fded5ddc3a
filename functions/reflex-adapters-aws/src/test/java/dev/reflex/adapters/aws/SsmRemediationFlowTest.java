package dev.reflex.adapters.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.reflex.adapters.aws.AwsTestSupport.INSTANCE;
import static dev.reflex.adapters.aws.AwsTestSupport.T0;
import static dev.reflex.adapters.aws.AwsTestSupport.json;
import static dev.reflex.adapters.aws.AwsTestSupport.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.Outcome;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.service.ExecutePlaybook;
import dev.reflex.domain.service.ParameterBinder;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.InMemoryIncidentStore;
import dev.reflex.testkit.InMemoryPlaybookStore;
import dev.reflex.testkit.RecordingOnCallNotifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The execute use case driving Systems Manager the way the workflow's Wait/Choice loop does: one
 * call sends, each later call polls and sends the next pass. The exact requests are the subject.
 */
class SsmRemediationFlowTest {

  @RegisterExtension static final SsmWireMock aws = new SsmWireMock();

  private InMemoryIncidentStore incidents;
  private InMemoryPlaybookStore playbooks;
  private RecordingOnCallNotifier onCall;
  private ExecutePlaybook execute;

  @BeforeEach
  void wireTheUseCase() {
    incidents = new InMemoryIncidentStore();
    playbooks = new InMemoryPlaybookStore();
    onCall = new RecordingOnCallNotifier();
    SsmExecutor executor = aws.executor(AwsTestSupport.config(false));
    execute = new ExecutePlaybook(incidents, playbooks, executor, new ParameterBinder(),
        List.of(new dev.reflex.domain.execution.TargetHealthPreCheck(executor)), onCall,
        ExecutePlaybook.DEFAULT_RUN_TIMEOUT, aws.clock());
  }

  private String approvedIncident(Playbook playbook, String service) {
    playbooks.create(playbook);
    Alert alert = Alerts.builder("WorkerDown").label("service", service).build();
    Incident incident = Incident.open("inc-42", alert, aws.clock().instant()).toBuilder()
        .playbook(playbook.id(), playbook.version())
        .decision(new Decision(true, true, RiskClass.SAFE_WRITE, List.of("approved")))
        .status(IncidentStatus.APPROVED)
        .build();
    incidents.openIfAbsent(incident);
    return incident.id();
  }

  /** Each SendCommand answers with the next command id, cmd-1, cmd-2, ... */
  private void stubSendCommandSequence(int count) {
    for (int i = 1; i <= count; i++) {
      aws.stubFor(target("AmazonSSM.SendCommand").inScenario("send")
          .whenScenarioStateIs(i == 1 ? STARTED : "sent-" + (i - 1))
          .willReturn(json("{\"Command\":{\"CommandId\":\"cmd-" + i + "\",\"Status\":\"Pending\"}}"))
          .willSetStateTo("sent-" + i));
    }
    aws.stubFor(target("AmazonSSM.ListCommands").willReturn(json("""
        {"Commands":[{"CommandId":"cmd","RequestedDateTime":%d,"InstanceIds":["%s"],"TargetCount":1,
         "Status":"InProgress","Parameters":{}}]}""".formatted(T0.getEpochSecond(), INSTANCE))));
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").willReturn(json(AwsTestSupport.JSON.createObjectNode()
        .put("InstanceId", INSTANCE).put("Status", "Success").put("StandardOutputContent", "ok")
        .put("StandardErrorContent", "").put("ResponseCode", 0).toString())));
  }

  @Test
  void execute_whenAStepFails_rollsBackThroughRunShellScriptInReverseOrder() {
    stubSendCommandSequence(6);
    // the fourth command (Reload config) fails on the instance
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").withRequestBody(containing("\"cmd-4\""))
        .willReturn(json(AwsTestSupport.JSON.createObjectNode().put("InstanceId", INSTANCE).put("Status", "Failed")
            .put("StandardOutputContent", "").put("StandardErrorContent", "reload refused").put("ResponseCode", 1)
            .toString())));
    String id = approvedIncident(SsmExecutorPassesTest.plainCommands(), "payment-api");

    List<ExecutionReport> seen = new ArrayList<>();
    seen.add(execute.execute(id));
    while (!seen.get(seen.size() - 1).finished() && seen.size() < 20) {
      seen.add(execute.progress(id));
    }
    ExecutionReport report = seen.get(seen.size() - 1);

    assertThat(seen.get(0).outcome()).as("the first call only sends").isEqualTo(Outcome.RUNNING);
    assertThat(seen.get(0).progress().handle()).isEqualTo("cmd-1");
    List<String> commands = aws.bodies("AmazonSSM.SendCommand").stream()
        .map(body -> body.at("/Parameters/commands/1").asText()).toList();
    assertThat(commands).containsExactly(
        "'systemctl' 'status' 'payment-api'",
        "'systemctl' 'restart' 'payment-api'",
        "'worker-ctl' 'drain' '--queue=payment-api'",
        "'worker-ctl' 'reload'",
        "'worker-ctl' 'resume' '--queue=payment-api'",
        "'systemctl' 'start' 'payment-api'");
    assertThat(aws.bodies("AmazonSSM.SendCommand")).allSatisfy(body -> {
      assertThat(body.get("DocumentName").asText()).isEqualTo("AWS-RunShellScript");
      assertThat(body.at("/Parameters/commands/0").asText()).isEqualTo("set -eu");
      assertThat(body.get("InstanceIds")).hasToString("[\"" + INSTANCE + "\"]");
    });
    assertThat(aws.bodies("AmazonSSM.GetCommandInvocation")).extracting(body -> body.get("CommandId").asText())
        .containsExactly("cmd-1", "cmd-2", "cmd-3", "cmd-4", "cmd-5", "cmd-6");
    assertThat(report.outcome()).isEqualTo(Outcome.PARTIALLY_REMEDIATED);
    assertThat(report.steps()).extracting(StepResult::name, StepResult::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Inspect unit", Status.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("Restart unit", Status.ROLLED_BACK),
        org.assertj.core.groups.Tuple.tuple("Drain queue", Status.ROLLED_BACK),
        org.assertj.core.groups.Tuple.tuple("Reload config", Status.FAILED),
        org.assertj.core.groups.Tuple.tuple("Resume queue", Status.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("Start unit", Status.SUCCEEDED));
    assertThat(incidents.find(id).orElseThrow().status()).isEqualTo(IncidentStatus.PARTIALLY_REMEDIATED);
    assertThat(onCall.notices()).singleElement()
        .satisfies(n -> assertThat(n.summary()).contains("step \"Reload config\" failed"));
  }

  @Test
  void execute_whenEveryStepSucceeds_runsTheVerificationLastAndSucceeds() {
    stubSendCommandSequence(5);
    String id = approvedIncident(SsmExecutorPassesTest.plainCommands(), "payment-api");

    ExecutionReport report = execute.execute(id);
    for (int i = 0; i < 20 && !report.finished(); i++) {
      report = execute.progress(id);
    }

    List<JsonNode> sent = aws.bodies("AmazonSSM.SendCommand");
    assertThat(sent).hasSize(5);
    assertThat(sent.get(4).at("/Parameters/commands/1").asText()).isEqualTo("'systemctl' 'is-active' 'payment-api'");
    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.steps()).last().satisfies(r -> assertThat(r.detail()).startsWith("verification: Success"));
    assertThat(onCall.notices()).isEmpty();
  }

  /** The execute use case over an executor that sends Ansible plays through the pass document. */
  private ExecutePlaybook throughThePassDocument() {
    SsmExecutor executor = aws.executor(AwsTestSupport.config(false)
        .withPassDocument(SsmExecutorPassDocumentTest.DOCUMENT));
    return new ExecutePlaybook(incidents, playbooks, executor, new ParameterBinder(), List.of(), onCall,
        ExecutePlaybook.DEFAULT_RUN_TIMEOUT, aws.clock());
  }

  /** Command cmd-N was sent with {@code tags}, ended with {@code status} and printed {@code stdout}. */
  private void stubPassCommand(int n, String tags, String status, String stdout) {
    aws.stubFor(target("AmazonSSM.SendCommand").inScenario("send")
        .whenScenarioStateIs(n == 1 ? STARTED : "sent-" + (n - 1))
        .willReturn(json("{\"Command\":{\"CommandId\":\"cmd-" + n + "\",\"Status\":\"Pending\"}}"))
        .willSetStateTo("sent-" + n));
    aws.stubFor(target("AmazonSSM.ListCommands").withRequestBody(containing("\"cmd-" + n + "\""))
        .willReturn(json("""
            {"Commands":[{"CommandId":"cmd-%d","RequestedDateTime":%d,"InstanceIds":["%s"],"TargetCount":1,
             "Status":"%s","Parameters":{"Check":["False"],"Tags":["%s"]}}]}"""
            .formatted(n, T0.getEpochSecond(), INSTANCE, status, tags))));
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").withRequestBody(containing("\"cmd-" + n + "\""))
        .willReturn(json(AwsTestSupport.JSON.createObjectNode().put("InstanceId", INSTANCE).put("Status", status)
            .put("StandardOutputContent", stdout).put("StandardErrorContent", "")
            .put("ResponseCode", status.equals("Success") ? 0 : 2).toString())));
  }

  @Test
  void execute_throughThePassDocument_runsTheStepsThenTheVerificationAsCommandsOfTheirOwn() {
    stubPassCommand(1, "remediate", "Success", "TASK [Inspect logs] ***\nok: [localhost]\n"
        + "TASK [Restart unit] ***\nchanged: [localhost]\n");
    stubPassCommand(2, "verify", "Success", "TASK [Check health] ***\nok: [localhost]\n");
    String id = approvedIncident(AwsTestSupport.playbook(), "payment-api");

    ExecutionReport report = throughThePassDocument().execute(id);
    for (int i = 0; i < 20 && !report.finished(); i++) {
      report = throughThePassDocument().progress(id);
    }

    assertThat(aws.bodies("AmazonSSM.SendCommand")).extracting(
        body -> body.get("DocumentName").asText(), body -> body.at("/Parameters/Tags/0").asText())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(SsmExecutorPassDocumentTest.DOCUMENT, "remediate"),
            org.assertj.core.groups.Tuple.tuple(SsmExecutorPassDocumentTest.DOCUMENT, "verify"));
    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.steps()).extracting(StepResult::name, StepResult::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Inspect logs", Status.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("Restart unit", Status.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("Check health", Status.SUCCEEDED));
  }

  @Test
  void execute_throughThePassDocument_whenTheVerificationFails_sendsTheRollbackPassAndRollsTheStepBack() {
    stubPassCommand(1, "remediate", "Success", "TASK [Inspect logs] ***\nok: [localhost]\n"
        + "TASK [Restart unit] ***\nchanged: [localhost]\n");
    stubPassCommand(2, "verify", "Failed", "TASK [Check health] ***\nfatal: [localhost]: FAILED! => {\"status\": 503}\n");
    stubPassCommand(3, "rollback", "Success", "TASK [Start unit] ***\nchanged: [localhost]\n");
    String id = approvedIncident(AwsTestSupport.playbook(), "payment-api");

    ExecutionReport report = throughThePassDocument().execute(id);
    for (int i = 0; i < 20 && !report.finished(); i++) {
      report = throughThePassDocument().progress(id);
    }

    assertThat(aws.bodies("AmazonSSM.SendCommand")).extracting(body -> body.at("/Parameters/Tags/0").asText())
        .containsExactly("remediate", "verify", "rollback");
    assertThat(report.outcome()).isEqualTo(Outcome.PARTIALLY_REMEDIATED);
    assertThat(report.steps()).extracting(StepResult::name, StepResult::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Inspect logs", Status.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("Restart unit", Status.ROLLED_BACK),
        org.assertj.core.groups.Tuple.tuple("Check health", Status.FAILED),
        org.assertj.core.groups.Tuple.tuple("Start unit", Status.SUCCEEDED));
    assertThat(report.steps().get(3).detail())
        .isEqualTo("rollback of \"Restart unit\": changed (the playbook's whole rollback pass ran)");
    assertThat(report.summary()).contains("verification \"Check health\" failed", "rolled back (last first): Restart unit");
    assertThat(onCall.notices()).singleElement()
        .satisfies(n -> assertThat(n.summary()).contains("verification \"Check health\" failed"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"api; rm -rf /", "$(curl x)"})
  void execute_whenALabelValueIsHostile_refusesItBeforeAnythingIsSent(String hostile) {
    stubSendCommandSequence(1);
    String id = approvedIncident(SsmExecutorPassesTest.plainCommands(), hostile);

    ExecutionReport report = execute.execute(id);

    assertThat(report.outcome()).isEqualTo(Outcome.NOT_RUN);
    assertThat(report.summary()).contains("parameter service does not match its pattern").doesNotContain(hostile);
    assertThat(aws.server().getAllServeEvents()).isEmpty();
    Incident incident = incidents.find(id).orElseThrow();
    assertThat(incident.status()).isEqualTo(IncidentStatus.FAILED);
    assertThat(incident.timeline()).last().extracting(Incident.TimelineEntry::message).asString()
        .contains("nothing ran").contains("parameter service");
  }
}
