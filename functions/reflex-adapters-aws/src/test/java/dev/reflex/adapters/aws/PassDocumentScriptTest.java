package dev.reflex.adapters.aws;

import static dev.reflex.adapters.aws.AwsTestSupport.INSTANCE;
import static dev.reflex.adapters.aws.AwsTestSupport.SHA;
import static dev.reflex.adapters.aws.AwsTestSupport.T0;
import static dev.reflex.adapters.aws.AwsTestSupport.json;
import static dev.reflex.adapters.aws.AwsTestSupport.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.adapters.files.PlaybookYaml;
import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionPass.Purpose;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell script of {@code infra/ssm/reflex-apply-ansible-pass.yml}, proven rather than assumed:
 * its parameters' patterns against what {@link SsmExecutor} sends and against quote-breaking
 * values (always), the script run with bash as the agent runs it (a recording stand-in for
 * {@code ansible-playbook}), and with the real {@code ansible-playbook} in check mode on a copy of
 * a catalog playbook when it is installed.
 */
class PassDocumentScriptTest {

  private static final String DOCUMENT_NAME = SsmExecutorPassDocumentTest.DOCUMENT;
  private static final Path DB_POOL = LocalRunCommand.REPOSITORY
      .resolve("playbook-repo-template/playbooks/db-connection-pool-exhaustion");

  @RegisterExtension static final SsmWireMock aws = new SsmWireMock();
  private final LocalRunCommand document = LocalRunCommand.load(LocalRunCommand.DOCUMENT);

  @TempDir Path work;

  @BeforeEach
  void stubSendCommand() {
    aws.stubFor(target("AmazonSSM.SendCommand").willReturn(json("""
        {"Command":{"CommandId":"cmd-1","Status":"Pending"}}""")));
  }

  private SsmExecutor executor(boolean check) {
    return aws.executor(AwsTestSupport.config(check).withShellCommands(false).withPassDocument(DOCUMENT_NAME))
        .withPlaybookContent(PassDocumentScriptTest::committedFile);
  }

  /** The db-pool playbook's own file (its rollbacks are one [rollback, never] pass); others rendered. */
  private static String committedFile(Playbook playbook) {
    try {
      return playbook.id().equals("db-connection-pool-exhaustion") ? Files.readString(DB_POOL.resolve("playbook.yml"))
          : PlaybookYaml.renderPlaybook(playbook);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ExecutionPass pass(Playbook playbook, Purpose purpose, List<ExecutionPass.Action> actions,
      Map<String, String> parameters) {
    return new ExecutionPass("inc-42", playbook, parameters, Map.of(), purpose, actions);
  }

  private static List<ExecutionPass.Action> steps(Playbook playbook, int from) {
    return playbook.steps().subList(from, playbook.steps().size()).stream()
        .map(step -> new ExecutionPass.Action(step.action(), step.declaredRisk())).toList();
  }

  private static List<ExecutionPass.Action> rollbacks(Playbook playbook, int... stepIndexes) {
    List<ExecutionPass.Action> actions = new ArrayList<>();
    for (int i : stepIndexes) {
      PlaybookStep step = playbook.steps().get(i);
      actions.add(new ExecutionPass.Action(step.rollback(), step.declaredRisk()));
    }
    return actions;
  }

  private static List<ExecutionPass.Action> verification(Playbook playbook) {
    return List.of(new ExecutionPass.Action(playbook.verification(), dev.reflex.domain.model.RiskClass.READ_ONLY));
  }

  private static JsonNode lastSent() {
    List<JsonNode> sent = aws.bodies("AmazonSSM.SendCommand");
    assertThat(sent).isNotEmpty();
    return sent.get(sent.size() - 1);
  }

  // ---------------------------------------------------------------- the document, always

  @Test
  void document_isACommandDocumentThatDownloadsThePlaybookThenRunsOneShellStep() {
    JsonNode doc = document.document();

    assertThat(doc.path("schemaVersion").asText()).isEqualTo("2.2");
    assertThat(doc.path("mainSteps")).extracting(step -> step.path("action").asText())
        .containsExactly("aws:downloadContent", "aws:runShellScript");
    assertThat(document.parameters().keySet()).containsExactly("SourceType", "SourceInfo", "InstallDependencies",
        "PlaybookFile", "Tags", "StartAtTask", "Variables", "Check", "Verbose", "TimeoutSeconds");
    assertThat(document.parameters().get("Variables").path("allowedPattern").asText())
        .isEqualTo(PassVariables.BASE64.pattern());
    assertThat(document.parameters().get("Tags").path("allowedPattern").asText()).isEqualTo(SsmExecutor.TAGS.pattern());
    assertThat(document.parameters().get("StartAtTask").path("allowedPattern").asText())
        .isEqualTo(SsmExecutor.START_AT_TASK.pattern());
  }

  @Test
  void script_usesEveryParameterOnlyAsOneSingleQuotedAssignment() {
    Pattern assignment = Pattern.compile("^[a-z_]+='\\{\\{ [A-Za-z]+ }}'$");
    List<String> lines = document.script().lines().filter(line -> line.contains("{{")).toList();

    assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).matches(assignment));
    assertThat(document.references()).allSatisfy(name -> assertThat(document.parameters()).containsKey(name));
  }

