package dev.reflex.adapters.files;

import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.model.StepAction;
import java.util.List;
import java.util.Map;

/** Playbooks for tests. */
final class TestPlaybooks {

  static final String NAME_PATTERN = "^[a-z0-9][a-z0-9._-]{0,62}$";

  private TestPlaybooks() {}

  static Parameter service() {
    return new Parameter("service", "the deployment", "service", NAME_PATTERN, null, true);
  }

  static Parameter namespace() {
    return new Parameter("namespace", "the namespace", "namespace", NAME_PATTERN, "default", false);
  }

  /** A learned draft: kubectl steps, a rollback, a verification. */
  static Playbook learnedDraft() {
    StepAction inspect = StepAction.of("Inspect deployment", "ansible.builtin.command",
        Map.of("argv", List.of("kubectl", "-n", "{{ namespace }}", "describe", "deployment/{{ service }}")));
    StepAction scaleUp = StepAction.of("Scale up", "ansible.builtin.command",
        Map.of("argv", List.of("kubectl", "-n", "{{ namespace }}", "scale", "deployment/{{ service }}", "--replicas=4")));
    StepAction scaleDown = StepAction.of("Scale back down", "ansible.builtin.command",
        Map.of("argv", List.of("kubectl", "-n", "{{ namespace }}", "scale", "deployment/{{ service }}", "--replicas=2")));
    StepAction restart = StepAction.of("Restart unit", "ansible.builtin.systemd_service",
        Map.of("name", "{{ service }}", "state", "restarted"));
    StepAction health = StepAction.of("Check health", "ansible.builtin.uri",
        Map.of("url", "http://{{ service }}.{{ namespace }}.svc:8080/health", "method", "GET", "status_code", 200));
    return new Playbook("learned-high-latency-payment-api-india", "1.0.0", "Scale payment-api on high latency",
        PlaybookSource.LEARNED, PlaybookStatus.PENDING_REVIEW, List.of("high_latency"),
        List.of("high_latency|payment-api|india"), Signature.parse("high_latency|payment-api|india"),
        "Drafted from incident inc-1.\nSecond line: yes, no, true, null, 'quotes' and \"double\".",
        "Run only when the pool is saturated.", List.of(service(), namespace()),
        List.of(new PlaybookStep(inspect, RiskClass.READ_ONLY, null),
            new PlaybookStep(scaleUp, RiskClass.SAFE_WRITE, scaleDown),
            new PlaybookStep(restart, RiskClass.SAFE_WRITE, null)),
        health, PlaybookStats.initial(0.6), List.of("inc-1"), "high latency payment-api", null, null, 0);
  }

  /** {@code playbook} with {@code check} as step {@code stepIndex}'s own verification. */
  static Playbook withStepVerification(Playbook p, int stepIndex, StepAction check) {
    List<PlaybookStep> steps = new java.util.ArrayList<>(p.steps());
    steps.set(stepIndex, steps.get(stepIndex).withVerification(check));
    return new Playbook(p.id(), p.version(), p.title(), p.source(), p.status(), p.anomalyTypes(), p.signaturePatterns(),
        p.signature(), p.description(), p.guidance(), p.parameters(), steps, p.verification(), p.stats(),
        p.supportingIncidents(), p.evidenceText(), p.branch(), p.commitSha(), p.revision());
  }

  /** The learned draft whose "Scale up" step checks its rollout. */
  static Playbook learnedDraftWithStepVerification() {
    return withStepVerification(learnedDraft(), 1, StepAction.of("Check the rollout", "ansible.builtin.command",
        Map.of("argv", List.of("kubectl", "-n", "{{ namespace }}", "rollout", "status", "deployment/{{ service }}"))));
  }
}
