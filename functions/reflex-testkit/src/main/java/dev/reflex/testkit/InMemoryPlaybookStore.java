package dev.reflex.testkit;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.PlaybookAlreadyExistsException;
import dev.reflex.domain.error.PlaybookNotFoundException;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.PlaybookStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-safe in-memory {@link PlaybookStore} with revision checks. Counts {@link #list()} calls,
 * so a test can prove a use case never scans the whole table.
 */
public final class InMemoryPlaybookStore implements PlaybookStore {

  private final Map<String, Playbook> byId = new LinkedHashMap<>();
  private final AtomicInteger listCalls = new AtomicInteger();
  private final AtomicInteger updates = new AtomicInteger();
  private final AtomicInteger conflicts = new AtomicInteger();

  public InMemoryPlaybookStore(Playbook... playbooks) {
    for (Playbook playbook : playbooks) {
      create(playbook);
    }
  }

  @Override
  public synchronized Optional<Playbook> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public synchronized List<Playbook> findBySignature(Signature signature) {
    return byId.values().stream().filter(playbook -> signature.equals(playbook.signature())).toList();
  }

  @Override
  public synchronized List<Playbook> findByAnomalyType(String anomalyType) {
    return byId.values().stream().filter(playbook -> playbook.anomalyTypes().contains(anomalyType)).toList();
  }

  @Override
  public synchronized List<Playbook> list() {
    listCalls.incrementAndGet();
    return new ArrayList<>(byId.values());
  }

  @Override
  public synchronized Playbook create(Playbook playbook) {
    if (byId.containsKey(playbook.id())) {
      throw new PlaybookAlreadyExistsException("playbook " + playbook.id() + " already exists");
    }
    Playbook stored = playbook.withRevision(0);
    byId.put(stored.id(), stored);
    return stored;
  }

  @Override
  public synchronized Playbook update(Playbook playbook) {
    Playbook stored = byId.get(playbook.id());
    if (stored == null) {
      throw new PlaybookNotFoundException("no playbook " + playbook.id());
    }
    if (stored.revision() != playbook.revision()) {
      conflicts.incrementAndGet();
      throw new ConcurrentUpdateException("playbook " + playbook.id() + " is at revision " + stored.revision()
          + ", not " + playbook.revision());
    }
    Playbook next = playbook.withRevision(stored.revision() + 1);
    byId.put(next.id(), next);
    updates.incrementAndGet();
    return next;
  }

  /** Stores a playbook as is, bypassing the checks (test set-up). */
  public synchronized Playbook put(Playbook playbook) {
    byId.put(playbook.id(), playbook);
    return playbook;
  }

  public synchronized Playbook get(String id) {
    return find(id).orElseThrow(() -> new PlaybookNotFoundException("no playbook " + id));
  }

  public int listCalls() {
    return listCalls.get();
  }

  public int updates() {
    return updates.get();
  }

  /** How many updates were refused because the stored copy had moved on. */
  public int conflicts() {
    return conflicts.get();
  }
}
