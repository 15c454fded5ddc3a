package dev.reflex.adapters.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.detection.DetectionRules;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePlaybookCatalogTest {

  static final Path TEMPLATE = Paths.get("../../playbook-repo-template");

  @TempDir Path repo;

  @Test
  void load_whenTemplateRepository_readsSixPlaybooksWithStepsRiskAndRollback() {
    FilePlaybookCatalog catalog = new FilePlaybookCatalog(TEMPLATE);

    assertThat(catalog.playbooks()).hasSize(6);
    assertThat(catalog.playbooks()).extracting(Playbook::id).contains(
        "db-connection-pool-exhaustion", "disk-full-log-cleanup", "crash-loop-rollback");
    for (Playbook playbook : catalog.playbooks()) {
      assertThat(playbook.source()).isEqualTo(PlaybookSource.CATALOG);
      assertThat(playbook.status()).isEqualTo(PlaybookStatus.ACTIVE);
      assertThat(playbook.steps()).isNotEmpty();
      assertThat(playbook.verification()).as(playbook.id()).isNotNull();
      assertThat(playbook.parameters()).allSatisfy(p -> assertThat(p.pattern()).isNotBlank());
    }
    Playbook pool = catalog.find("db-connection-pool-exhaustion").orElseThrow();
    assertThat(pool.stats().confidence()).isEqualTo(0.85);
    assertThat(pool.anomalyTypes()).contains("db_connection_pool_exhausted");
    PlaybookStep raise = pool.steps().stream().filter(s -> s.name().equals("Raise connection pool size"))
        .findFirst().orElseThrow();
    assertThat(raise.declaredRisk()).isEqualTo(RiskClass.SAFE_WRITE);
    assertThat(raise.action().module()).isEqualTo("ansible.builtin.command");
    assertThat(raise.action().commandText()).startsWith("kubectl --namespace {{ k8s_namespace }} patch configmap");
    assertThat(raise.rollback()).isNotNull();
    assertThat(raise.rollback().name()).isEqualTo("Restore connection pool size");
    assertThat(pool.verification().module()).isEqualTo("ansible.builtin.uri");
    assertThat(catalog.playbookFile("db-connection-pool-exhaustion")).get().asString()
        .contains("hosts: \"{{ reflex_targets | default('localhost') }}\"");
    assertThat(catalog.playbooks()).anySatisfy(p -> assertThat(p.steps())
        .anySatisfy(s -> assertThat(s.declaredRisk()).isEqualTo(RiskClass.CRITICAL_WRITE)));
  }

  @Test
  void detectionRules_whenTemplateRepository_parsesRulesInOrder() {
    DetectionRules rules = new FilePlaybookCatalog(TEMPLATE).detectionRules();

    assertThat(rules.serviceLabels()).startsWith("service");
    assertThat(rules.scopeLabels()).contains("region", "namespace");
    assertThat(rules.severityLabel()).isEqualTo("severity");
    assertThat(rules.rules().get(0).anomalyType()).isEqualTo("db_connection_pool_exhausted");
    assertThat(rules.rules().get(rules.rules().size() - 1).anomalyType()).isEqualTo("unknown");
    assertThat(rules.rules().stream().filter(r -> r.matches("HikariPoolExhausted")).findFirst().orElseThrow()
        .anomalyType()).isEqualTo("db_connection_pool_exhausted");
  }

  @Test
  void load_whenStepNamesMissingTask_failsWithMetaFileAndLine() throws IOException {
    write("restart", META.replace("task: Restart service", "task: Restart servce"), PLAYBOOK);

    assertThatThrownBy(() -> new FilePlaybookCatalog(repo))
        .isInstanceOf(CatalogException.class)
        .hasMessage("playbooks/restart/meta.yml:12: no task named 'Restart servce' in playbooks/restart/playbook.yml");
  }

  @Test
  void load_whenParameterHasNoPattern_failsWithLineOfParameter() throws IOException {
    write("restart", META.replace("    pattern: '^[a-z0-9-]{1,63}$'\n", ""), PLAYBOOK);

    assertThatThrownBy(() -> new FilePlaybookCatalog(repo))
        .isInstanceOf(CatalogException.class)
        .hasMessageStartingWith("playbooks/restart/meta.yml:8: parameter 'service' has no validation pattern");
  }

  @Test
  void load_whenRiskClassUnknown_failsWithLineOfRisk() throws IOException {
    write("restart", META.replace("risk: safe_write", "risk: harmless"), PLAYBOOK);

    assertThatThrownBy(() -> new FilePlaybookCatalog(repo))
        .isInstanceOf(CatalogException.class)
        .hasMessageStartingWith("playbooks/restart/meta.yml:13: step 'Restart service': risk class must be");
  }

  @Test
  void load_whenRollbackTaskNotTaggedRollback_fails() throws IOException {
    write("restart", META, PLAYBOOK.replace("tags: [rollback, never]", "tags: [remediate]"));

    assertThatThrownBy(() -> new FilePlaybookCatalog(repo))
        .isInstanceOf(CatalogException.class)
        .hasMessage("playbooks/restart/meta.yml:14: task 'Stop service again' (playbooks/restart/playbook.yml:14)"
            + " is not tagged 'rollback'");
  }

  @Test
  void load_whenYamlSyntaxBroken_failsWithPlaybookFileAndLine() throws IOException {
    write("restart", META, PLAYBOOK.replace("      ansible.builtin.systemd:", "    ansible.builtin.systemd: [oops"));

    assertThatThrownBy(() -> new FilePlaybookCatalog(repo))
        .isInstanceOf(CatalogException.class)
        .hasMessageStartingWith("playbooks/restart/playbook.yml:")
        .hasMessageContaining("invalid YAML");
  }

  @Test
  void load_whenMetaKeyMisspelt_failsNamingTheKey() throws IOException {
    write("restart", META.replace("anomaly_types:", "anomaly_type:"), PLAYBOOK);

    assertThatThrownBy(() -> new FilePlaybookCatalog(repo))
        .isInstanceOf(CatalogException.class)
        .hasMessageStartingWith("playbooks/restart/meta.yml:5: meta.yml: unknown key 'anomaly_type'");
  }

  @Test
  void load_whenIdDiffersFromFolder_fails() throws IOException {
    write("restart-other", META, PLAYBOOK);

    assertThatThrownBy(() -> new FilePlaybookCatalog(repo))
        .isInstanceOf(CatalogException.class)
        .hasMessage("playbooks/restart-other/meta.yml:1: id 'restart' differs from its folder name 'restart-other'");
  }

  @Test
  void detectionRules_whenPatternInvalid_failsWithLine() {
    String yaml = "service_labels: [service]\nscope_labels: [region]\nrules:\n"
        + "  - anomaly_type: high_latency\n    alertname_pattern: '(unclosed'\n";

    assertThatThrownBy(() -> FilePlaybookCatalog.parseDetectionRules(yaml, "rules/detection.yml"))
        .isInstanceOf(CatalogException.class)
        .hasMessageStartingWith("rules/detection.yml:5: rule 'high_latency': invalid alertname_pattern");
  }

  static final String META = """
      id: restart
      version: 1.0.0
      title: Restart a service
      source: catalog
      anomaly_types: [service_down]
      signature_patterns: ["service_down|*|*"]
      parameters:
        - name: service
          pattern: '^[a-z0-9-]{1,63}$'
          required: true
      steps:
        - task: Restart service
          risk: safe_write
          rollback: Stop service again
      verification:
        task: Check it answers
        timeout_seconds: 60
      confidence: 0.8
      status: ACTIVE
      """;

  static final String PLAYBOOK = """
      ---
      - name: Restart a service
        hosts: "{{ reflex_targets | default('localhost') }}"
        gather_facts: false
        tasks:
          - name: Restart service
            tags: [remediate]
            ansible.builtin.systemd:
              name: "{{ service }}"
              state: restarted
          - name: Check it answers
            tags: [verify]
            ansible.builtin.uri: {url: "http://localhost:8080/health"}
          - name: Stop service again
            tags: [rollback, never]
            ansible.builtin.systemd: {name: "{{ service }}", state: stopped}
      """;

  private void write(String folder, String meta, String playbook) throws IOException {
    Path dir = Files.createDirectories(repo.resolve("playbooks").resolve(folder));
    Files.writeString(dir.resolve("meta.yml"), meta);
    Files.writeString(dir.resolve("playbook.yml"), playbook);
    Files.createDirectories(repo.resolve("rules"));
    Files.writeString(repo.resolve("rules/detection.yml"),
        "service_labels: [service]\nscope_labels: [region]\nrules:\n  - anomaly_type: unknown\n    alertname_pattern: '.*'\n");
  }
}
