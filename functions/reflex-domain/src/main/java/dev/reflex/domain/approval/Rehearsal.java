package dev.reflex.domain.approval;

import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Playbook;
import java.util.Map;

/**
 * A dry run of the plan before anyone approves it: what each step would do with these parameters,
 * and which steps could not be simulated. It runs nothing.
 */
@FunctionalInterface
public interface Rehearsal {

  ExecutionReport rehearse(String incidentId, Playbook playbook, Map<String, String> parameters);
}
