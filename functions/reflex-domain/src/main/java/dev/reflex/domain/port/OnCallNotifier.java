package dev.reflex.domain.port;

import dev.reflex.domain.model.IncidentStatus;

/**
 * Tells on-call that a remediation needs a person: it failed, stopped half way (rolled back or
 * left in place), or was refused before anything ran. Locally an outbox file and the console; on
 * AWS the function log (e-mail or chat by configuration).
 */
public interface OnCallNotifier {

  /** Notifies nobody (tests and tools that do not execute). */
  OnCallNotifier NONE = (incidentId, status, summary) -> {};

  /** @param summary what happened, already free of secrets; may quote alert text (untrusted) */
  void remediationNeedsAttention(String incidentId, IncidentStatus status, String summary);
}
