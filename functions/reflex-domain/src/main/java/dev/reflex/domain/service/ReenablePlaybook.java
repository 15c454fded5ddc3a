package dev.reflex.domain.service;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.error.PlaybookNotFoundException;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.OutcomeHistory;
import dev.reflex.domain.port.PlaybookStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A person re-enables a playbook that {@link LearnFromOutcome} disabled after consecutive
 * failures: for one signature (the pattern, kept in the {@link OutcomeHistory}: its run of failures
 * starts again from 0) or, where there is no history, as a whole. A whole playbook re-enabled keeps
 * its confidence and has its consecutive failures reset; a catalog playbook becomes ACTIVE again, a
 * learned or drafted one PENDING_REVIEW, so that it runs only with approval until it is reviewed
 * again.
 */
public final class ReenablePlaybook {

  private final PlaybookStore playbooks;
  private final OutcomeHistory history;
  private final Clock clock;

  /** Whole playbooks only: there is no outcome history to disable a signature in. */
  public ReenablePlaybook(PlaybookStore playbooks, Clock clock) {
    this(playbooks, null, clock);
  }

  /** @param history where patterns are disabled; {@code null}: whole playbooks only */
  public ReenablePlaybook(PlaybookStore playbooks, OutcomeHistory history, Clock clock) {
    this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
    this.history = history;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Who re-enabled what, when and why.
   *
   * @param signature the signature the playbook was re-enabled for; {@code null}: the whole playbook
   */
  public record Reenabled(Playbook playbook, Signature signature, String actor, String reason, Instant at) {}

  /**
   * The signature a person typed, as stored: {@code anomaly_type|service|scope}, each part already
   * normalised (as an incident shows it).
   *
   * @throws InvalidInputException naming {@code signature} when it is not one
   */
  public static Signature signature(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException("signature", "signature is empty: give anomaly_type|service|scope");
    }
    try {
      return Signature.parse(text.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("signature", "signature must be anomaly_type|service|scope as an incident "
          + "shows it (lower case; letters, digits, '.', '_' and '-' in each part)");
    }
  }

  /**
   * Re-enables the whole playbook.
   *
   * @throws PlaybookNotFoundException when there is no such playbook
   * @throws InvalidInputException when the playbook is not disabled, or no actor is given
   */
  public Reenabled reenable(String playbookId, String actor, String reason) {
    return reenable(playbookId, null, actor, reason);
  }

  /**
   * Re-enables the playbook for {@code signature}, or as a whole when it is {@code null}.
   *
   * @throws PlaybookNotFoundException when there is no such playbook
   * @throws InvalidInputException naming {@code actor} when none is given; {@code signature} when a
   *     signature is given but there is no outcome history; {@code status} when the playbook (for
   *     that signature) is not disabled
   */
  public Reenabled reenable(String playbookId, Signature signature, String actor, String reason) {
    if (actor == null || actor.isBlank()) {
      throw new InvalidInputException("actor", "who re-enables the playbook is required");
    }
    if (signature != null) {
      return reenablePattern(playbookId, signature, actor, reason);
    }
    for (int attempt = 0; attempt < LearnFromOutcome.ATTEMPTS; attempt++) {
      Playbook playbook = find(playbookId);
      if (playbook.status() != PlaybookStatus.DISABLED) {
        throw new InvalidInputException("status", "playbook " + playbookId + " is "
            + playbook.status().name().toLowerCase(Locale.ROOT) + ", not disabled"
            + (history == null ? "" : " (a playbook disabled for one signature is re-enabled with that signature)"));
      }
      PlaybookStats s = playbook.stats();
      PlaybookStatus status = playbook.source() == PlaybookSource.CATALOG ? PlaybookStatus.ACTIVE
          : PlaybookStatus.PENDING_REVIEW;
      Playbook next = playbook.withStatus(status)
          .withStats(new PlaybookStats(s.confidence(), s.successCount(), s.failureCount(), 0, s.lastOutcomeAt()));
      try {
        return new Reenabled(playbooks.update(next), null, actor.strip(), Objects.requireNonNullElse(reason, ""),
            clock.instant());
      } catch (ConcurrentUpdateException e) {
        // an outcome landed meanwhile: read it again
      }
    }
    throw new ConcurrentUpdateException("playbook " + playbookId + " kept changing; not re-enabled");
  }

  private Reenabled reenablePattern(String playbookId, Signature signature, String actor, String reason) {
    if (history == null) {
      throw new InvalidInputException("signature", "this runtime keeps no outcome history, so playbooks are "
          + "disabled as a whole: re-enable " + playbookId + " without a signature");
    }
    Playbook playbook = find(playbookId);
    if (!history.reenablePattern(signature, playbookId)) {
      throw new InvalidInputException("status", "playbook " + playbookId + " is not disabled for signature "
          + signature);
    }
    return new Reenabled(playbook, signature, actor.strip(), Objects.requireNonNullElse(reason, ""), clock.instant());
  }

  private Playbook find(String playbookId) {
    return playbooks.find(playbookId).orElseThrow(() -> new PlaybookNotFoundException("no playbook " + playbookId));
  }
}
