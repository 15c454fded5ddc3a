package dev.reflex.local.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookValidatorTest {

  static final Path TEMPLATE = Path.of(System.getProperty("reflex.home", "../..")).toAbsolutePath().normalize()
      .resolve("playbook-repo-template");
  static final String DISK = "playbooks/disk-full-log-cleanup/";

  @TempDir Path repo;
  private final PlaybookValidator offline = new PlaybookValidator(new PlaybookValidator.Options(false, 0.8, false));

  @BeforeEach
  void copyTemplate() throws IOException {
    try (Stream<Path> files = Files.walk(TEMPLATE)) {
      for (Path source : files.toList()) {
        Path target = repo.resolve(TEMPLATE.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  @Test
  void validate_onTheTemplate_passesWithoutFindings() {
    PlaybookValidator.Report report = offline.validate(TEMPLATE);

    assertThat(report.diagnostics()).isEmpty();
    assertThat(report.playbooks()).isEqualTo(6);
    assertThat(report.testCases()).isEqualTo(6);
  }

  @Test
  void validate_onTheTemplateWithAnsibleSyntaxCheck_exitsZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int exit = ValidateCommand.run(new String[] {TEMPLATE.toString()}, new PrintStream(out), System.err);

    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("valid: 6 playbooks, 6 test cases, 0 errors");
  }

  @Test
  void validate_onOnePlaybookFolder_checksItAndItsTests() {
    PlaybookValidator.Report report = offline.validate(TEMPLATE.resolve(DISK));

    assertThat(report.diagnostics()).isEmpty();
    assertThat(report.playbooks()).isEqualTo(1);
    assertThat(report.testCases()).isEqualTo(1);
  }

  @Test
  void validate_whenArgumentsUseAnUndeclaredParameter_reportsThePlaybookLine() throws IOException {
    replace(DISK + "playbook.yml", "argv: [df, --portability, --human-readable, \"{{ log_dir }}\"]",
        "argv: [df, --portability, --human-readable, \"{{ log_root }}\"]");

    assertThat(errors()).containsExactly(DISK + "playbook.yml:" + line(DISK + "playbook.yml",
        "- name: Measure log filesystem usage") + ": step \"Measure log filesystem usage\": uses {{ log_root }} but"
        + " no parameter declares it");
  }

  @Test
  void validate_whenASafeWriteStepDeletesData_reportsTheDeclaredRiskLine() throws IOException {
    replace(DISK + "playbook.yml", "argv: [mv, --no-clobber, --, \"{{ item.path }}\", \"{{ run_archive }}/\"]",
        "argv: [rm, -f, --, \"{{ item.path }}\"]");

    int riskLine = line(DISK + "meta.yml", "  - task: Move rotated logs to the archive") + 1;
    assertThat(errors()).containsExactly(DISK + "meta.yml:" + riskLine
        + ": step \"Move rotated logs to the archive\": declared safe_write but deletes data (rm): critical_write");
  }

  @Test
  void validate_whenARollbackHoldsAForbiddenCommand_reportsTheRollbackTask() throws IOException {
    replace(DISK + "playbook.yml", "argv: [rmdir, --, \"{{ run_archive }}\"]", "argv: [sh, -c, \"mkfs.ext4 /dev/sdb\"]");

    String at = DISK + "playbook.yml:" + line(DISK + "playbook.yml", "- name: Remove empty archive directory of this run")
        + ": rollback \"Remove empty archive directory of this run\": forbidden command: ";
    assertThat(errors()).containsExactlyInAnyOrder(at + "mkfs (formats a filesystem)",
        at + "mkfs (mkfs formats a filesystem)");
  }

  @Test
  void validate_whenAStepVerificationComesAfterTheNextStep_reportsItsMetaLineNamingTheStep() throws IOException {
    replace(DISK + "meta.yml", "    rollback: Remove empty archive directory of this run\n",
        "    rollback: Remove empty archive directory of this run\n"
            + "    verification: Check no rotated log older than retention is left\n");

    int at = line(DISK + "meta.yml", "    rollback: Remove empty archive directory of this run") + 1;
    assertThat(errors()).containsExactly(DISK + "meta.yml:" + at + ": verification of step \"Create archive"
        + " directory for this run\": \"Check no rotated log older than retention is left\" must come after its step"
        + " and before the next step \"Move rotated logs to the archive\" in the play: a whole-play pass runs it where"
        + " it stands");
  }

  @Test
  void validate_whenAStepVerificationWrites_reportsItsTaskLineNamingTheStep() throws IOException {
    String play = "playbooks/service-down-restart/playbook.yml";
    replace(play, "argv: [systemctl, is-active, \"{{ unit }}\"]", "argv: [systemctl, restart, \"{{ unit }}\"]");

    assertThat(errors()).singleElement().asString()
        .startsWith(play + ":" + line(play, "- name: Check the service unit is active") + ": verification of step"
            + " \"Restart the service unit\": \"Check the service unit is active\" must only read, but it ")
        .endsWith(": safe_write");
  }

  @Test
  void validate_whenAStepVerificationIsNotTaggedRemediate_reportsTheMetaLine() throws IOException {
    String play = "playbooks/service-down-restart/playbook.yml";
    replace(play, "    - name: Check the service unit is active\n      tags: [remediate]",
        "    - name: Check the service unit is active\n      tags: [verify]");

    assertThat(errors()).singleElement().asString().matches("playbooks/service-down-restart/meta\\.yml:\\d+: step"
        + " 'Restart the service unit': verification: task 'Check the service unit is active' \\(.*\\) is not tagged"
        + " 'remediate'");
  }

  @Test
  void validate_whenACriticalWriteLosesItsRollback_reportsTheStep() throws IOException {
    String meta = "playbooks/crash-loop-rollback/meta.yml";
    replace(meta, "    rollback: Roll forward to the revision that was rolled back\n", "");

    assertThat(errors()).containsExactly(meta + ":" + line(meta, "  - task: Roll back deployment to previous revision")
        + ": step \"Roll back deployment to previous revision\": critical_write step has no rollback: add a task"
        + " tagged [rollback, never] that undoes it");
  }

  @Test
  void validate_whenATestCaseExpectsAnotherPlaybook_reportsTheExpectedLine() throws IOException {
    String expected = DISK + "tests/checkout-api-var-log-full/expected.yml";
    replace(expected, "playbook: disk-full-log-cleanup", "playbook: service-down-restart");

    assertThat(errors()).containsExactly(expected + ":3: expected playbook 'service-down-restart' but the matcher"
        + " picked 'disk-full-log-cleanup' (anomaly_type, confidence 0.8)");
  }

  @Test
  void validate_whenAnAlertIsDetectedDifferently_reportsTheAnomalyTypeAndSignature() throws IOException {
    String alert = DISK + "tests/checkout-api-var-log-full/alert.json";
    replace(alert, "\"service\": \"checkout-api\",", "\"service\": \"cart-api\",");

    assertThat(errors()).containsExactly(DISK + "tests/checkout-api-var-log-full/expected.yml:2: expected signature"
        + " 'disk_full|checkout-api|us-east-1' but detection gave 'disk_full|cart-api|us-east-1'");
  }

  @Test
  void validate_whenMetaHasAnUnknownKey_reportsTheCatalogLoadersFileAndLine() throws IOException {
    replace(DISK + "meta.yml", "status: ACTIVE\n", "status: ACTIVE\nowner: sre\n");

    assertThat(errors()).singleElement().asString().startsWith(DISK + "meta.yml:" + line(DISK + "meta.yml", "owner: sre")
        + ": meta.yml: unknown key 'owner'");
  }

  @Test
  void validate_whenAPolicyBreaksItsSchema_reportsEachProblem() throws IOException {
    String policy = "policies/default.yml";
    replace(policy, "min_confidence: 0.9", "min_confidence: 2");
    replace(policy, "  critical_write: always", "  critical_write: never");
    replace(policy, "pattern: '\\bmkfs(\\.[a-z0-9]+)?\\b'", "pattern: '\\bmkfs(('");

    assertThat(errors()).containsExactly(
        policy + ":" + line(policy, "min_confidence: 2") + ": min_confidence must be a number from 0.0 to 1.0",
        policy + ":" + line(policy, "  critical_write: never") + ": critical_write must be one of [always], not 'never'",
        policy + ":" + line(policy, "pattern: '\\bmkfs((") + ": forbidden command 'mkfs': invalid pattern: Unclosed group");
  }

  @Test
  void validate_whenAPolicysRateControlIsOutOfRange_reportsEachKey() throws IOException {
    String policy = "policies/default.yml";
    replace(policy, "min_confidence: 0.9\n", "min_confidence: 0.9\nmax_concurrency: 0\nmax_errors: 101%\n");

    assertThat(errors()).containsExactly(
        policy + ":" + line(policy, "max_concurrency: 0") + ": max_concurrency '0' does not match "
            + dev.reflex.domain.policy.Policy.MAX_CONCURRENCY,
        policy + ":" + line(policy, "max_errors: 101%") + ": max_errors '101%' does not match "
            + dev.reflex.domain.policy.Policy.MAX_ERRORS);
  }

  @Test
  void validate_whenAScopedPolicyOverridesSomeKeys_acceptsWhatThePolicyEngineAccepts() throws IOException {
    Files.writeString(repo.resolve("policies/payments.yml"), """
        version: 1
        applies_to: {categories: [db_connection_pool_exhausted], services: [payment-api]}
        enabled: true
        min_reliability: 80
        auto_approve_threshold: 95
        allowed_action_types: [read_only, safe_write]
        cooldown_after_action: 15m
        max_targets: 3
        approvals_required: 2
        """);

    assertThat(errors()).isEmpty();
  }

  @Test
  void validate_whenASecondDefaultPolicyExists_reportsWhatThePolicyEngineWouldRefuse() throws IOException {
    Files.copy(repo.resolve("policies/default.yml"), repo.resolve("policies/zz-copy.yml"));

    assertThat(errors()).singleElement().asString()
        .startsWith("policies/zz-copy.yml:1: ")
        .contains("a second default policy (no applies_to); the first is policies/default.yml");
  }

  @Test
  void validate_whenAScopedPolicyNamesNoScope_reportsTheAppliesToLine() throws IOException {
    Files.writeString(repo.resolve("policies/empty-scope.yml"), """
        version: 1
        applies_to: {categories: []}
        max_targets: 3
        """);

    assertThat(errors()).singleElement().asString()
        .startsWith("policies/empty-scope.yml:2: ")
        .contains("applies_to needs categories or services");
  }

  @Test
  void run_whenErrorsAreFound_printsFileLineMessagesAndExitsOne() throws IOException {
    replace(DISK + "playbook.yml", "\"{{ log_dir }}\"]\n      register: usage_before", "\"{{ log_root }}\"]\n      register: usage_before");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int exit = ValidateCommand.run(new String[] {repo.toString(), "--no-ansible"}, new PrintStream(out), System.err);

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith(DISK + "playbook.yml:")
        .contains("invalid: 6 playbooks, 6 test cases, 1 error, 0 warnings");
  }

  static final String DB_POOL = "playbooks/db-connection-pool-exhaustion/";

  @Test
  void validate_whenThePlayVarsHoldAnotherDefaultThanMeta_reportsTheParameterLine() throws IOException {
    replace(DB_POOL + "playbook.yml", "    prometheus_url: http://prometheus.monitoring.svc:9090\n",
        "    prometheus_url: http://prometheus.observability.svc:9090\n");

    assertThat(errors()).containsExactly(DB_POOL + "meta.yml:" + line(DB_POOL + "meta.yml", "- name: prometheus_url")
        + ": parameter 'prometheus_url' has default \"http://prometheus.monitoring.svc:9090\" but the play's vars set"
        + " it to \"http://prometheus.observability.svc:9090\" (" + DB_POOL + "playbook.yml:"
        + line(DB_POOL + "playbook.yml", "    prometheus_url:") + "): they must agree");
  }

  @Test
  void validate_whenThePlayVarsLackADefault_reportsTheParameterLine() throws IOException {
    replace(DB_POOL + "playbook.yml", "    pool_size: \"40\"\n", "");

    assertThat(errors()).containsExactly(DB_POOL + "meta.yml:" + line(DB_POOL + "meta.yml", "- name: pool_size")
        + ": parameter 'pool_size' has a default that the play's vars do not set: add pool_size: \"40\" to the vars"
        + " of " + DB_POOL + "playbook.yml (an executor may leave a value equal to its default out)");
  }

  private List<String> errors() {
    return offline.validate(repo).errors().stream().map(Diagnostic::toString).toList();
  }

  private void replace(String file, String from, String to) throws IOException {
    Path path = repo.resolve(file);
    String text = Files.readString(path);
    assertThat(text).as(file).contains(from);
    Files.writeString(path, text.replace(from, to));
  }

  /** 1-based line of the first line containing {@code snippet}. */
  private int line(String file, String snippet) throws IOException {
    List<String> lines = Files.readAllLines(repo.resolve(file));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(snippet)) {
        return i + 1;
      }
    }
    throw new AssertionError(snippet + " not in " + file);
  }
}
