package dev.reflex.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One consultation, as the cost ledger keeps it: who drafted the remediation for which incident
 * and signature, what the model calls cost, and the draft itself (so that concurrent incidents of
 * the same signature can reuse it instead of calling again).
 *
 * <p>A consultation answered without any model call (the offline catalog consultant, or a draft
 * reused from another incident) has {@code calls == 0} and zero tokens and cost. A fallback after
 * failed model calls keeps the failed calls' tokens and cost: they were paid for.
 *
 * @param consultant who drafted the remediation: a model id or {@code offline_catalog}
 * @param model the model called, empty when none was
 * @param calls model calls made for this consultation
 * @param fallbackReason why the model's draft was not used ({@code bedrock answer invalid}), or null
 * @param reusedFrom the incident whose draft was reused, or null when this consultation drafted its own
 */
public record ConsultationRecord(
    String incidentId,
    Signature signature,
    String consultant,
    String model,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long latencyMs,
    String stopReason,
    double costUsd,
    int calls,
    String fallbackReason,
    String reusedFrom,
    Instant at,
    Remediation remediation) {

  public ConsultationRecord {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(consultant, "consultant");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(remediation, "remediation");
    model = Objects.requireNonNullElse(model, "");
    stopReason = Objects.requireNonNullElse(stopReason, "");
    if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || latencyMs < 0
        || calls < 0) {
      throw new IllegalArgumentException("token counts, latency and calls cannot be negative");
    }
    if (!(costUsd >= 0) || Double.isInfinite(costUsd)) {
      throw new IllegalArgumentException("cost must be finite and not negative: " + costUsd);
    }
  }

  /** A consultation that called no model: the offline consultant or a reuse. */
  public static ConsultationRecord withoutCall(String incidentId, Signature signature, String consultant,
      long latencyMs, String reusedFrom, Instant at, Remediation remediation) {
    return new ConsultationRecord(incidentId, signature, consultant, "", 0, 0, 0, 0, latencyMs, "", 0, 0, null,
        reusedFrom, at, remediation);
  }

  public long totalTokens() {
    return inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens;
  }

  public boolean fellBack() {
    return fallbackReason != null;
  }

  public boolean reused() {
    return reusedFrom != null;
  }
}
