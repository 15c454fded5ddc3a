package dev.reflex.domain.port;

import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Playbook;
import java.util.Map;

/**
 * Runs an approved plan. Implementations: the dry-run executor (embedded default), a local
 * Ansible executor, and Systems Manager on AWS.
 */
public interface Executor {

  String name();

  /**
   * @param parameters values already validated against the playbook's declared patterns; they
   *     are handed to Ansible as variables, never spliced into a command line
   */
  ExecutionReport execute(String incidentId, Playbook playbook, Map<String, String> parameters);
}
