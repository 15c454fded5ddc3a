package dev.reflex.domain.service;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.error.PlaybookNotFoundException;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.port.PlaybookStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * A person re-enables a playbook that {@link LearnFromOutcome} disabled after consecutive
 * failures. Its consecutive failures are reset and its confidence kept. A catalog playbook becomes
 * ACTIVE again; a learned or drafted one PENDING_REVIEW, so that it runs only with approval until
 * it is reviewed again.
 */
public final class ReenablePlaybook {

  private final PlaybookStore playbooks;
  private final Clock clock;

  public ReenablePlaybook(PlaybookStore playbooks, Clock clock) {
    this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Who re-enabled what, when and why. */
  public record Reenabled(Playbook playbook, String actor, String reason, Instant at) {}

  /**
   * @throws PlaybookNotFoundException when there is no such playbook
   * @throws InvalidInputException when the playbook is not disabled, or no actor is given
   */
  public Reenabled reenable(String playbookId, String actor, String reason) {
    if (actor == null || actor.isBlank()) {
      throw new InvalidInputException("actor", "who re-enables the playbook is required");
    }
    for (int attempt = 0; attempt < LearnFromOutcome.ATTEMPTS; attempt++) {
      Playbook playbook = playbooks.find(playbookId)
          .orElseThrow(() -> new PlaybookNotFoundException("no playbook " + playbookId));
      if (playbook.status() != PlaybookStatus.DISABLED) {
        throw new InvalidInputException("status", "playbook " + playbookId + " is "
            + playbook.status().name().toLowerCase(java.util.Locale.ROOT) + ", not disabled");
      }
      PlaybookStats s = playbook.stats();
      PlaybookStatus status = playbook.source() == PlaybookSource.CATALOG ? PlaybookStatus.ACTIVE
          : PlaybookStatus.PENDING_REVIEW;
      Playbook next = playbook.withStatus(status)
          .withStats(new PlaybookStats(s.confidence(), s.successCount(), s.failureCount(), 0, s.lastOutcomeAt()));
      try {
        return new Reenabled(playbooks.update(next), actor.strip(), Objects.requireNonNullElse(reason, ""),
            clock.instant());
      } catch (ConcurrentUpdateException e) {
        // an outcome landed meanwhile: read it again
      }
    }
    throw new ConcurrentUpdateException("playbook " + playbookId + " kept changing; not re-enabled");
  }
}
