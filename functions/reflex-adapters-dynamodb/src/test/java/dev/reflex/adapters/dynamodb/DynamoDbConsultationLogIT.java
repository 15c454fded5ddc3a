package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.Fixtures.SIGNATURE;
import static dev.reflex.adapters.dynamodb.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.model.ConsultationRecord;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbConsultationLogIT {

  @RegisterExtension static final LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();

  private static final Signature DISK = Signature.of("disk_full", "db-1", "eu");

  private TableNames tables;
  private DynamoDbConsultationLog log;

  @BeforeEach
  void setUp() {
    tables = dynamo.freshTables();
    log = new DynamoDbConsultationLog(dynamo.client(), tables.consultations());
  }

  static Remediation remediation() {
    return new Remediation("us.anthropic.claude-sonnet-4-5", "pool exhausted", "too few connections",
        "Restart payment-api", List.of(Fixtures.serviceParameter()), Fixtures.steps(), Fixtures.check(), "5m");
  }

  static ConsultationRecord call(String incident, Signature signature, Instant at) {
    return new ConsultationRecord(incident, signature, "us.anthropic.claude-sonnet-4-5",
        "us.anthropic.claude-sonnet-4-5", 1200, 340, 50, 7, 2300, "tool_use", 0.00883, 1, null, null, at,
        remediation());
  }

  @Test
  void byIncident_afterRecord_returnsEveryFieldAndTheDraft() {
    ConsultationRecord first = call("inc-1", SIGNATURE, T0);
    ConsultationRecord fallback = new ConsultationRecord("inc-1", SIGNATURE, "offline_catalog",
        "us.anthropic.claude-sonnet-4-5", 900, 0, 0, 0, 90_000, "", 0.0027, 1, "bedrock timed out", null,
        T0.plusSeconds(1), remediation());

    log.record(fallback);
    log.record(first);

    assertThat(log.byIncident("inc-1")).containsExactly(first, fallback);
    assertThat(log.byIncident("inc-2")).isEmpty();
  }

  @Test
  void record_storesTheDayAndNoTtl() {
    log.record(call("inc-1", SIGNATURE, T0));

    Map<String, AttributeValue> item = dynamo.client().scan(r -> r.tableName(tables.consultations())).items().get(0);

    assertThat(item.get("day").s()).isEqualTo("2026-03-01");
    assertThat(item.get("signature").s()).isEqualTo("high_latency|payment-api|india");
    assertThat(item).doesNotContainKey("ttl");
  }

  @Test
  void findLatestBySignature_returnsTheNewestOfThatSignatureOnly() {
    log.record(call("inc-1", SIGNATURE, T0));
    log.record(ConsultationRecord.withoutCall("inc-2", SIGNATURE, "us.anthropic.claude-sonnet-4-5", 0, "inc-1",
        T0.plusSeconds(5), remediation()));
    log.record(call("inc-3", DISK, T0.plusSeconds(10)));

    assertThat(log.findLatestBySignature(SIGNATURE)).get()
        .satisfies(r -> {
          assertThat(r.incidentId()).isEqualTo("inc-2");
          assertThat(r.reusedFrom()).isEqualTo("inc-1");
          assertThat(r.calls()).isZero();
        });
    assertThat(log.findLatestBySignature(Signature.of("none", "x", "y"))).isEmpty();
  }

  @Test
  void between_readsEveryDayOfThePeriodOldestFirst_andRespectsTheBounds() {
    Instant day1 = T0;
    Instant day2 = T0.plus(Duration.ofDays(1));
    Instant day3 = T0.plus(Duration.ofDays(2));
    log.record(call("inc-3", DISK, day3));
    log.record(call("inc-1", SIGNATURE, day1));
    log.record(call("inc-2", SIGNATURE, day2));

    assertThat(log.between(day1, day3, 100)).extracting(ConsultationRecord::incidentId)
        .containsExactly("inc-1", "inc-2");
    assertThat(log.between(day1.minus(Duration.ofDays(3)), day3.plusNanos(1), 100))
        .extracting(ConsultationRecord::incidentId).containsExactly("inc-1", "inc-2", "inc-3");
    assertThat(log.between(day1, day3.plusNanos(1), 2)).hasSize(2);
    assertThat(log.between(day3, day1, 100)).isEmpty();
  }

  @Test
  void between_whenThePeriodIsLongerThanMaxDays_isRefused() {
    assertThatThrownBy(() -> log.between(T0.minus(Duration.ofDays(500)), T0, 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("400 days");
  }

  @Test
  void between_whenManyRecordsOnOneDay_pagesThroughThem() {
    for (int i = 0; i < 60; i++) {
      log.record(call("inc-" + i, SIGNATURE, T0.plusMillis(i)));
    }

    assertThat(log.between(T0, T0.plusSeconds(1), 1000)).hasSize(60);
    assertThat(log.between(T0, T0.plusSeconds(1), 25)).hasSize(25);
  }
}
