/**
 * The checks around each step of an execution: pre-checks before a step starts (time window,
 * rate limit, target health), which stop the remediation and roll back what ran when one refuses.
 */
package dev.reflex.domain.execution;
