package dev.reflex.domain.gate;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlaybookGateTest {

  private final PlaybookGate gate = PlaybookGate.defaults();

  static final Parameter SERVICE = new Parameter("service", "", "service", "^[a-z0-9][a-z0-9-]{0,62}$", null, true);
  static final StepAction CHECK = StepAction.of("Check health", "ansible.builtin.uri",
      Map.of("url", "http://{{ service }}.internal/health", "status_code", 200));
  static final StepAction RESTART = StepAction.of("Restart service", "ansible.builtin.systemd_service",
      Map.of("name", "{{ service }}", "state", "restarted"));
  static final StepAction STOP = StepAction.of("Stop service", "ansible.builtin.systemd_service",
      Map.of("name", "{{ service }}", "state", "stopped"));

  static Playbook playbook(String guidance, List<Parameter> parameters, StepAction verification, PlaybookStep... steps) {
    return new Playbook("gate-test", "1.0.0", "Gate test", PlaybookSource.LEARNED, PlaybookStatus.PENDING_REVIEW,
        List.of("service_down"), List.of(), null, "", guidance, parameters, List.of(steps), verification,
        PlaybookStats.initial(0.75), List.of(), "", null, null, 0);
  }

  static PlaybookStep step(StepAction action, RiskClass declared, StepAction rollback) {
    return new PlaybookStep(action, declared, rollback);
  }

  @Test
  void check_whenEverythingIsDeclaredAndHonest_passesWithoutFindings() {
    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK,
        step(RESTART, RiskClass.SAFE_WRITE, STOP)));

    assertThat(result.findings()).isEmpty();
    assertThat(result.passes()).isTrue();
    assertThat(result.summary()).isEqualTo("passed");
  }

  @Test
  void check_whenArgumentsUseAnUndeclaredVariable_failsNamingTheVariableAndStep() {
    StepAction usesUndeclared = StepAction.of("Restart unit", "ansible.builtin.systemd_service",
        Map.of("name", "{{ unit_name | quote }}", "state", "restarted"));

    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, step(usesUndeclared, RiskClass.SAFE_WRITE, STOP)));

    assertThat(result.passes()).isFalse();
    assertThat(result.errors()).extracting(Finding::toString)
        .containsExactly("error: step \"Restart unit\": uses {{ unit_name }} but no parameter declares it");
  }

  @Test
  void check_whenThePlayDefinesTheVariable_acceptsIt() {
    StepAction usesPlayVar = StepAction.of("Restart unit", "ansible.builtin.systemd_service",
        Map.of("name", "{{ unit_name }}", "state", "restarted"));

    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, step(usesPlayVar, RiskClass.SAFE_WRITE, STOP)),
        Set.of("unit_name"));

    assertThat(result.passes()).isTrue();
  }

  @Test
  void check_whenJinjaUsesAttributesFiltersTestsAndLiterals_reportsOnlyTheVariables() {
    StepAction expression = StepAction.of("Show", "ansible.builtin.debug", Map.of("msg",
        "{{ item.path | default('x') }} {{ service is regex('^a$', match_type='fullmatch') }} {{ lookup('env', 'HOME') }}"
            + " {{ missing['key'] }}"));

    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, step(expression, RiskClass.READ_ONLY, null)));

    assertThat(result.errors()).extracting(Finding::message)
        .containsExactly("uses {{ missing }} but no parameter declares it");
  }

  @Test
  void check_whenASafeWriteStepDeletesData_failsNamingTheStepAndTheComputedRisk() {
    StepAction delete = StepAction.of("Clean logs", "ansible.builtin.command",
        Map.of("argv", List.of("rm", "-f", "/var/log/{{ service }}/old.log")));

    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, step(delete, RiskClass.SAFE_WRITE, STOP)));

    assertThat(result.errors()).extracting(Finding::toString)
        .containsExactly("error: step \"Clean logs\": declared safe_write but deletes data (rm): critical_write");
  }

  @Test
  void check_whenAStepDeclaresMoreRiskThanComputed_passes() {
    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, step(RESTART, RiskClass.CRITICAL_WRITE, STOP)));

    assertThat(result.passes()).isTrue();
  }

  @Test
  void check_whenARollbackHoldsAForbiddenCommand_fails() {
    StepAction wipe = StepAction.of("Undo everything", "ansible.builtin.shell", Map.of("cmd", "rm -rf / --no-preserve-root"));

    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, step(RESTART, RiskClass.SAFE_WRITE, wipe)));

    assertThat(result.errors()).extracting(Finding::toString)
        .containsExactly("error: rollback \"Undo everything\": forbidden command: rm -rf of the root directory");
  }

  @Test
  void check_whenTheVerificationHoldsAForbiddenCommand_fails() {
    StepAction verification = StepAction.of("Verify", "ansible.builtin.command",
        Map.of("argv", List.of("sh", "-c", "mkfs.ext4 /dev/sdb")));

    GateResult result = gate.check(playbook("", List.of(SERVICE), verification, step(RESTART, RiskClass.SAFE_WRITE, STOP)));

    assertThat(result.errors()).extracting(Finding::location).extracting(Finding.Location::toString)
        .contains("verification \"Verify\"");
    assertThat(result.errors()).extracting(Finding::message).contains("forbidden command: mkfs (formats a filesystem)");
  }

  @Test
  void check_whenACriticalWriteHasNoRollback_fails() {
    StepAction undo = StepAction.of("Roll back deployment", "ansible.builtin.command",
        Map.of("argv", List.of("kubectl", "rollout", "undo", "deployment/{{ service }}")));

    GateResult result = gate.check(playbook("no rollback is possible", List.of(SERVICE), CHECK,
        step(undo, RiskClass.CRITICAL_WRITE, null)));

    assertThat(result.errors()).extracting(Finding::toString).containsExactly(
        "error: step \"Roll back deployment\": critical_write step has no rollback: add a task tagged"
            + " [rollback, never] that undoes it");
  }

  @Test
  void check_whenASafeWriteHasNoRollbackAndNoExplanation_warnsButPasses() {
    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, step(RESTART, RiskClass.SAFE_WRITE, null)));

    assertThat(result.passes()).isTrue();
    assertThat(result.warnings()).extracting(Finding::message)
        .containsExactly("safe_write step has no rollback and the guidance does not say why none is possible");
    assertThat(result.summary()).isEqualTo("passed with 1 warning");
  }

  @Test
  void check_whenGuidanceExplainsWhyThereIsNoRollback_hasNoFinding() {
    GateResult result = gate.check(playbook("A restart has no rollback: the state before it is the outage.",
        List.of(SERVICE), CHECK, step(RESTART, RiskClass.SAFE_WRITE, null)));

    assertThat(result.findings()).isEmpty();
  }

  @Test
  void check_whenVerificationIsMissing_fails() {
    GateResult result = gate.check(playbook("", List.of(SERVICE), null, step(RESTART, RiskClass.SAFE_WRITE, STOP)));

    assertThat(result.errors()).extracting(Finding::toString).containsExactly(
        "error: playbook: no verification: add a task tagged [verify] that checks the alert's symptom is gone");
  }

  @Test
  void check_whenVerificationWrites_fails() {
    GateResult result = gate.check(playbook("", List.of(SERVICE), RESTART, step(RESTART, RiskClass.SAFE_WRITE, STOP)));

    assertThat(result.errors()).extracting(Finding::message)
        .containsExactly("verification must only read, but it restarts a service: safe_write");
  }

  @Test
  void check_whenAPatternAcceptsShellMetacharacters_warns() {
    Parameter loose = new Parameter("target", "", null, ".*", null, false);

    GateResult result = gate.check(playbook("", List.of(SERVICE, loose), CHECK, step(RESTART, RiskClass.SAFE_WRITE, STOP)));

    assertThat(result.passes()).isTrue();
    assertThat(result.warnings()).extracting(Finding::toString).singleElement().asString()
        .startsWith("warning: parameter 'target': pattern .* accepts 'x; rm -rf /'");
  }

  @Test
  void check_whenAParameterIsDeclaredTwice_fails() {
    GateResult result = gate.check(playbook("", List.of(SERVICE, SERVICE), CHECK, step(RESTART, RiskClass.SAFE_WRITE, STOP)));

    assertThat(result.errors()).extracting(Finding::toString).containsExactly("error: parameter 'service': declared twice");
  }

  // ---------------------------------------------------------------- a step's own verification

  static final StepAction UNIT_ACTIVE = StepAction.of("Check unit is active", "ansible.builtin.command",
      Map.of("argv", List.of("systemctl", "is-active", "{{ service }}")));

  static PlaybookStep checked(StepAction action, StepAction rollback, StepAction verification) {
    return new PlaybookStep(action, RiskClass.SAFE_WRITE, rollback, verification);
  }

  @Test
  void check_whenAStepVerificationOnlyReadsAndFollowsItsStep_passes() {
    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, checked(RESTART, STOP, UNIT_ACTIVE),
        step(CHECK, RiskClass.READ_ONLY, null)), Set.of(), List.of("Restart service", "Check unit is active",
        "Check health"));

    assertThat(result.findings()).isEmpty();
  }

  @Test
  void check_whenAStepVerificationIsClassifiedAsAWrite_failsNamingTheStep() {
    StepAction restartsAgain = StepAction.of("Make sure it runs", "ansible.builtin.command",
        Map.of("argv", List.of("systemctl", "restart", "{{ service }}")));

    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, checked(RESTART, STOP, restartsAgain)));

    assertThat(result.passes()).isFalse();
    assertThat(result.errors()).extracting(Finding::toString).singleElement().asString()
        .startsWith("error: verification of step \"Restart service\": \"Make sure it runs\" must only read, but it")
        .endsWith(": safe_write");
  }

  @Test
  void check_whenAStepVerificationComesAfterTheNextStep_failsNamingTheStep() {
    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, checked(RESTART, STOP, UNIT_ACTIVE),
        step(CHECK, RiskClass.READ_ONLY, null)), Set.of(), List.of("Restart service", "Check health",
        "Check unit is active"));

    assertThat(result.errors()).extracting(Finding::toString).containsExactly(
        "error: verification of step \"Restart service\": \"Check unit is active\" must come after its step and"
            + " before the next step \"Check health\" in the play: a whole-play pass runs it where it stands");
  }

  @Test
  void check_whenAStepVerificationComesBeforeItsStep_fails() {
    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, checked(RESTART, STOP, UNIT_ACTIVE)),
        Set.of(), List.of("Check unit is active", "Restart service"));

    assertThat(result.errors()).extracting(Finding::message).singleElement().asString()
        .contains("must come after its step and before the end of the play");
  }

  @Test
  void check_whenAStepVerificationIsNotARemediateTaskOfThePlay_fails() {
    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, checked(RESTART, STOP, UNIT_ACTIVE)),
        Set.of(), List.of("Restart service"));

    assertThat(result.errors()).extracting(Finding::message).singleElement().asString()
        .startsWith("\"Check unit is active\" is not a task tagged remediate in the play");
  }

  @Test
  void check_whenAStepVerificationIsAlsoAStep_fails() {
    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, checked(RESTART, STOP, CHECK),
        step(CHECK, RiskClass.READ_ONLY, null)));

    assertThat(result.errors()).extracting(Finding::toString).containsExactly(
        "error: verification of step \"Restart service\": \"Check health\" is also a step: a verification is a"
            + " task of its own");
  }

  @Test
  void check_whenAStepVerificationHoldsAForbiddenCommandOfAPolicy_fails() {
    PlaybookGate withPolicy = new PlaybookGate(new dev.reflex.domain.risk.RiskClassifier(),
        dev.reflex.domain.risk.ForbiddenCommands.ofRules(List.of(new dev.reflex.domain.risk.ForbiddenCommands.Rule(
            "no-systemctl-reads (policy)", java.util.regex.Pattern.compile("systemctl is-active")))));

    GateResult result = withPolicy.check(playbook("", List.of(SERVICE), CHECK, checked(RESTART, STOP, UNIT_ACTIVE)));

    assertThat(result.errors()).extracting(Finding::toString).containsExactly(
        "error: verification of step \"Restart service\": forbidden command: no-systemctl-reads (policy)");
  }

  @Test
  void check_whenAStepVerificationUsesAnUndeclaredVariable_fails() {
    StepAction undeclared = StepAction.of("Check unit", "ansible.builtin.command",
        Map.of("argv", List.of("systemctl", "is-active", "{{ unit }}")));

    GateResult result = gate.check(playbook("", List.of(SERVICE), CHECK, checked(RESTART, STOP, undeclared)));

    assertThat(result.errors()).extracting(Finding::toString).containsExactly(
        "error: verification of step \"Restart service\": uses {{ unit }} but no parameter declares it");
  }
}
