package dev.reflex.adapters.llm;

import dev.reflex.domain.model.Remediation;
import java.util.Objects;

/**
 * A remediation and what drafting it cost.
 *
 * @param usage the model calls made; {@code null} when no model was called (an offline fallback
 *     after a failure before any answer)
 */
public record Consultation(Remediation remediation, LlmUsage usage) {
  public Consultation {
    Objects.requireNonNull(remediation, "remediation");
  }
}