  @Test
  void patterns_refuseEveryValueThatHoldsAQuoteOrABackslash() {
    Map<String, String> valid = new LinkedHashMap<>(Map.of("InstallDependencies", "True",
        "PlaybookFile", "playbook.yml", "Tags", "rollback_step_2,rollback_step_1", "StartAtTask", "Restart unit",
        "Variables", Base64.getEncoder().encodeToString("{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8)),
        "Check", "False", "Verbose", "-vv", "TimeoutSeconds", "900"));
    assertThat(document.problems(withSource(valid))).isEmpty();

    List<String> refusedEverywhere = List.of("'", "x'y", "'; touch /tmp/p; '", "\\", "a\\'b", "\n'", "\"$(id)\"");
    for (String name : valid.keySet()) {
      for (String bad : refusedEverywhere) {
        for (String value : List.of(bad, valid.get(name) + bad, bad + valid.get(name))) {
          Map<String, String> given = new LinkedHashMap<>(withSource(valid));
          given.put(name, value);
          assertThat(document.problems(given)).as("%s = %s", name, value).isNotEmpty();
        }
      }
    }
  }

  private static Map<String, String> withSource(Map<String, String> values) {
    Map<String, String> given = new LinkedHashMap<>(values);
    given.put("SourceType", "S3");
    given.put("SourceInfo", "{\"path\":\"https://s3.amazonaws.com/b/k/\"}");
    return given;
  }

  @Test
  void whatTheExecutorSends_passesTheDocumentsOwnChecks_forEveryKindOfPass() throws IOException {
    Playbook dbPool = dbPool();
    Playbook rendered = SsmExecutorPassesTest.plainCommands();
    Map<String, String> values = Map.of("service", "payment-api", "prometheus_url", "http://prom.other.svc:9091/p");

    executor(false).start(pass(dbPool, Purpose.REMEDIATE, steps(dbPool, 0), values));
    executor(true).start(pass(dbPool, Purpose.REMEDIATE, steps(dbPool, 2), values));
    executor(false).start(pass(dbPool, Purpose.VERIFY, verification(dbPool), values));
    executor(false).start(pass(dbPool, Purpose.ROLLBACK, rollbacks(dbPool, 3, 2), values));
    executor(false).start(pass(rendered, Purpose.ROLLBACK, rollbacks(rendered, 2, 1), Map.of("service", "payment-api")));

    List<JsonNode> sent = aws.bodies("AmazonSSM.SendCommand");
    assertThat(sent).extracting(body -> body.at("/Parameters/Tags/0").asText())
        .containsExactly("remediate", "remediate", "verify", "rollback", "rollback_step_3,rollback_step_2");
    assertThat(sent.get(1).at("/Parameters/StartAtTask/0").asText()).isEqualTo("Raise connection pool size");
    assertThat(sent).allSatisfy(body -> {
      assertThat(body.get("DocumentName").asText()).isEqualTo(DOCUMENT_NAME);
      assertThat(document.problems(LocalRunCommand.values(body.get("Parameters")))).isEmpty();
    });
  }

  // ---------------------------------------------------------------- the script under bash, a recording ansible-playbook

  @Test
  void script_handsAnsibleTheSelectionAndEveryValueAsUnsafeDataWhateverTheValueHolds() throws IOException {
    assumeTrue(LocalRunCommand.onPath("python3") && LocalRunCommand.onPath("base64"),
        "python3 and base64 are needed to run the document's script (they are on every instance Ansible runs on)");
    Path bin = Files.createDirectories(work.resolve("bin"));
    Path record = Files.createDirectories(work.resolve("record"));
    executable(bin.resolve("ansible-playbook"), """
        #!/bin/bash
        printf '%s\\n' "$@" > "$REFLEX_RECORD/argv"
        for arg in "$@"; do case "$arg" in @*) cp "${arg#@}" "$REFLEX_RECORD/variables.yml" ;; esac; done
        """);
    Path downloads = Files.createDirectories(work.resolve("downloads"));
    Files.writeString(downloads.resolve("playbook.yml"), "- hosts: localhost\n  tasks: []\n");
    String pwned = "/tmp/reflex-pwned-" + UUID.randomUUID();
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("service", "$(touch " + pwned + ")");
    variables.put("prometheus_url", "http://prometheus.monitoring.svc:9090/api");
    variables.put("note", "it's \"quoted\" `touch " + pwned + "` {{ lookup('pipe','touch " + pwned + "') }} ; | \\ é");

    LocalRunCommand.Result result = document.run(withSource(Map.of("InstallDependencies", "True", "Tags", "remediate",
        "StartAtTask", "Raise connection pool size", "Variables", base64Json(variables), "Check", "True")),
        downloads, Map.of("PATH", bin + ":" + System.getenv("PATH"), "REFLEX_RECORD", record.toString()),
        Duration.ofSeconds(60));

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    List<String> argv = Files.readAllLines(record.resolve("argv"));
    assertThat(String.join("\n", argv)).matches("""
        -i
        localhost,
        -c
        local
        -e
        ansible_python_interpreter=/\\S+/python3
        -e
        @/\\S+/variables.yml
        --tags
        remediate
        --start-at-task
        Raise connection pool size
        --check
        -v
        playbook.yml""");
    assertThat(Files.readString(record.resolve("variables.yml"))).isEqualTo("""
        ---
        service: !unsafe "$(touch %1$s)"
        prometheus_url: !unsafe "http://prometheus.monitoring.svc:9090/api"
        note: !unsafe "it's \\"quoted\\" `touch %1$s` {{ lookup('pipe','touch %1$s') }} ; | \\\\ \\u00e9"
        """.formatted(pwned));
    assertThat(Path.of(argv.get(7).substring(1))).as("the variables file is removed afterwards").doesNotExist();
    assertThat(Path.of(pwned)).doesNotExist();
  }

  @Test
  void script_whenVariablesAreNotAnObjectOfStrings_stopsBeforeAnsible() throws IOException {
    assumeTrue(LocalRunCommand.onPath("python3") && LocalRunCommand.onPath("base64"),
        "python3 and base64 are needed to run the document's script");
    Path bin = Files.createDirectories(work.resolve("bin"));
    Path ran = work.resolve("ansible-ran");
    executable(bin.resolve("ansible-playbook"), "#!/bin/bash\ntouch " + ran + "\n");
    Path downloads = Files.createDirectories(work.resolve("downloads"));
    Files.writeString(downloads.resolve("playbook.yml"), "- hosts: localhost\n  tasks: []\n");

    for (String json : List.of("[\"a\"]", "{\"ansible_become\":\"true\"}", "{\"n\":1}", "{\"Bad-Name\":\"x\"}")) {
      LocalRunCommand.Result result = document.run(withSource(Map.of("Tags", "verify", "Variables",
          Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)))), downloads,
          Map.of("PATH", bin + ":" + System.getenv("PATH")), Duration.ofSeconds(60));

      assertThat(result.exitCode()).as(json).isNotZero();
      assertThat(result.stderr()).as(json).contains("Variables");
    }
    assertThat(ran).doesNotExist();
  }

  // ---------------------------------------------------------------- the real ansible-playbook, check mode

  private static void assumeAnsible() {
    assumeTrue(LocalRunCommand.onPath("ansible-playbook") && LocalRunCommand.onPath("python3"),
        "ansible-playbook is not installed (.ci/install-packages.sh installs it): the document's script was not run"
            + " with Ansible");
  }

  /** The playbook folder as aws:downloadContent leaves it, a kubectl that records its arguments first on PATH. */
  private Map<String, String> instance(Path downloads) throws IOException {
    Files.createDirectories(downloads);
    try (Stream<Path> files = Files.list(DB_POOL)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, downloads.resolve(file.getFileName().toString()));
      }
    }
    Path bin = Files.createDirectories(work.resolve("bin"));
    executable(bin.resolve("kubectl"), """
        #!/bin/bash
        echo "$*" >> "$REFLEX_KUBECTL_LOG"
        case " $* " in
          *" get configmap "*) echo '{"data":{"DB_POOL_MAX_SIZE":"20"},"metadata":{"annotations":{"reflex.dev/previous-db-pool-max-size":"20"}}}' ;;
        esac
        """);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", bin + ":" + System.getenv("PATH"));
    env.put("REFLEX_KUBECTL_LOG", work.resolve("kubectl.log").toString());
    env.put("ANSIBLE_LOCAL_TEMP", Files.createDirectories(work.resolve("ansible-tmp")).toString());
    return env;
  }

  /**
   * The executor sends the pass; Systems Manager checks and substitutes the parameters and runs the
   * script here; the executor reads the invocation back.
   */
  private ExecutionRun runHere(SsmExecutor executor, ExecutionPass pass, Path downloads, Map<String, String> env) {
    ExecutionRun sent = executor.start(pass);
    assertThat(sent.finished()).as("refused before sending: %s", sent.summary()).isFalse();
    JsonNode body = lastSent();
    LocalRunCommand.Result result = document.run(LocalRunCommand.values(body.get("Parameters")), downloads, env,
        Duration.ofMinutes(3));
    aws.stubFor(target("AmazonSSM.ListCommands").willReturn(json(AwsTestSupport.JSON.createObjectNode()
        .set("Commands", AwsTestSupport.JSON.createArrayNode().add(AwsTestSupport.JSON.createObjectNode()
            .put("CommandId", sent.handle()).put("RequestedDateTime", T0.getEpochSecond())
            .put("TargetCount", 1).put("Status", result.exitCode() == 0 ? "Success" : "Failed")
            .<com.fasterxml.jackson.databind.node.ObjectNode>set("InstanceIds",
                AwsTestSupport.JSON.createArrayNode().add(INSTANCE))
            .set("Parameters", body.get("Parameters")))).toString())));
    aws.stubFor(target("AmazonSSM.GetCommandInvocation").willReturn(json(AwsTestSupport.JSON.createObjectNode()
        .put("CommandId", sent.handle()).put("InstanceId", INSTANCE)
        .put("Status", result.exitCode() == 0 ? "Success" : "Failed").put("ResponseCode", result.exitCode())
        .put("StandardOutputContent", result.stdout()).put("StandardErrorContent", result.stderr()).toString())));
    lastStdout = result.stdout();
    return executor.poll(pass, sent.handle());
  }

  private String lastStdout = "";

  @Test
  void remediatePass_onTheDbPoolPlaybook_runsOnlyItsRemediateTasksWithAUrlHoldingColons() throws IOException {
    assumeAnsible();
    Playbook dbPool = dbPool();
    Path downloads = work.resolve("downloads");
    Map<String, String> env = instance(downloads);

    ExecutionRun run = runHere(executor(true), pass(dbPool, Purpose.REMEDIATE, steps(dbPool, 0),
        Map.of("service", "payment-api", "prometheus_url", "http://prometheus.other.svc:9091/prom")), downloads, env);

    assertThat(run.summary()).startsWith("Systems Manager (check mode) ran remediate of db-connection-pool-exhaustion"
        + " 1.0.0 (command cmd-1, tags remediate) on 1 instance(s): ok.");
    assertThat(run.results()).extracting(StepResult::name, StepResult::status).containsExactly(
        tuple("Inspect connection pool saturation", Status.SKIPPED),
        tuple("Read current pool size", Status.SIMULATED),
        tuple("Raise connection pool size", Status.NOT_SIMULATED),
        tuple("Rolling restart to apply pool size", Status.NOT_SIMULATED),
        tuple("Wait for rollout to finish", Status.NOT_SIMULATED));
    assertThat(lastStdout).contains("TASK [Validate parameters]").doesNotContain("Check p99 latency")
        .doesNotContain("Read recorded previous pool size");
    assertThat(Files.readAllLines(work.resolve("kubectl.log")))
        .containsExactly("--namespace default get configmap payment-api-config --output json");
  }

  @Test
  void verifyPass_onTheDbPoolPlaybook_runsOnlyTheVerification() throws IOException {
    assumeAnsible();
    Playbook dbPool = dbPool();
    Path downloads = work.resolve("downloads");
    Map<String, String> env = instance(downloads);

    ExecutionRun run = runHere(executor(true), pass(dbPool, Purpose.VERIFY, verification(dbPool),
        Map.of("service", "payment-api")), downloads, env);

    assertThat(run.results()).extracting(StepResult::name, StepResult::status)
        .containsExactly(tuple("Check p99 latency is under threshold", Status.SKIPPED));
    assertThat(run.summary()).contains("tags verify) on 1 instance(s): ok.");
    assertThat(lastStdout).doesNotContain("Read current pool size").doesNotContain("Restore connection pool size");
    assertThat(work.resolve("kubectl.log")).doesNotExist();
  }

  @Test
  void rollbackPass_onTheDbPoolPlaybook_runsItsRollbackTasksThatNoOtherPassReaches() throws IOException {
    assumeAnsible();
    Playbook dbPool = dbPool();
    Path downloads = work.resolve("downloads");
    Map<String, String> env = instance(downloads);

    ExecutionRun run = runHere(executor(true), pass(dbPool, Purpose.ROLLBACK, rollbacks(dbPool, 3, 2),
        Map.of("service", "payment-api")), downloads, env);

    assertThat(run.results()).extracting(StepResult::name, StepResult::status).containsExactly(
        tuple("Rolling restart to apply restored pool size", Status.NOT_SIMULATED),
        tuple("Restore connection pool size", Status.NOT_SIMULATED));
    assertThat(run.results()).allSatisfy(r -> assertThat(r.detail()).endsWith("(the playbook's whole rollback pass ran)"));
    assertThat(lastStdout).contains("TASK [Read recorded previous pool size]").doesNotContain("Raise connection pool size");
    assertThat(Files.readAllLines(work.resolve("kubectl.log")))
        .containsExactly("--namespace default get configmap payment-api-config --output json");
  }

  @Test
  void script_withAHostileLookingServiceName_stopsAtTheParameterCheckAndRunsNothing() throws IOException {
    assumeAnsible();
    Path downloads = work.resolve("downloads");
    Map<String, String> env = instance(downloads);
    String pwned = "/tmp/reflex-pwned-" + UUID.randomUUID();

    LocalRunCommand.Result result = document.run(withSource(Map.of("InstallDependencies", "False", "Tags", "remediate",
        "Variables", base64Json(Map.of("service", "$(touch " + pwned + ")")), "Check", "True")), downloads, env,
        Duration.ofMinutes(3));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stdout()).contains("TASK [Validate parameters]", "A parameter does not match its validation pattern");
    assertThat(Path.of(pwned)).doesNotExist();
    assertThat(work.resolve("kubectl.log")).doesNotExist();
  }

  @Test
  void script_withTemplateAndShellSyntaxInAValue_handsItToTheTaskAsPlainText() throws IOException {
    assumeAnsible();
    Path downloads = Files.createDirectories(work.resolve("downloads"));
    Files.writeString(downloads.resolve("playbook.yml"), """
        - name: Echo a note
          hosts: "{{ reflex_targets | default('localhost') }}"
          gather_facts: false
          tasks:
            - name: Echo the note
              tags: [remediate]
              ansible.builtin.debug:
                msg: "{{ note }}"
            - name: Never in this pass
              tags: [verify]
              ansible.builtin.debug:
                msg: verify ran
        """);
    String pwned = "/tmp/reflex-pwned-" + UUID.randomUUID();
    String note = "$(touch " + pwned + "-a) `touch " + pwned + "-b` {{ lookup('pipe', 'touch " + pwned + "-c') }}";

    LocalRunCommand.Result result = document.run(withSource(Map.of("InstallDependencies", "False", "Tags", "remediate",
        "Variables", base64Json(Map.of("note", note)), "Check", "True")), downloads,
        Map.of("ANSIBLE_LOCAL_TEMP", Files.createDirectories(work.resolve("ansible-tmp")).toString()),
        Duration.ofMinutes(3));

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("TASK [Echo the note]", "{{ lookup('pipe', 'touch " + pwned + "-c') }}",
        "$(touch " + pwned + "-a)").doesNotContain("verify ran");
    for (String suffix : List.of("-a", "-b", "-c")) {
      assertThat(Path.of(pwned + suffix)).doesNotExist();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Playbook dbPool() throws IOException {
    return PlaybookYaml.parse(Files.readString(DB_POOL.resolve("meta.yml")), "meta.yml",
        Files.readString(DB_POOL.resolve("playbook.yml")), "playbook.yml").withCommit("main", SHA);
  }

  private static String base64Json(Map<String, String> values) {
    try {
      return Base64.getEncoder().encodeToString(AwsTestSupport.JSON.writeValueAsBytes(values));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void executable(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
  }
}
