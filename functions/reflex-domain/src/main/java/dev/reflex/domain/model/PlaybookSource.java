package dev.reflex.domain.model;

import java.util.Locale;

/** Where a playbook came from. */
public enum PlaybookSource {
  /** Shipped in the playbook repository and reviewed like code. */
  CATALOG,
  /** Drafted by Reflex from an incident (offline consultant) and learned from outcomes. */
  LEARNED,
  /** Drafted by a language model; never executed without review and approval. */
  LLM;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PlaybookSource parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
