package dev.reflex.domain.port;

import dev.reflex.domain.policy.PolicySet;

/**
 * The remediation policies in force: {@code policies/*.yml} of the playbook repository (read and
 * validated at start-up), or a fixed set in tests.
 */
public interface PolicySource {

  PolicySet policies();
}
