package dev.reflex.adapters.llm;

import dev.reflex.domain.port.Consultant;

/** A consultant that reports what each consultation cost. */
public interface MeteredConsultant extends Consultant {

  /**
   * @throws ConsultationFailedException when no acceptable remediation was drafted
   */
  Consultation consultWithUsage(Request request);

  @Override
  default dev.reflex.domain.model.Remediation consult(Request request) {
    return consultWithUsage(request).remediation();
  }
}
