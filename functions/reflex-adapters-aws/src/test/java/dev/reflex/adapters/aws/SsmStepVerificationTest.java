package dev.reflex.adapters.aws;

import static dev.reflex.adapters.aws.AwsTestSupport.INSTANCE;
import static dev.reflex.adapters.aws.AwsTestSupport.T0;
import static dev.reflex.adapters.aws.AwsTestSupport.json;
import static dev.reflex.adapters.aws.AwsTestSupport.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionPass.Purpose;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A step's own verification on Systems Manager: a shell pass of its own, or a task of the play's command. */
class SsmStepVerificationTest {

  @RegisterExtension static final SsmWireMock aws = new SsmWireMock();

  private SsmExecutor executor() {
    return aws.executor(AwsTestSupport.config(false));
  }

  private static Playbook withStepVerification(Playbook p, int stepIndex, StepAction check) {
    List<PlaybookStep> steps = new ArrayList<>(p.steps());
    steps.set(stepIndex, steps.get(stepIndex).withVerification(check));
    return new Playbook(p.id(), p.version(), p.title(), p.source(), p.status(), p.anomalyTypes(), p.signaturePatterns(),
        p.signature(), p.description(), p.guidance(), p.parameters(), steps, p.verification(), p.stats(),
        p.supportingIncidents(), p.evidenceText(), p.branch(), p.commitSha(), p.revision());
  }

  private static final StepAction UNIT_ACTIVE = SsmExecutorPassesTest.command("Check the unit is active",
      "systemctl", "is-active", "{{ service }}");

  @Test
  void verifyPass_ofAPlainCommandStepVerification_sendsItThroughRunShellScriptAlone() {
    aws.stubFor(target("AmazonSSM.SendCommand").willReturn(json("""
        {"Command":{"CommandId":"cmd-11","Status":"Pending"}}""")));
    Playbook playbook = withStepVerification(SsmExecutorPassesTest.plainCommands(), 1, UNIT_ACTIVE);
    SsmExecutor executor = executor();

    ExecutionRun sent = executor.start(new ExecutionPass("inc-42", playbook, Map.of("service", "payment-api"),
        Map.of("service", "payment-api"), Purpose.VERIFY, List.of(new ExecutionPass.Action(UNIT_ACTIVE,
            RiskClass.READ_ONLY))));

    assertThat(executor.runsStepsOneAtATime(playbook)).isTrue();
    assertThat(sent.handle()).isEqualTo("cmd-11");
    assertThat(aws.bodies("AmazonSSM.SendCommand")).singleElement().satisfies(body -> {
      assertThat(body.path("DocumentName").asText()).isEqualTo("AWS-RunShellScript");
      assertThat(body.path("Parameters").path("commands").toString())
          .isEqualTo("[\"set -eu\",\"'systemctl' 'is-active' 'payment-api'\"]");
    });
  }

  @Test
  void runsStepsOneAtATime_whenAStepVerificationIsNotAPlainCommand_isFalse() {
    StepAction templated = StepAction.of("Check the unit", "ansible.builtin.command",
        Map.of("argv", List.of("systemctl", "is-active", "{{ service | quote }}")));

    assertThat(executor().runsStepsOneAtATime(withStepVerification(SsmExecutorPassesTest.plainCommands(), 1,
        templated))).isFalse();
  }

  @Test
  void remediatePass_ofACatalogPlaybook_acceptsTheStepVerificationsAndReportsThemInPlayOrder() {
    aws.stubFor(target("AmazonSSM.SendCommand").willReturn(json("""
        {"Command":{"CommandId":"cmd-12","Status":"Pending"}}""")));
    aws.stubFor(target("AmazonSSM.ListCommands").willReturn(json("""
        {"Commands":[{"CommandId":"cmd-12","RequestedDateTime":%d,"InstanceIds":["%s"],"TargetCount":1,
         "Status":"Failed","Parameters":{"Check":["False"]}}]}""".formatted(T0.getEpochSecond(), INSTANCE))));
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").willReturn(json(AwsTestSupport.JSON.createObjectNode()
        .put("CommandId", "cmd-12").put("InstanceId", INSTANCE).put("Status", "Failed")
        .put("StandardOutputContent", """
            TASK [Inspect logs] ***
            ok: [localhost]
            TASK [Restart unit] ***
            changed: [localhost]
            TASK [Check the unit is active] ***
            fatal: [localhost]: FAILED! => {"msg": "inactive"}
            """).put("StandardErrorContent", "").put("ResponseCode", 2).toString())));
    Playbook playbook = withStepVerification(AwsTestSupport.playbook(), 1, UNIT_ACTIVE);
    ExecutionPass pass = new ExecutionPass("inc-42", playbook, Map.of("service", "payment-api"),
        Map.of("service", "payment-api"), Purpose.REMEDIATE,
        ExecutionPass.forward(playbook, 0, playbook.steps().size(), true));
    SsmExecutor executor = executor();

    ExecutionRun sent = executor.start(pass);
    ExecutionRun ended = executor.poll(pass, sent.handle());

    assertThat(sent.handle()).as("the whole play is sent, its step verification included").isEqualTo("cmd-12");
    assertThat(ended.results()).extracting(StepResult::name, StepResult::status).startsWith(
        tuple("Inspect logs", Status.SUCCEEDED),
        tuple("Restart unit", Status.SUCCEEDED),
        tuple("Check the unit is active", Status.FAILED));
  }
}
