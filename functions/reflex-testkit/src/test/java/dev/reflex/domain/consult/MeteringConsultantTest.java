package dev.reflex.domain.consult;

import static dev.reflex.domain.consult.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.ConsultationRecord;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.LlmCall;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.ConsultationLog;
import dev.reflex.testkit.InMemoryConsultationLog;
import dev.reflex.testkit.MutableClock;
import dev.reflex.testkit.ScriptedConsultant;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MeteringConsultantTest {

  private final MutableClock clock = new MutableClock(T0);
  private final InMemoryConsultationLog log = new InMemoryConsultationLog();
  private final Incident incident = Fixtures.detected("inc-1",
      Fixtures.alert("HighLatency", "payment-api", "india", "slow"), "high_latency", T0);

  /** A model consultant reporting its usage, as the model adapters do. */
  private static CostReportingConsultant reporting(Remediation remediation, LlmCall call, String fallbackReason) {
    return new CostReportingConsultant() {
      @Override public String name() { return "us.anthropic.claude-sonnet-4-5"; }
      @Override public Drafted draft(Request request) {
        return new Drafted(remediation, fallbackReason == null ? "us.anthropic.claude-sonnet-4-5" : "offline_catalog",
            call, fallbackReason);
      }
    };
  }

  @Test
  void consult_withReportingConsultant_recordsTokensCostAndDraft() {
    Remediation draft = Fixtures.remediation("us.anthropic.claude-sonnet-4-5");
    LlmCall call = new LlmCall("us.anthropic.claude-sonnet-4-5", 1200, 300, 50, 10, 2100, "tool_use", 0.0082, 1);

    Remediation returned = new MeteringConsultant(reporting(draft, call, null), log, clock)
        .consult(Fixtures.request(incident));

    assertThat(returned).isEqualTo(draft);
    ConsultationRecord record = log.all().get(0);
    assertThat(log.all()).hasSize(1);
    assertThat(record.incidentId()).isEqualTo("inc-1");
    assertThat(record.signature()).isEqualTo(new Signature("high_latency", "payment-api", "india"));
    assertThat(record.consultant()).isEqualTo("us.anthropic.claude-sonnet-4-5");
    assertThat(record.model()).isEqualTo("us.anthropic.claude-sonnet-4-5");
    assertThat(List.of(record.inputTokens(), record.outputTokens(), record.cacheReadTokens(), record.cacheWriteTokens(),
        record.latencyMs())).containsExactly(1200L, 300L, 50L, 10L, 2100L);
    assertThat(record.stopReason()).isEqualTo("tool_use");
    assertThat(record.costUsd()).isEqualTo(0.0082);
    assertThat(record.calls()).isEqualTo(1);
    assertThat(record.fallbackReason()).isNull();
    assertThat(record.at()).isEqualTo(T0);
    assertThat(record.remediation()).isEqualTo(draft);
  }

  @Test
  void consult_withFallback_recordsTheFailedCallsAndTheReason() {
    Remediation offline = Fixtures.remediation("offline_catalog (fallback: bedrock answer invalid)");
    LlmCall failed = new LlmCall("us.anthropic.claude-sonnet-4-5", 2000, 800, 0, 0, 5000, "tool_use", 0.018, 2);

    new MeteringConsultant(reporting(offline, failed, "bedrock answer invalid"), log, clock)
        .consult(Fixtures.request(incident));

    ConsultationRecord record = log.all().get(0);
    assertThat(record.consultant()).isEqualTo("offline_catalog");
    assertThat(record.fallbackReason()).isEqualTo("bedrock answer invalid");
    assertThat(record.calls()).isEqualTo(2);
    assertThat(record.costUsd()).isEqualTo(0.018);
  }

  @Test
  void consult_withOfflineConsultant_recordsZeroTokens() {
    ScriptedConsultant offline = new ScriptedConsultant(Fixtures.remediation("offline_catalog"));

    new MeteringConsultant(offline, log, clock).consult(Fixtures.request(incident));

    ConsultationRecord record = log.all().get(0);
    assertThat(record.consultant()).isEqualTo("offline_catalog");
    assertThat(record.model()).isEmpty();
    assertThat(record.calls()).isZero();
    assertThat(record.totalTokens()).isZero();
    assertThat(record.costUsd()).isZero();
  }

  @Test
  void consult_whenLogFails_stillReturnsTheDraft() {
    ConsultationLog broken = new ConsultationLog() {
      @Override public void record(ConsultationRecord record) { throw new IllegalStateException("table gone"); }
      @Override public Optional<ConsultationRecord> findLatestBySignature(Signature s) { return Optional.empty(); }
      @Override public List<ConsultationRecord> byIncident(String id) { return List.of(); }
      @Override public List<ConsultationRecord> between(Instant from, Instant to, int limit) { return List.of(); }
    };
    Remediation draft = Fixtures.remediation("offline_catalog");

    Remediation returned = new MeteringConsultant(new ScriptedConsultant(draft), broken, clock)
        .consult(Fixtures.request(incident));

    assertThat(returned).isEqualTo(draft);
  }
}
