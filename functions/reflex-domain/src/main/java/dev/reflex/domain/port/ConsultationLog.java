package dev.reflex.domain.port;

import dev.reflex.domain.model.ConsultationRecord;
import dev.reflex.domain.model.Signature;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The ledger of consultations: every draft, what it cost, and the draft itself. Append-only; it
 * answers the LLM statistics and lets concurrent incidents of one signature reuse a fresh draft.
 */
public interface ConsultationLog {

  void record(ConsultationRecord record);

  /** The most recent consultation of this signature (by {@code at}), if any. */
  Optional<ConsultationRecord> findLatestBySignature(Signature signature);

  /** The incident's consultations, oldest first. */
  List<ConsultationRecord> byIncident(String incidentId);

  /**
   * Consultations with {@code from <= at < to}, oldest first, at most {@code limit} of them (the
   * oldest are kept when there are more).
   */
  List<ConsultationRecord> between(Instant from, Instant to, int limit);
}
