package dev.reflex.local.app;

import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.port.Consultant;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts consultations, so the demo and the benchmark can show when none was needed. */
final class CountingConsultant implements Consultant {

  private final Consultant delegate;
  private final AtomicInteger calls = new AtomicInteger();

  CountingConsultant(Consultant delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Remediation consult(Request request) {
    calls.incrementAndGet();
    return delegate.consult(request);
  }

  int calls() {
    return calls.get();
  }
}
