package dev.reflex.testkit;

import dev.reflex.domain.model.ConsultationRecord;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.ConsultationLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Thread-safe in-memory {@link ConsultationLog}. */
public final class InMemoryConsultationLog implements ConsultationLog {

  private final List<ConsultationRecord> records = new ArrayList<>();

  @Override
  public synchronized void record(ConsultationRecord record) {
    records.add(record);
  }

  @Override
  public synchronized Optional<ConsultationRecord> findLatestBySignature(Signature signature) {
    return records.stream()
        .filter(r -> r.signature().equals(signature))
        .max(Comparator.comparing(ConsultationRecord::at));
  }

  @Override
  public synchronized List<ConsultationRecord> byIncident(String incidentId) {
    return records.stream()
        .filter(r -> r.incidentId().equals(incidentId))
        .sorted(Comparator.comparing(ConsultationRecord::at))
        .toList();
  }

  @Override
  public synchronized List<ConsultationRecord> between(Instant from, Instant to, int limit) {
    return records.stream()
        .filter(r -> !r.at().isBefore(from) && r.at().isBefore(to))
        .sorted(Comparator.comparing(ConsultationRecord::at))
        .limit(limit)
        .toList();
  }

  /** Every record, in recording order. */
  public synchronized List<ConsultationRecord> all() {
    return new ArrayList<>(records);
  }
}
