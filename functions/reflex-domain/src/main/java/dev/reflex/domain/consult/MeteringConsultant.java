package dev.reflex.domain.consult;

import dev.reflex.domain.consult.CostReportingConsultant.Drafted;
import dev.reflex.domain.model.ConsultationRecord;
import dev.reflex.domain.model.LlmCall;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.port.Consultant;
import dev.reflex.domain.port.ConsultationLog;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Objects;

/**
 * Records every consultation in the {@link ConsultationLog}: tokens, latency, stop reason and cost
 * as reported by a {@link CostReportingConsultant}, or zero tokens for a consultant that calls no
 * model (the offline catalog). The draft is recorded too, for reuse by concurrent incidents.
 *
 * <p>A ledger that cannot be written does not lose the draft: the failure is logged and the
 * remediation returned.
 */
public final class MeteringConsultant implements Consultant {

  private static final System.Logger LOG = System.getLogger(MeteringConsultant.class.getName());

  private final Consultant delegate;
  private final ConsultationLog log;
  private final Clock clock;

  public MeteringConsultant(Consultant delegate, ConsultationLog log, Clock clock) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Remediation consult(Request request) {
    long started = System.nanoTime();
    Drafted drafted = delegate instanceof CostReportingConsultant reporting
        ? reporting.draft(request)
        : new Drafted(delegate.consult(request), null, null, null);
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    LlmCall call = drafted.call();
    ConsultationRecord record = call == null
        ? new ConsultationRecord(request.incident().id(), request.anomaly().signature(), drafted.consultant(), "",
            0, 0, 0, 0, elapsedMs, "", 0, 0, drafted.fallbackReason(), null, clock.instant(), drafted.remediation())
        : new ConsultationRecord(request.incident().id(), request.anomaly().signature(), drafted.consultant(),
            call.modelId(), call.inputTokens(), call.outputTokens(), call.cacheReadTokens(), call.cacheWriteTokens(),
            call.latencyMs(), call.stopReason(), call.costUsd(), call.calls(), drafted.fallbackReason(), null,
            clock.instant(), drafted.remediation());
    try {
      log.record(record);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "consultation of incident " + request.incident().id() + " not recorded: "
          + e.getClass().getSimpleName());
    }
    return drafted.remediation();
  }
}
