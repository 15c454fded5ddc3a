package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.consult.MeteringConsultant;
import dev.reflex.domain.consult.SingleFlightConsultant;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.Severity;
import dev.reflex.domain.port.Consultant;
import dev.reflex.domain.port.ConsultationLease.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbConsultationLeaseIT {

  @RegisterExtension static final LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();

  private static final String SIGNATURE = "high_latency|payment-api|india";

  private final AtomicReference<Instant> now = new AtomicReference<>(T0);
  private final Clock clock = new Clock() {
    @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now.get(); }
  };
  private TableNames tables;
  private DynamoDbConsultationLease leases;

  @BeforeEach
  void setUp() {
    tables = dynamo.freshTables();
    leases = new DynamoDbConsultationLease(dynamo.client(), tables.consultations(), clock);
  }

  @Test
  void tryAcquire_whenFree_grantsWithTtlAnHourAfterExpiry() {
    Optional<Lease> lease = leases.tryAcquire(SIGNATURE, "inc-1#a", Duration.ofMinutes(2));

    assertThat(lease).get().satisfies(l -> {
      assertThat(l.owner()).isEqualTo("inc-1#a");
      assertThat(l.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
    });
    Map<String, AttributeValue> item = dynamo.client().getItem(r -> r.tableName(tables.consultations())
        .key(DynamoDbConsultationLease.key(SIGNATURE))).item();
    assertThat(Long.parseLong(item.get("ttl").n()))
        .isEqualTo(T0.plus(Duration.ofMinutes(2)).plus(Duration.ofHours(1)).getEpochSecond());
  }

  @Test
  void tryAcquire_whenHeldAndUnexpired_isRefused() {
    leases.tryAcquire(SIGNATURE, "inc-1#a", Duration.ofMinutes(2));
    now.set(T0.plus(Duration.ofMinutes(2)));

    assertThat(leases.tryAcquire(SIGNATURE, "inc-2#b", Duration.ofMinutes(2))).isEmpty();
    assertThat(leases.tryAcquire("disk_full|db-1|eu", "inc-2#b", Duration.ofMinutes(2))).isPresent();
  }

  @Test
  void tryAcquire_whenHolderDiedAndLeaseExpired_grantsToTheNext() {
    leases.tryAcquire(SIGNATURE, "inc-1#dead", Duration.ofMinutes(2));
    now.set(T0.plus(Duration.ofMinutes(2)).plusMillis(1));

    assertThat(leases.tryAcquire(SIGNATURE, "inc-2#b", Duration.ofMinutes(2))).get()
        .extracting(Lease::owner).isEqualTo("inc-2#b");
  }

  @Test
  void release_byTheHolder_freesIt_butALateReleaseNeverFreesTheNextHolder() {
    Lease first = leases.tryAcquire(SIGNATURE, "inc-1#a", Duration.ofMinutes(2)).orElseThrow();
    leases.release(first);
    Lease second = leases.tryAcquire(SIGNATURE, "inc-2#b", Duration.ofMinutes(2)).orElseThrow();

    leases.release(first);

    assertThat(leases.tryAcquire(SIGNATURE, "inc-3#c", Duration.ofMinutes(2))).isEmpty();
    leases.release(second);
    assertThat(leases.tryAcquire(SIGNATURE, "inc-3#c", Duration.ofMinutes(2))).isPresent();
  }

  @Test
  void tryAcquire_twentyConcurrentCallers_grantsExactlyOne() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Optional<Lease>>> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String owner = "inc-" + i;
        results.add(pool.submit(() -> {
          start.await();
          return leases.tryAcquire(SIGNATURE, owner, Duration.ofMinutes(2));
        }));
      }
      start.countDown();
      int granted = 0;
      for (Future<Optional<Lease>> result : results) {
        granted += result.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
      }
      assertThat(granted).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void singleFlight_fiveConcurrentIncidentsOfOneSignature_callTheModelOnce() throws Exception {
    DynamoDbConsultationLog log = new DynamoDbConsultationLog(dynamo.client(), tables.consultations());
    AtomicInteger calls = new AtomicInteger();
    Consultant model = new Consultant() {
      @Override public String name() { return "model"; }
      @Override public Remediation consult(Request request) {
        calls.incrementAndGet();
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return DynamoDbConsultationLogIT.remediation();
      }
    };
    Clock system = Clock.systemUTC();
    Consultant consultant = new SingleFlightConsultant(new MeteringConsultant(model, log, system),
        new DynamoDbConsultationLease(dynamo.client(), tables.consultations(), system), log, system,
        Duration.ofSeconds(20), Duration.ofMinutes(2));
    ExecutorService pool = Executors.newFixedThreadPool(5);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Remediation>> drafts = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        Incident incident = incident("inc-" + i);
        drafts.add(pool.submit(() -> {
          start.await();
          return consultant.consult(new Consultant.Request(incident, incident.anomaly(), List.of()));
        }));
      }
      start.countDown();
      List<String> names = new ArrayList<>();
      for (Future<Remediation> draft : drafts) {
        names.add(draft.get(60, TimeUnit.SECONDS).consultant());
      }
      assertThat(calls.get()).isEqualTo(1);
      assertThat(names.stream().filter(n -> n.startsWith("us.anthropic.claude-sonnet-4-5 (reused draft of inc-")))
          .hasSize(4);
      assertThat(log.between(Instant.now().minusSeconds(600), Instant.now().plusSeconds(60), 100)).hasSize(5);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Incident incident(String id) {
    Alert alert = Fixtures.alert(id, T0);
    AnomalyReport anomaly = new AnomalyReport("high_latency", Severity.HIGH, "payment-api", "india", List.of(),
        Fixtures.SIGNATURE, "test");
    return Incident.open(id, alert, T0).toBuilder().anomaly(anomaly).build();
  }
}
