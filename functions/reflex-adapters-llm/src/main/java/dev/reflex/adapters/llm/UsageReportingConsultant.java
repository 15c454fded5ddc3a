package dev.reflex.adapters.llm;

import dev.reflex.domain.consult.CostReportingConsultant;
import dev.reflex.domain.model.LlmCall;
import java.util.Objects;

/**
 * Reports a {@link MeteredConsultant}'s usage to the domain's cost accounting: {@link LlmUsage}
 * becomes {@link LlmCall}, and a {@link FallbackConsultant}'s remediation named
 * {@code offline_catalog (fallback: bedrock answer invalid)} becomes consultant
 * {@code offline_catalog} with fallback reason {@code bedrock answer invalid}.
 */
public final class UsageReportingConsultant implements CostReportingConsultant {

  private static final String FALLBACK = " (fallback: ";

  private final MeteredConsultant metered;

  public UsageReportingConsultant(MeteredConsultant metered) {
    this.metered = Objects.requireNonNull(metered, "metered");
  }

  @Override
  public String name() {
    return metered.name();
  }

  @Override
  public Drafted draft(Request request) {
    Consultation consultation = metered.consultWithUsage(request);
    String consultant = consultation.remediation().consultant();
    String fallbackReason = null;
    int at = consultant.indexOf(FALLBACK);
    if (at >= 0 && consultant.endsWith(")")) {
      fallbackReason = consultant.substring(at + FALLBACK.length(), consultant.length() - 1);
      consultant = consultant.substring(0, at);
    }
    return new Drafted(consultation.remediation(), consultant, toCall(consultation.usage()), fallbackReason);
  }

  /** The domain's copy of a usage record; null stays null (no call was answered). */
  public static LlmCall toCall(LlmUsage usage) {
    if (usage == null) {
      return null;
    }
    return new LlmCall(usage.modelId(), usage.inputTokens(), usage.outputTokens(), usage.cacheReadTokens(),
        usage.cacheWriteTokens(), usage.latencyMs(), usage.stopReason(), usage.costUsd(), usage.calls());
  }
}
