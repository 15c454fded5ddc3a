package dev.reflex.adapters.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookYamlTest {

  @TempDir Path dir;

  @Test
  void parse_whenRenderedDraft_returnsTheSamePlaybook() {
    Playbook draft = TestPlaybooks.learnedDraft();

    Playbook parsed = PlaybookYaml.parse(PlaybookYaml.renderMeta(draft), "meta.yml",
        PlaybookYaml.renderPlaybook(draft), "playbook.yml");

    assertThat(parsed).isEqualTo(draft);
  }

  @Test
  void parse_whenRenderedDraftWithAStepVerification_returnsTheSamePlaybook() {
    Playbook draft = TestPlaybooks.learnedDraftWithStepVerification();

    String meta = PlaybookYaml.renderMeta(draft);
    Playbook parsed = PlaybookYaml.parse(meta, "meta.yml", PlaybookYaml.renderPlaybook(draft), "playbook.yml");

    assertThat(parsed).isEqualTo(draft);
    assertThat(meta).contains("""
          - task: Scale up
            risk: safe_write
            rollback: Scale back down
            verification: Check the rollout
        """);
  }

  @Test
  void renderPlaybook_putsAStepVerificationRightAfterItsStepWithATagOfItsOwn() {
    String yaml = PlaybookYaml.renderPlaybook(TestPlaybooks.learnedDraftWithStepVerification());

    List<PlaybookYaml.AnsibleTask> tasks = PlaybookYaml.tasks(yaml, "playbook.yml");

    assertThat(tasks).extracting(PlaybookYaml.AnsibleTask::name).containsExactly("Validate parameters",
        "Inspect deployment", "Scale up", "Check the rollout", "Restart unit", "Check health", "Scale back down");
    assertThat(tasks.get(3).tags()).containsExactlyInAnyOrder("remediate", "verify_step_2");
  }

  @Test
  void renderPlaybook_whenAStepVerificationIsNamedLikeAStep_makesTheNamesUnique() {
    Playbook draft = TestPlaybooks.withStepVerification(TestPlaybooks.learnedDraft(), 1,
        StepAction.of("Restart unit", "ansible.builtin.command", Map.of("argv", List.of("true"))));

    Playbook parsed = PlaybookYaml.parse(PlaybookYaml.renderMeta(draft), "meta.yml",
        PlaybookYaml.renderPlaybook(draft), "playbook.yml");

    assertThat(parsed.steps()).extracting(s -> s.verification() == null ? null : s.verification().name())
        .containsExactly(null, "Restart unit", null);
    assertThat(parsed.steps().get(2).name()).isEqualTo("Restart unit (2)");
  }

  @Test
  void parse_whenAStepVerificationIsNotTaggedRemediate_failsNamingTheStepAndLine() {
    String meta = PlaybookYaml.renderMeta(TestPlaybooks.learnedDraft())
        .replace("    rollback: Scale back down\n", "    rollback: Scale back down\n    verification: Check health\n");

    assertThatThrownBy(() -> PlaybookYaml.parse(meta, "meta.yml",
        PlaybookYaml.renderPlaybook(TestPlaybooks.learnedDraft()), "playbook.yml"))
        .isInstanceOf(CatalogException.class)
        .hasMessageMatching("meta\\.yml:\\d+: step 'Scale up': verification: task 'Check health' \\(playbook\\.yml:\\d+\\)"
            + " is not tagged 'remediate'");
  }

  @Test
  void parse_whenMetaHasNoStepVerification_loadsStepsWithoutOne() {
    Playbook parsed = PlaybookYaml.parse(PlaybookYaml.renderMeta(TestPlaybooks.learnedDraft()), "meta.yml",
        PlaybookYaml.renderPlaybook(TestPlaybooks.learnedDraft()), "playbook.yml");

    assertThat(parsed.steps()).allSatisfy(step -> assertThat(step.verification()).isNull());
  }

  @Test
  void renderPlaybook_withAStepVerification_passesAnsibleSyntaxCheck() throws Exception {
    assumeTrue(AnsibleExecutor.available(), "ansible-playbook is not on PATH: syntax check skipped (CI installs it)");

    assertSyntaxOk(PlaybookYaml.renderPlaybook(TestPlaybooks.learnedDraftWithStepVerification()));
  }

  @Test
  void parse_whenFreeFormCommandWithArgs_keepsRawParamsAndArgs() {
    StepAction raw = StepAction.of("Show uptime", "ansible.builtin.command",
        Map.of("_raw_params", "uptime --pretty", "chdir", "/tmp"));
    Playbook draft = withSteps(List.of(new PlaybookStep(raw, RiskClass.READ_ONLY, null)));

    String yaml = PlaybookYaml.renderPlaybook(draft);
    Playbook parsed = PlaybookYaml.parse(PlaybookYaml.renderMeta(draft), "meta.yml", yaml, "playbook.yml");

    assertThat(yaml).contains("ansible.builtin.command: uptime --pretty").contains("chdir: /tmp");
    assertThat(parsed.steps().get(0).action()).isEqualTo(raw);
  }

  @Test
  void renderPlaybook_whenDraft_tagsTasksAndRollbacksInReverseOrder() {
    String yaml = PlaybookYaml.renderPlaybook(TestPlaybooks.learnedDraft());

    List<PlaybookYaml.AnsibleTask> tasks = PlaybookYaml.tasks(yaml, "playbook.yml");

    assertThat(yaml).contains("hosts: \"{{ reflex_targets | default('localhost') }}\"").contains("gather_facts: false");
    assertThat(tasks).extracting(PlaybookYaml.AnsibleTask::name).containsExactly("Validate parameters",
        "Inspect deployment", "Scale up", "Restart unit", "Check health", "Scale back down");
    assertThat(tasks.get(1).tags()).containsExactly("remediate");
    assertThat(tasks.get(4).tags()).containsExactly("verify");
    assertThat(tasks.get(5).tags()).containsExactlyInAnyOrder("rollback", "never", "rollback_step_2");
  }

  @Test
  void renderPlaybook_whenDraft_passesAnsibleSyntaxCheck() throws Exception {
    assumeTrue(AnsibleExecutor.available(), "ansible-playbook is not on PATH: syntax check skipped (CI installs it)");

    assertSyntaxOk(PlaybookYaml.renderPlaybook(TestPlaybooks.learnedDraft()));
  }

  @Test
  void renderPlaybook_whenEveryCatalogPlaybook_passesAnsibleSyntaxCheck() throws Exception {
    assumeTrue(AnsibleExecutor.available(), "ansible-playbook is not on PATH: syntax check skipped (CI installs it)");
    List<String> rendered = new ArrayList<>();
    for (Playbook playbook : new FilePlaybookCatalog(FilePlaybookCatalogTest.TEMPLATE).playbooks()) {
      rendered.add(PlaybookYaml.renderPlaybook(playbook));
    }

    assertSyntaxOk(rendered.toArray(String[]::new));
  }

  @Test
  void parse_whenCatalogPlaybookRendered_keepsStepsAndParameters() {
    for (Playbook playbook : new FilePlaybookCatalog(FilePlaybookCatalogTest.TEMPLATE).playbooks()) {
      Playbook again = PlaybookYaml.parse(PlaybookYaml.renderMeta(playbook), "meta.yml",
          PlaybookYaml.renderPlaybook(playbook), "playbook.yml");

      assertThat(again).as(playbook.id()).isEqualTo(playbook);
    }
  }

  private static Playbook withSteps(List<PlaybookStep> steps) {
    Playbook base = TestPlaybooks.learnedDraft();
    return new Playbook(base.id(), base.version(), base.title(), base.source(), base.status(), base.anomalyTypes(),
        base.signaturePatterns(), base.signature(), base.description(), base.guidance(),
        List.<Parameter>of(), steps, null, base.stats(), base.supportingIncidents(), base.evidenceText(),
        null, null, 0);
  }

  private void assertSyntaxOk(String... playbooks) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("ansible-playbook", "--syntax-check", "-i", "localhost,"));
    for (int i = 0; i < playbooks.length; i++) {
      Path file = dir.resolve("playbook-" + i + ".yml");
      Files.writeString(file, playbooks[i]);
      argv.add(file.toString());
    }
    Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
