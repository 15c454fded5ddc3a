package dev.reflex.domain.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reflex.domain.TestData;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.Severity;
import dev.reflex.domain.model.Signature;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnomalyDetectorTest {

  private final AnomalyDetector detector = new AnomalyDetector(TestData.rules());

  @Test
  void detect_whenRuleMatches_reportsTypeServiceScopeSeverityAndMeasurement() {
    AnomalyReport report = detector.detect(TestData.highLatency());

    assertThat(report.anomalyType()).isEqualTo("high_latency");
    assertThat(report.service()).isEqualTo("payment-api");
    assertThat(report.scope()).isEqualTo("india");
    assertThat(report.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(report.signature()).isEqualTo(new Signature("high_latency", "payment-api", "india"));
    assertThat(report.detectionRule()).isEqualTo("high_latency");
    assertThat(report.measurements()).singleElement().satisfies(m -> {
      assertThat(m.metric()).isEqualTo("p99_latency");
      assertThat(m.value()).isEqualTo(1850.0);
      assertThat(m.threshold()).isEqualTo(500.0);
      assertThat(m.unit()).isEqualTo("ms");
      assertThat(m.ratio()).isCloseTo(3.7, within(1e-9));
    });
  }

  @Test
  void detect_whenNameMatchesOnlyThePattern_usesTheRule() {
    AnomalyReport report = detector.detect(TestData.alert("CheckoutLatencyHigh", Map.of("app", "checkout"), Map.of()));
    assertThat(report.anomalyType()).isEqualTo("high_latency");
    assertThat(report.service()).isEqualTo("checkout");
  }

  @Test
  void detect_whenNoRuleMatches_reportsUnknownWithRuleNone() {
    AnomalyReport report = detector.detect(TestData.alert("SomethingOdd", Map.of(), Map.of()));
    assertThat(report.anomalyType()).isEqualTo("unknown");
    assertThat(report.detectionRule()).isEqualTo("none");
    assertThat(report.service()).isEqualTo("unknown");
    assertThat(report.scope()).isEqualTo("global");
    assertThat(report.severity()).isEqualTo(Severity.MEDIUM);
  }

  @Test
  void detect_takesFirstPresentLabel_inOrderOfPreference() {
    AnomalyReport report = detector.detect(TestData.alert("DiskFull",
        Map.of("service", " ", "app", "ledger", "namespace", "prod"), Map.of()));
    assertThat(report.service()).isEqualTo("ledger");
    assertThat(report.scope()).isEqualTo("prod");
  }

  @Test
  void detect_withoutSeverityLabel_usesRuleDefault() {
    AnomalyReport report = detector.detect(TestData.alert("DiskFull", Map.of("service", "x"), Map.of()));
    assertThat(report.severity()).isEqualTo(Severity.MEDIUM);
    assertThat(detector.detect(TestData.alert("HighLatency", Map.of(), Map.of())).severity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void detect_percentValue_keepsUnitFromValueWhenRuleHasNone() {
    AnomalyReport report = detector.detect(TestData.alert("DiskFull", Map.of("service", "x"),
        Map.of("value", "95%", "threshold", "90 %")));
    assertThat(report.measurements()).singleElement().satisfies(m -> {
      assertThat(m.value()).isEqualTo(95.0);
      assertThat(m.threshold()).isEqualTo(90.0);
      assertThat(m.unit()).isEqualTo("%");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"fast", "NaN", "Infinity", "1e999", "", "12..5", "$(curl x)", "1850 ms; rm -rf /"})
  void detect_unparsableValue_givesNoMeasurement(String value) {
    AnomalyReport report = detector.detect(TestData.alert("HighLatency", Map.of(), Map.of("value", value)));
    assertThat(report.measurements()).isEmpty();
  }

  @Test
  void detect_unparsableThreshold_keepsValueWithoutThreshold() {
    AnomalyReport report = detector.detect(TestData.alert("HighLatency", Map.of(),
        Map.of("value", "1,850.5ms", "threshold", "n/a")));
    assertThat(report.measurements()).singleElement().satisfies(m -> {
      assertThat(m.value()).isEqualTo(1850.5);
      assertThat(m.threshold()).isNull();
    });
  }

  @Test
  void detect_hostileLabels_produceSafeSignature() {
    AnomalyReport report = detector.detect(TestData.alert("HighLatency",
        Map.of("service", "api; rm -rf /", "region", "$(curl x)\nevil"), Map.of()));
    assertThat(report.signature().toString()).isEqualTo("high_latency|api-rm-rf|curl-x-evil");
    assertThat(report.service()).isEqualTo("api-rm-rf");
  }
}
