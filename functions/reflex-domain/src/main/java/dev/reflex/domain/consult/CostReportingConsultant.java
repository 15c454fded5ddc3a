package dev.reflex.domain.consult;

import dev.reflex.domain.model.LlmCall;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.port.Consultant;
import java.util.Objects;

/**
 * A consultant that says what each consultation cost. Language-model adapters implement it (the
 * model module maps its own usage record to {@link LlmCall}); {@link MeteringConsultant} records
 * what it reports. A consultant that does not implement it is recorded as calling no model.
 */
public interface CostReportingConsultant extends Consultant {

  Drafted draft(Request request);

  @Override
  default Remediation consult(Request request) {
    return draft(request).remediation();
  }

  /**
   * A remediation and what drafting it cost.
   *
   * @param consultant who drafted it (a model id, or {@code offline_catalog} after a fallback)
   * @param call the model calls made, or null when none was answered
   * @param fallbackReason why the model's draft was not used, or null
   */
  record Drafted(Remediation remediation, String consultant, LlmCall call, String fallbackReason) {
    public Drafted {
      Objects.requireNonNull(remediation, "remediation");
      consultant = Objects.requireNonNullElse(consultant, remediation.consultant());
    }
  }
}
