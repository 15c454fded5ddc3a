package dev.reflex.testkit;

import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.model.StepAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test playbooks and steps. */
public final class Playbooks {

  public static final String SERVICE_PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$";

  private Playbooks() {}

  /** A catalog playbook for an anomaly type: inspect pods (read-only), then a rolling restart. */
  public static Playbook catalog(String id, String anomalyType, double confidence) {
    return builder(id).anomalyType(anomalyType).confidence(confidence).build();
  }

  /** A learned playbook drafted for {@code signature} (pending review). */
  public static Playbook learned(String id, Signature signature, double confidence) {
    return builder(id).source(PlaybookSource.LEARNED).status(PlaybookStatus.PENDING_REVIEW)
        .signature(signature).confidence(confidence).build();
  }

  public static PlaybookStep inspectPods() {
    return new PlaybookStep(StepAction.of("Inspect pods", "ansible.builtin.command",
        Map.of("argv", List.of("kubectl", "--namespace", "{{ namespace }}", "get", "pods"))), RiskClass.READ_ONLY, null);
  }

  public static PlaybookStep rollingRestart() {
    StepAction restart = StepAction.of("Rolling restart", "ansible.builtin.command",
        Map.of("argv", List.of("kubectl", "--namespace", "{{ namespace }}", "rollout", "restart",
            "deployment/{{ service }}")));
    return new PlaybookStep(restart, RiskClass.SAFE_WRITE, restart);
  }

  public static PlaybookStep shell(String name, String command, RiskClass declared) {
    return new PlaybookStep(StepAction.of(name, "ansible.builtin.shell", Map.of("cmd", command)), declared, null);
  }

  public static Parameter serviceParameter() {
    return new Parameter("service", "Affected service", "service", SERVICE_PATTERN, null, true);
  }

  public static Parameter namespaceParameter() {
    return new Parameter("namespace", "Kubernetes namespace", "namespace", SERVICE_PATTERN, "default", false);
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** Builds a playbook field by field; defaults make a valid, active catalog playbook. */
  public static final class Builder {
    private final String id;
    private String version = "1.0.0";
    private String title;
    private PlaybookSource source = PlaybookSource.CATALOG;
    private PlaybookStatus status = PlaybookStatus.ACTIVE;
    private final List<String> anomalyTypes = new ArrayList<>();
    private final List<String> signaturePatterns = new ArrayList<>();
    private Signature signature;
    private String description = "";
    private List<Parameter> parameters = List.of(serviceParameter(), namespaceParameter());
    private List<PlaybookStep> steps = List.of(inspectPods(), rollingRestart());
    private StepAction verification;
    private PlaybookStats stats = PlaybookStats.initial(0.8);
    private List<String> supportingIncidents = List.of();
    private String evidenceText = "";

    private Builder(String id) {
      this.id = id;
      this.title = id;
    }

    public Builder version(String value) { version = value; return this; }
    public Builder title(String value) { title = value; return this; }
    public Builder source(PlaybookSource value) { source = value; return this; }
    public Builder status(PlaybookStatus value) { status = value; return this; }
    public Builder anomalyType(String value) { anomalyTypes.add(value); return this; }
    public Builder signaturePattern(String value) { signaturePatterns.add(value); return this; }
    public Builder description(String value) { description = value; return this; }
    public Builder parameters(Parameter... values) { parameters = List.of(values); return this; }
    public Builder steps(PlaybookStep... values) { steps = List.of(values); return this; }
    public Builder verification(StepAction value) { verification = value; return this; }
    public Builder stats(PlaybookStats value) { stats = value; return this; }
    public Builder confidence(double value) { stats = PlaybookStats.initial(value); return this; }
    public Builder supportingIncidents(String... values) { supportingIncidents = List.of(values); return this; }
    public Builder evidenceText(String value) { evidenceText = value; return this; }

    /** A learned playbook's signature; also adds its anomaly type and exact pattern. */
    public Builder signature(Signature value) {
      signature = value;
      if (!anomalyTypes.contains(value.anomalyType())) {
        anomalyTypes.add(value.anomalyType());
      }
      signaturePatterns.add(value.toString());
      return this;
    }

    public Playbook build() {
      return new Playbook(id, version, title, source, status, anomalyTypes, signaturePatterns, signature, description,
          "", parameters, steps, verification, stats, supportingIncidents, evidenceText, null, null, 0);
    }
  }
}
