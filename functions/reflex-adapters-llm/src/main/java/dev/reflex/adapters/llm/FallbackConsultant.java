package dev.reflex.adapters.llm;

import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.port.Consultant;
import java.util.Objects;

/**
 * Asks {@code primary} (a language model) and, when it fails, {@code fallback} (the offline
 * catalog consultant). A fallen-back remediation says so in its consultant name:
 * {@code offline_catalog (fallback: bedrock answer invalid)}.
 */
public final class FallbackConsultant implements MeteredConsultant {

  private final Consultant primary;
  private final Consultant fallback;

  public FallbackConsultant(Consultant primary, Consultant fallback) {
    this.primary = Objects.requireNonNull(primary, "primary");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  @Override
  public String name() {
    return primary.name();
  }

  @Override
  public Consultation consultWithUsage(Request request) {
    try {
      if (primary instanceof MeteredConsultant metered) {
        return metered.consultWithUsage(request);
      }
      return new Consultation(primary.consult(request), null);
    } catch (ConsultationFailedException e) {
      return new Consultation(fallBack(request, e.reason()), e.usage());
    } catch (RuntimeException e) {
      // a defect in an adapter must not leave the incident without a draft
      return new Consultation(fallBack(request, primary.name() + " failed: " + e.getClass().getSimpleName()), null);
    }
  }

  private Remediation fallBack(Request request, String reason) {
    Remediation offline = fallback.consult(request);
    return new Remediation(offline.consultant() + " (fallback: " + reason + ")", offline.diagnosis(),
        offline.rootCause(), offline.playbookName(), offline.parameters(), offline.steps(), offline.verification(),
        offline.estimatedRecoveryTime());
  }
}
