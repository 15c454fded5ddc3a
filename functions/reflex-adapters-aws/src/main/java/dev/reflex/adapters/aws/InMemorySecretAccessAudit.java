package dev.reflex.adapters.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Keeps secret reads in memory, in order. Thread-safe. */
public final class InMemorySecretAccessAudit implements SecretAccessAudit {

  public record Access(String name, String purpose, Instant at) {}

  private final List<Access> accesses = new ArrayList<>();

  @Override
  public synchronized void record(String name, String purpose, Instant at) {
    accesses.add(new Access(name, purpose, at));
  }

  public synchronized List<Access> accesses() {
    return List.copyOf(accesses);
  }
}
