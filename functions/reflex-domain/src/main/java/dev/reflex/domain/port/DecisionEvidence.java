package dev.reflex.domain.port;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.CategoryTotals;
import dev.reflex.domain.policy.FeedbackScore;
import dev.reflex.domain.policy.PatternTotals;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a decision is judged on besides the incident and the policy, gathered at once: the
 * playbook as stored now, the pattern's feedback and totals, the category's outcome totals and
 * the use of the rate limits and cooldown that would apply. A store that can read across its
 * tables in one request gathers it in one round trip (DynamoDB: one BatchGetItem); {@link #of}
 * asks each port in turn.
 */
public interface DecisionEvidence {

  Evidence gather(Request request);

  /**
   * @param signature {@code null} when the incident has none: no pattern evidence is read
   * @param historySince the start of the category's history window
   * @param slots the rate limits and cooldown whose use is read
   */
  record Request(String playbookId, Signature signature, String category, Instant historySince,
      ActionCounters.Slots slots) {
    public Request {
      Objects.requireNonNull(playbookId, "playbookId");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(historySince, "historySince");
      Objects.requireNonNull(slots, "slots");
    }
  }

  /** @param playbook empty when the store has no such playbook */
  record Evidence(Optional<Playbook> playbook, List<FeedbackScore> feedback, PatternTotals pattern,
      CategoryTotals category, ActionCounters.Usage usage) {
    public Evidence {
      Objects.requireNonNull(playbook, "playbook");
      feedback = List.copyOf(feedback);
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(usage, "usage");
    }
  }

  /** The evidence read from each port in turn: one read per port. */
  static DecisionEvidence of(PlaybookStore playbooks, FeedbackStore feedback, OutcomeHistory history,
      ActionCounters counters) {
    Objects.requireNonNull(playbooks, "playbooks");
    Objects.requireNonNull(feedback, "feedback");
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(counters, "counters");
    return request -> {
      Signature signature = request.signature();
      return new Evidence(
          playbooks.find(request.playbookId()),
          signature == null ? List.of() : feedback.scores(signature, request.playbookId()),
          signature == null ? PatternTotals.none() : history.patternTotals(signature, request.playbookId()),
          history.categoryTotals(request.category(), request.historySince()),
          request.slots().isEmpty() ? ActionCounters.Usage.none() : counters.usage(request.slots()));
    };
  }
}
