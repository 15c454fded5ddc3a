package dev.reflex.adapters.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionReport;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnsibleExecutorTest {

  /** A value that would do harm if it ever reached a shell or Ansible's templating. */
  static final String HOSTILE_SUFFIX = "; rm -rf / {{ lookup('pipe', 'touch PWNED') }} $(touch PWNED2)";

  @TempDir Path dir;

  @Test
  void execute_whenHostileParameterInApplyMode_arrivesAsLiteralStringAndRunsNothing() throws IOException {
    requireAnsible();
    Path out = dir.resolve("service.txt");
    String hostile = "api" + HOSTILE_SUFFIX.replace("PWNED", dir.resolve("pwned").toString());

    ExecutionReport report = ThroughTheUseCase.run(executor(Mode.APPLY), writeAndEcho(false), Map.of(
        "service", hostile, "out_file", out.toString()));

    assertThat(report.success()).as(report.summary()).isTrue();
    assertThat(Files.readString(out)).isEqualTo(hostile);
    assertThat(report.steps()).extracting(StepResult::status)
        .containsExactly(Status.SUCCEEDED, Status.SUCCEEDED, Status.SUCCEEDED);
    assertThat(report.steps().get(1).detail()).contains(hostile);
    try (Stream<Path> files = Files.list(dir); Stream<Path> work = Files.list(dir.resolve("work"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("service.txt", "work");
      assertThat(work).as("the run folder with the variables file is removed").isEmpty();
    }
  }

  @Test
  void execute_whenCheckMode_simulatesModulesAndReportsCommandsNotSimulated() {
    requireAnsible();
    Path out = dir.resolve("service.txt");

    ExecutionReport report = ThroughTheUseCase.run(executor(Mode.CHECK), writeAndEcho(false),
        Map.of("service", "payment-api", "out_file", out.toString()));

    assertThat(report.mode()).isEqualTo(Mode.CHECK);
    assertThat(report.success()).as(report.summary()).isTrue();
    assertThat(report.steps()).extracting(StepResult::status)
        .containsExactly(Status.SIMULATED, Status.NOT_SIMULATED, Status.SIMULATED);
    assertThat(report.notSimulated()).containsExactly("Echo the service");
    assertThat(out).doesNotExist();
  }

  @Test
  void execute_whenStepFailsInApplyMode_theUseCaseRollsBackTheCompletedStep() {
    requireAnsible();
    Path out = dir.resolve("service.txt");

    ExecutionReport report = ThroughTheUseCase.run(executor(Mode.APPLY), writeAndEcho(true),
        Map.of("service", "payment-api", "out_file", out.toString()));

    assertThat(report.success()).isFalse();
    assertThat(report.outcome()).isEqualTo(ExecutionReport.Outcome.PARTIALLY_REMEDIATED);
    assertThat(report.steps()).extracting(StepResult::name, StepResult::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Write the service name", Status.ROLLED_BACK),
        org.assertj.core.groups.Tuple.tuple("Echo the service", Status.FAILED),
        org.assertj.core.groups.Tuple.tuple("Remove the file", Status.SUCCEEDED));
    assertThat(report.summary()).contains("step \"Echo the service\" failed").contains("rolled back (last first)");
    assertThat(out).as("the rollback removed what the first step wrote").doesNotExist();
  }

  @Test
  void execute_whenAStepVerificationFailsInApplyMode_stopsThePlayThereAndRollsBackItsStep() {
    requireAnsible();
    Path out = dir.resolve("service.txt");
    Playbook playbook = TestPlaybooks.withStepVerification(writeAndEcho(false), 0, StepAction.of(
        "Check the file holds the release", "ansible.builtin.command",
        Map.of("argv", List.of("grep", "--quiet", "release-42", "{{ out_file }}"))));

    ExecutionReport report = ThroughTheUseCase.run(executor(Mode.APPLY), playbook,
        Map.of("service", "payment-api", "out_file", out.toString()));

    assertThat(report.outcome()).isEqualTo(ExecutionReport.Outcome.PARTIALLY_REMEDIATED);
    assertThat(report.steps()).extracting(StepResult::name, StepResult::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Write the service name", Status.ROLLED_BACK),
        org.assertj.core.groups.Tuple.tuple("Echo the service", Status.SKIPPED),
        org.assertj.core.groups.Tuple.tuple("Remove the file", Status.SUCCEEDED));
    assertThat(report.steps().get(0).detail()).contains("post-check \"Check the file holds the release\" failed");
    assertThat(report.summary())
        .startsWith("stopped: verification of step \"Write the service name\" failed")
        .contains("rolled back (last first): Write the service name");
    assertThat(out).as("the rollback removed what the step wrote").doesNotExist();
  }

  @Test
  void execute_whenAStepVerificationPassesInApplyMode_runsTheNextStep() {
    requireAnsible();
    Path out = dir.resolve("service.txt");
    Playbook playbook = TestPlaybooks.withStepVerification(writeAndEcho(false), 0, StepAction.of(
        "Check the file holds the service", "ansible.builtin.command",
        Map.of("argv", List.of("grep", "--quiet", "payment-api", "{{ out_file }}"))));

    ExecutionReport report = ThroughTheUseCase.run(executor(Mode.APPLY), playbook,
        Map.of("service", "payment-api", "out_file", out.toString()));

    assertThat(report.success()).as(report.summary()).isTrue();
    assertThat(report.steps()).extracting(StepResult::status)
        .containsExactly(Status.SUCCEEDED, Status.SUCCEEDED, Status.SUCCEEDED);
    assertThat(report.steps().get(0).detail()).contains("post-check \"Check the file holds the service\" succeeded");
  }

  @Test
  void start_stepVerificationPass_runsOnlyItsOwnTagOfARenderedPlaybook() throws IOException {
    requireAnsible();
    Path out = dir.resolve("service.txt");
    Files.writeString(out, "payment-api");
    StepAction check = StepAction.of("Check the file holds the service", "ansible.builtin.command",
        Map.of("argv", List.of("grep", "--quiet", "payment-api", "{{ out_file }}")));
    Playbook playbook = TestPlaybooks.withStepVerification(writeAndEcho(false), 0, check);

    ExecutionRun run = executor(Mode.APPLY).start(new ExecutionPass("inc-1", playbook,
        Map.of("service", "other", "out_file", out.toString()), Map.of(), ExecutionPass.Purpose.VERIFY,
        List.of(new ExecutionPass.Action(check, RiskClass.READ_ONLY))));

    assertThat(run.results()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("Check the file holds the service");
      assertThat(r.status()).isEqualTo(Status.SUCCEEDED);
    });
    assertThat(Files.readString(out)).as("the write step did not run").isEqualTo("payment-api");
  }

  @Test
  void start_rollbackPass_runsOnlyThePerStepRollbackTagsOfARenderedPlaybook() throws IOException {
    requireAnsible();
    Path out = dir.resolve("service.txt");
    Files.writeString(out, "written earlier");
    Playbook playbook = writeAndEcho(false);

    ExecutionRun run = executor(Mode.APPLY).start(new ExecutionPass("inc-1", playbook,
        Map.of("service", "payment-api", "out_file", out.toString()), Map.of(), ExecutionPass.Purpose.ROLLBACK,
        List.of(new ExecutionPass.Action(playbook.steps().get(0).rollback(), RiskClass.SAFE_WRITE))));

    assertThat(run.finished()).isTrue();
    assertThat(run.results()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("Remove the file");
      assertThat(r.status()).isEqualTo(Status.SUCCEEDED);
    });
    assertThat(out).doesNotExist();
  }

  @Test
  void execute_whenContentSourceGiven_runsThatFileInsteadOfRendering() {
    requireAnsible();
    AtomicInteger asked = new AtomicInteger();
    AnsibleExecutor executor = new AnsibleExecutor(new AnsibleExecutor.Config(null, Mode.APPLY, Duration.ofSeconds(60),
        dir.resolve("work"), null), playbook -> {
          asked.incrementAndGet();
          return COMMITTED;
        }, Clock.systemUTC());

    ExecutionReport report = ThroughTheUseCase.run(executor, writeAndEcho(false),
        Map.of("service", "payment-api", "out_file", dir.resolve("x.txt").toString()));

    assertThat(asked).as("once for the steps, once for the verification").hasValue(2);
    assertThat(report.success()).as(report.summary()).isTrue();
    assertThat(report.steps().get(1).detail()).contains("from the repository payment-api");
  }

  static final String COMMITTED = """
      - name: Write and echo, as committed
        hosts: "{{ reflex_targets | default('localhost') }}"
        gather_facts: false
        tasks:
          - name: Write the service name
            tags: [remediate]
            ansible.builtin.copy: {content: "{{ service }}", dest: "{{ out_file }}"}
            register: written
          - name: Echo the service
            tags: [remediate]
            ansible.builtin.command:
              argv: [echo, from the repository, "{{ service }}"]
            changed_when: false
            when: written is changed
          - name: Check the file exists
            tags: [verify]
            ansible.builtin.stat: {path: "{{ out_file }}"}
      """;

  @Test
  void start_whenValueDoesNotMatchPattern_refusesWithoutRunning() {
    AnsibleExecutor executor = new AnsibleExecutor(new AnsibleExecutor.Config("/nonexistent/ansible-playbook",
        Mode.APPLY, null, dir, null), playbook -> null, Clock.systemUTC());
    Playbook playbook = writeAndEcho(false);

    ExecutionRun run = executor.start(steps(playbook, Map.of("service", "payment-api", "out_file", "relative; rm -rf /")));

    assertThat(run.results()).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.detail()).startsWith("Not run: parameter 'out_file' does not match its pattern")
          .doesNotContain("rm -rf");
    });
  }

  @Test
  void start_whenParameterNameReserved_refuses() {
    Playbook playbook = withParameters(writeAndEcho(false),
        new Parameter("ansible_connection", "", null, "^[a-z]+$", "ssh", false));

    ExecutionRun run = executor(Mode.CHECK).start(steps(playbook,
        Map.of("service", "payment-api", "out_file", dir.resolve("x").toString())));

    assertThat(run.summary()).contains("parameter name 'ansible_connection' is reserved");
  }

  @Test
  void runsStepsOneAtATime_isFalse_becauseAPlaysTasksShareRegisteredVariables() {
    assertThat(executor(Mode.CHECK).runsStepsOneAtATime(writeAndEcho(false))).isFalse();
  }

  private static ExecutionPass steps(Playbook playbook, Map<String, String> parameters) {
    return new ExecutionPass("inc-1", playbook, parameters, Map.of(), ExecutionPass.Purpose.REMEDIATE,
        playbook.steps().stream().map(s -> new ExecutionPass.Action(s.action(), s.declaredRisk())).toList());
  }

  private AnsibleExecutor executor(Mode mode) {
    return new AnsibleExecutor(new AnsibleExecutor.Config(null, mode, Duration.ofSeconds(60), dir.resolve("work"), null),
        playbook -> null, Clock.systemUTC());
  }

  private static void requireAnsible() {
    assumeTrue(AnsibleExecutor.available(),
        "ansible-playbook is not on PATH: real Ansible test skipped (CI installs it: apt-get install -y ansible)");
  }

  /** Writes the service name to a file (rollback: remove it), echoes it, then checks the file. */
  static Playbook writeAndEcho(boolean echoFails) {
    StepAction write = StepAction.of("Write the service name", "ansible.builtin.copy",
        Map.of("content", "{{ service }}", "dest", "{{ out_file }}", "mode", "0600"));
    StepAction remove = StepAction.of("Remove the file", "ansible.builtin.file",
        Map.of("path", "{{ out_file }}", "state", "absent"));
    StepAction echo = StepAction.of("Echo the service", "ansible.builtin.command",
        Map.of("argv", echoFails ? List.of("false", "{{ service }}") : List.of("echo", "{{ service }}")));
    StepAction check = StepAction.of("Check the file exists", "ansible.builtin.stat", Map.of("path", "{{ out_file }}"));
    return new Playbook("write-and-echo", "1.0.0", "Write and echo", PlaybookSource.LEARNED,
        PlaybookStatus.PENDING_REVIEW, List.of("test"), List.of(), null, "", "",
        List.of(new Parameter("service", "", "service", "^.{1,200}$", null, true),
            new Parameter("out_file", "", "out_file", "^/[A-Za-z0-9._/-]{1,200}$", null, true)),
        List.of(new PlaybookStep(write, RiskClass.SAFE_WRITE, remove), new PlaybookStep(echo, RiskClass.READ_ONLY, null)),
        check, PlaybookStats.initial(0.5), List.of(), "", null, null, 0);
  }

  private static Playbook withParameters(Playbook p, Parameter extra) {
    List<Parameter> parameters = new java.util.ArrayList<>(p.parameters());
    parameters.add(extra);
    return new Playbook(p.id(), p.version(), p.title(), p.source(), p.status(), p.anomalyTypes(), p.signaturePatterns(),
        p.signature(), p.description(), p.guidance(), parameters, p.steps(), p.verification(), p.stats(),
        p.supportingIncidents(), p.evidenceText(), p.branch(), p.commitSha(), p.revision());
  }
}
