package dev.reflex.domain.consult;

import dev.reflex.domain.model.ConsultationRecord;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.Consultant;
import dev.reflex.domain.port.ConsultationLease;
import dev.reflex.domain.port.ConsultationLease.Lease;
import dev.reflex.domain.port.ConsultationLog;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One consultation per signature at a time. The first caller for a signature takes the
 * {@link ConsultationLease} and consults; concurrent callers with the same signature wait, polling
 * the {@link ConsultationLog} with back-off, and reuse the first caller's draft instead of calling
 * the model again. The delegate must record its drafts in that log (wrap it in a
 * {@link MeteringConsultant} over the same log).
 *
 * <p>A waiter reuses a draft recorded at most {@code leaseTtl} before it started waiting: the
 * holder took its lease no earlier than that. If the holder dies its lease expires after
 * {@code leaseTtl} and a waiter takes over; if nothing arrives within {@code wait}, the waiter
 * consults by itself rather than leave its incident without a draft.
 *
 * <p>A reused draft is recorded for the waiting incident with no call and {@code reusedFrom}, and
 * its consultant name says so: {@code offline_catalog (reused draft of inc-1)}.
 */
public final class SingleFlightConsultant implements Consultant {

  static final Duration FIRST_POLL = Duration.ofMillis(50);
  static final Duration MAX_POLL = Duration.ofSeconds(2);
  private static final System.Logger LOG = System.getLogger(SingleFlightConsultant.class.getName());

  private final Consultant delegate;
  private final ConsultationLease lease;
  private final ConsultationLog log;
  private final Clock clock;
  private final Duration wait;
  private final Duration leaseTtl;

  /** With a lease lasting as long as the wait. */
  public SingleFlightConsultant(Consultant delegate, ConsultationLease lease, ConsultationLog log, Clock clock,
      Duration wait) {
    this(delegate, lease, log, clock, wait, wait);
  }

  /**
   * @param wait how long a concurrent caller waits for the first draft
   * @param leaseTtl how long a lease lasts if its holder never releases it; longer than one
   *     consultation (the model's call budget, retries included)
   */
  public SingleFlightConsultant(Consultant delegate, ConsultationLease lease, ConsultationLog log, Clock clock,
      Duration wait, Duration leaseTtl) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.wait = positive(wait, "wait");
    this.leaseTtl = positive(leaseTtl, "leaseTtl");
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Remediation consult(Request request) {
    Signature signature = request.anomaly().signature();
    String key = signature.toString();
    String owner = request.incident().id() + "#" + UUID.randomUUID();
    Optional<Lease> held = lease.tryAcquire(key, owner, leaseTtl);
    if (held.isPresent()) {
      return consultHolding(request, held.get());
    }
    Instant since = clock.instant().minus(leaseTtl);
    long deadline = System.nanoTime() + wait.toNanos();
    Duration pause = FIRST_POLL;
    while (System.nanoTime() < deadline) {
      sleep(jittered(pause, deadline));
      pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
      Optional<ConsultationRecord> fresh = fresh(signature, since);
      if (fresh.isPresent()) {
        return reuse(request, fresh.get());
      }
      held = lease.tryAcquire(key, owner, leaseTtl);
      if (held.isPresent()) {
        // the holder may have recorded and released between the two reads
        fresh = fresh(signature, since);
        if (fresh.isPresent()) {
          lease.release(held.get());
          return reuse(request, fresh.get());
        }
        return consultHolding(request, held.get());
      }
    }
    LOG.log(Level.WARNING, "no draft for " + key + " within " + wait + ": incident " + request.incident().id()
        + " consults by itself");
    return delegate.consult(request);
  }

  private Remediation consultHolding(Request request, Lease held) {
    try {
      return delegate.consult(request);
    } finally {
      try {
        lease.release(held);
      } catch (RuntimeException e) {
        // it expires by itself
        LOG.log(Level.WARNING, "lease for " + held.signature() + " not released: " + e.getClass().getSimpleName());
      }
    }
  }

  private Optional<ConsultationRecord> fresh(Signature signature, Instant since) {
    return log.findLatestBySignature(signature).filter(record -> !record.at().isBefore(since));
  }

  private Remediation reuse(Request request, ConsultationRecord first) {
    String origin = first.reused() ? first.reusedFrom() : first.incidentId();
    Remediation draft = first.remediation();
    try {
      log.record(ConsultationRecord.withoutCall(request.incident().id(), request.anomaly().signature(),
          first.consultant(), 0, origin, clock.instant(), draft));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "reuse by incident " + request.incident().id() + " not recorded: "
          + e.getClass().getSimpleName());
    }
    return new Remediation(draft.consultant() + " (reused draft of " + origin + ")", draft.diagnosis(),
        draft.rootCause(), draft.playbookName(), draft.parameters(), draft.steps(), draft.verification(),
        draft.estimatedRecoveryTime());
  }

  private static Duration jittered(Duration pause, long deadline) {
    long half = pause.toMillis() / 2;
    long millis = half + ThreadLocalRandom.current().nextLong(half + 1);
    long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    return Duration.ofMillis(Math.max(1, Math.min(millis, left)));
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a draft", e);
    }
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return value;
  }
}
