package dev.reflex.domain.consult;

import static dev.reflex.domain.consult.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.ConsultationRecord;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.Signature;
import dev.reflex.testkit.InMemoryConsultationLog;
import dev.reflex.testkit.InMemoryIncidentStore;
import dev.reflex.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ReportLlmUsageTest {

  private static final Signature LATENCY = new Signature("high_latency", "payment-api", "india");
  private static final Signature DISK = new Signature("disk_full", "db-1", "eu");

  private final MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(2)));
  private final InMemoryConsultationLog log = new InMemoryConsultationLog();
  private final InMemoryIncidentStore incidents = new InMemoryIncidentStore();
  private final ReportLlmUsage report = new ReportLlmUsage(log, incidents, clock);

  private static ConsultationRecord call(String incident, Signature signature, Instant at, long in, long out,
      double cost) {
    return new ConsultationRecord(incident, signature, "claude", "claude", in, out, 0, 0, 1000, "tool_use", cost, 1,
        null, null, at, Fixtures.remediation("claude"));
  }

  @Test
  void report_sumsCallsTokensAndCostPerDayAndSignature() {
    log.record(call("inc-1", LATENCY, T0, 1000, 200, 0.006));
    log.record(call("inc-2", LATENCY, T0.plus(Duration.ofDays(1)), 2000, 400, 0.012));
    log.record(call("inc-3", DISK, T0.plus(Duration.ofDays(1)), 500, 100, 0.003));
    log.record(ConsultationRecord.withoutCall("inc-4", LATENCY, "claude", 0, "inc-2", T0.plus(Duration.ofDays(1)),
        Fixtures.remediation("claude")));

    LlmUsageReport result = report.report(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2)));

    assertThat(result.total().consultations()).isEqualTo(4);
    assertThat(result.total().calls()).isEqualTo(3);
    assertThat(result.total().inputTokens()).isEqualTo(3500);
    assertThat(result.total().totalTokens()).isEqualTo(4200);
    assertThat(result.total().costUsd()).isEqualTo(0.021);
    assertThat(result.total().reused()).isEqualTo(1);
    assertThat(result.perDay()).extracting(LlmUsageReport.Day::day)
        .containsExactly(LocalDate.parse("2025-03-14"), LocalDate.parse("2025-03-15"));
    assertThat(result.perDay().get(1).usage().calls()).isEqualTo(2);
    assertThat(result.perSignature()).extracting(LlmUsageReport.PerSignature::signature)
        .containsExactly("disk_full|db-1|eu", "high_latency|payment-api|india");
    assertThat(result.perSignature().get(1).usage().costUsd()).isEqualTo(0.018);
    assertThat(result.servedWithoutCall().consultedWithoutCall()).isEqualTo(1);
  }

  @Test
  void report_excludesConsultationsOutsideThePeriod() {
    log.record(call("inc-1", LATENCY, T0, 1000, 200, 0.006));
    log.record(call("inc-2", LATENCY, T0.plus(Duration.ofDays(1)), 2000, 400, 0.012));

    LlmUsageReport result = report.report(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofDays(1)));

    assertThat(result.total().consultations()).isZero();
    assertThat(result.perDay()).isEmpty();
  }

  @Test
  void report_countsIncidentsServedByPlaybooksWithoutAnyCall() {
    incidents.put(Fixtures.matched("inc-a", Fixtures.alert("A", "x", "eu", "s"), "high_latency", T0,
        PlaybookSource.LEARNED));
    incidents.put(Fixtures.matched("inc-b", Fixtures.alert("B", "y", "eu", "s"), "high_latency", T0,
        PlaybookSource.CATALOG));
    incidents.put(Fixtures.detected("inc-c", Fixtures.alert("C", "z", "eu", "s"), "high_latency", T0));
    incidents.put(Fixtures.matched("inc-old", Fixtures.alert("D", "w", "eu", "s"), "high_latency",
        T0.minus(Duration.ofDays(90)), PlaybookSource.LEARNED));

    LlmUsageReport result = report.lastDays();

    assertThat(result.servedWithoutCall().matched()).isEqualTo(2);
    assertThat(result.servedWithoutCall().learned()).isEqualTo(1);
    assertThat(result.servedWithoutCall().catalog()).isEqualTo(1);
    assertThat(result.servedWithoutCall().incidentsConsidered()).isEqualTo(3);
  }

  @Test
  void report_whenPeriodInvalid_isRefused() {
    assertThatThrownBy(() -> report.report(T0, T0)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> report.report(T0, T0.plus(Duration.ofDays(400))))
        .isInstanceOf(InvalidInputException.class);
  }
}
