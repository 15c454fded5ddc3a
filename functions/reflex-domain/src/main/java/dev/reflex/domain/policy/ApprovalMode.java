package dev.reflex.domain.policy;

import java.util.Locale;

/** When a risk class needs a person's approval (the policy's {@code requires_approval}). */
public enum ApprovalMode {
  /** Always waits for approval. {@code critical_write} is always this, whatever a policy says. */
  ALWAYS,
  /** Never needs approval on its own account (other checks may still ask for it). */
  NEVER,
  /** Needs approval unless auto-remediation is on and every threshold and eligibility check passes. */
  UNLESS_AUTO;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ApprovalMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("approval mode must be always, never or unless_auto: " + text);
    }
  }
}
