package dev.reflex.adapters.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.gate.GateResult;
import dev.reflex.domain.gate.PlaybookGate;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.risk.RiskClassifier;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.Severity;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.Consultant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every draft of the embedded default's consultant passes the strict validation gate, so the demo proposes it. */
class OfflineDraftsPassTheGateTest {

  private final OfflineCatalogConsultant consultant = new OfflineCatalogConsultant();

  @ParameterizedTest
  @ValueSource(strings = {"high_latency", "db_connection_pool_exhausted", "disk_full", "crash_loop",
      "memory_leak", "certificate_expiry", "service_down", "high_error_rate", "high_cpu", "unknown"})
  void draft_forEachAnomalyType_passesTheStrictGate(String type) {
    assertThat(gate(type).errors()).as(type).isEmpty();
  }

  private GateResult gate(String type) {
    Signature signature = Signature.of(type, "payment-api", "india");
    AnomalyReport anomaly = new AnomalyReport(type, Severity.HIGH, "payment-api", "india", List.of(), signature, type);
    Remediation remediation = consultant.consult(new Consultant.Request(null, anomaly, List.of()));
    Playbook draft = new Playbook("learned-" + signature.slug(), "1.0.0", remediation.playbookName(),
        PlaybookSource.LEARNED, PlaybookStatus.PENDING_REVIEW, List.of(type), List.of(signature.toString()), signature,
        remediation.diagnosis(), remediation.rootCause(), remediation.parameters(), raised(remediation.steps()),
        remediation.verification(), PlaybookStats.initial(0.75), List.of(), "", null, null, 0);

    return PlaybookGate.defaults().check(draft);
  }

  /** Declared risks raised to the computed ones, as ConsultForPlaybook does before the gate. */
  private static List<PlaybookStep> raised(List<PlaybookStep> steps) {
    RiskClassifier classifier = new RiskClassifier();
    return steps.stream().map(step -> new PlaybookStep(step.action(),
        step.declaredRisk().max(classifier.classify(step)), step.rollback())).toList();
  }
}
