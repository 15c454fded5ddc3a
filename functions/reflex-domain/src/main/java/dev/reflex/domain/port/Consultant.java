package dev.reflex.domain.port;

import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.Remediation;
import java.util.List;

/**
 * Drafts a remediation when no playbook matches. Implementations: the offline catalog consultant
 * (deterministic, the embedded default) and language-model consultants. Their output is a
 * proposal only: it is validated, classified and reviewed before anything can run.
 */
public interface Consultant {

  /** A short, honest name recorded on the incident, e.g. {@code offline_catalog}. */
  String name();

  Remediation consult(Request request);

  /**
   * @param similarIncidents past incidents most like this one, with what fixed them
   */
  record Request(Incident incident, AnomalyReport anomaly, List<Incident> similarIncidents) {}
}
