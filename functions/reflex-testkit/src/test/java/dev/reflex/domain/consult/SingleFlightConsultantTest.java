package dev.reflex.domain.consult;

import static dev.reflex.domain.consult.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.ConsultationRecord;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.port.Consultant;
import dev.reflex.testkit.InMemoryConsultationLease;
import dev.reflex.testkit.InMemoryConsultationLog;
import dev.reflex.testkit.MutableClock;
import dev.reflex.testkit.ScriptedConsultant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SingleFlightConsultantTest {

  private final MutableClock clock = new MutableClock(T0);
  private final InMemoryConsultationLog log = new InMemoryConsultationLog();
  private final InMemoryConsultationLease lease = new InMemoryConsultationLease(clock);

  private static Incident incident(String id, String service) {
    return Fixtures.detected(id, Fixtures.alert("HighLatency", service, "india", "slow"), "high_latency", T0);
  }

  /** A slow model: answers after {@code delay}, counted. */
  private static ScriptedConsultant slowModel(Duration delay) {
    return new ScriptedConsultant("model", request -> {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Fixtures.remediation("model");
    });
  }

  private SingleFlightConsultant singleFlight(Consultant model, Duration wait) {
    return new SingleFlightConsultant(new MeteringConsultant(model, log, clock), lease, log, clock, wait,
        Duration.ofMinutes(2));
  }

  /** Runs one consultation per incident on its own thread, all released at once. */
  static List<Remediation> concurrently(Consultant consultant, List<Incident> incidents) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(incidents.size());
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Remediation>> futures = new ArrayList<>();
      for (Incident incident : incidents) {
        futures.add(pool.submit(() -> {
          start.await();
          return consultant.consult(Fixtures.request(incident));
        }));
      }
      start.countDown();
      List<Remediation> results = new ArrayList<>();
      for (Future<Remediation> future : futures) {
        results.add(future.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void consult_fiveConcurrentSameSignature_callsTheModelOnce() throws Exception {
    ScriptedConsultant model = slowModel(Duration.ofMillis(400));
    List<Incident> incidents = List.of(incident("inc-1", "payment-api"), incident("inc-2", "payment-api"),
        incident("inc-3", "payment-api"), incident("inc-4", "payment-api"), incident("inc-5", "payment-api"));

    List<Remediation> drafts = concurrently(singleFlight(model, Duration.ofSeconds(20)), incidents);

    assertThat(model.calls()).isEqualTo(1);
    assertThat(drafts).hasSize(5).allSatisfy(d -> assertThat(d.steps()).isEqualTo(Fixtures.remediation("m").steps()));
    assertThat(drafts.stream().filter(d -> d.consultant().equals("model"))).hasSize(1);
    assertThat(drafts.stream().filter(d -> d.consultant().startsWith("model (reused draft of inc-"))).hasSize(4);
    assertThat(log.all()).hasSize(5);
    assertThat(log.all().stream().filter(ConsultationRecord::reused)).hasSize(4)
        .allSatisfy(r -> assertThat(r.calls()).isZero());
    assertThat(lease.held("high_latency|payment-api|india")).isEmpty();
  }

  @Test
  void consult_concurrentDifferentSignatures_eachCallsTheModel() throws Exception {
    ScriptedConsultant model = slowModel(Duration.ofMillis(200));
    List<Incident> incidents = List.of(incident("inc-1", "payment-api"), incident("inc-2", "checkout"),
        incident("inc-3", "search"));

    List<Remediation> drafts = concurrently(singleFlight(model, Duration.ofSeconds(20)), incidents);

    assertThat(model.calls()).isEqualTo(3);
    assertThat(drafts).allSatisfy(d -> assertThat(d.consultant()).isEqualTo("model"));
    assertThat(log.all()).noneMatch(ConsultationRecord::reused);
  }

  @Test
  void consult_sequentialSameSignature_callsAgain() {
    ScriptedConsultant model = slowModel(Duration.ZERO);
    SingleFlightConsultant consultant = singleFlight(model, Duration.ofSeconds(5));

    consultant.consult(Fixtures.request(incident("inc-1", "payment-api")));
    consultant.consult(Fixtures.request(incident("inc-2", "payment-api")));

    assertThat(model.calls()).isEqualTo(2);
    assertThat(lease.acquisitions()).isEqualTo(2);
  }

  @Test
  void consult_whenHolderDiedAndLeaseExpired_takesOverAndCalls() {
    lease.tryAcquire("high_latency|payment-api|india", "dead-holder", Duration.ofMinutes(2));
    clock.advance(Duration.ofMinutes(2).plusSeconds(1));
    ScriptedConsultant model = slowModel(Duration.ZERO);

    Remediation draft = singleFlight(model, Duration.ofSeconds(5))
        .consult(Fixtures.request(incident("inc-1", "payment-api")));

    assertThat(model.calls()).isEqualTo(1);
    assertThat(draft.consultant()).isEqualTo("model");
  }

  @Test
  void consult_whenLeaseHeldAndNoDraftArrives_consultsByItselfAfterTheWait() {
    lease.tryAcquire("high_latency|payment-api|india", "stuck-holder", Duration.ofMinutes(2));
    ScriptedConsultant model = slowModel(Duration.ZERO);
    long started = System.nanoTime();

    Remediation draft = singleFlight(model, Duration.ofMillis(300))
        .consult(Fixtures.request(incident("inc-1", "payment-api")));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(model.calls()).isEqualTo(1);
    assertThat(draft.consultant()).isEqualTo("model");
  }

  @Test
  void consult_whenLeaseHeldAndOnlyAStaleDraftExists_doesNotReuseIt() {
    log.record(ConsultationRecord.withoutCall("inc-old", Fixtures.anomaly("high_latency", "payment-api", "india")
        .signature(), "model", 0, null, T0.minus(Duration.ofHours(1)), Fixtures.remediation("model")));
    lease.tryAcquire("high_latency|payment-api|india", "stuck-holder", Duration.ofMinutes(2));
    ScriptedConsultant model = slowModel(Duration.ZERO);

    Remediation draft = singleFlight(model, Duration.ofMillis(200))
        .consult(Fixtures.request(incident("inc-1", "payment-api")));

    assertThat(draft.consultant()).isEqualTo("model");
    assertThat(model.calls()).isEqualTo(1);
  }

  @Test
  void consult_whenModelFails_releasesTheLease() {
    ScriptedConsultant failing = new ScriptedConsultant("model", request -> {
      throw new IllegalStateException("boom");
    });
    SingleFlightConsultant consultant = singleFlight(failing, Duration.ofSeconds(1));

    try {
      consultant.consult(Fixtures.request(incident("inc-1", "payment-api")));
    } catch (IllegalStateException expected) {
      // the failure is the caller's to handle
    }

    assertThat(lease.held("high_latency|payment-api|india")).isEmpty();
  }
}
