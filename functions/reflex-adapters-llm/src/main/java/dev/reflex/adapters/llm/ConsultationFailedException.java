package dev.reflex.adapters.llm;

import dev.reflex.domain.error.ReflexException;
import java.util.List;
import java.util.Objects;

/**
 * A language-model consultation produced nothing usable; the caller falls back to the offline
 * consultant (see {@link FallbackConsultant}). The message and {@link #details()} are safe to
 * record: they hold anonymised text only, never the privacy mapping or a credential.
 */
public final class ConsultationFailedException extends ReflexException {

  /** Why a consultation failed. */
  public enum Reason {
    ANSWER_INVALID("answer invalid"),
    ANSWER_TRUNCATED("answer truncated"),
    ANSWER_REFUSED("answer refused by safety checks"),
    THROTTLED("throttled"),
    TIMED_OUT("timed out"),
    UNAVAILABLE("unavailable"),
    REQUEST_REJECTED("request rejected");

    private final String phrase;

    Reason(String phrase) {
      this.phrase = phrase;
    }

    public String phrase() {
      return phrase;
    }
  }

  private final String provider;
  private final Reason reason;
  private final List<String> details;
  private final transient LlmUsage usage;

  /**
   * @param provider {@code bedrock} or {@code openai_compatible}
   * @param details validation errors or the failure's kind; anonymised
   * @param usage what the failed calls cost, or {@code null} when no call was answered
   */
  public ConsultationFailedException(String provider, Reason reason, List<String> details, LlmUsage usage) {
    super(provider + " " + reason.phrase() + (details == null || details.isEmpty() ? ""
        : ": " + String.join("; ", details.stream().limit(5).toList())));
    this.provider = Objects.requireNonNull(provider, "provider");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.details = List.copyOf(Objects.requireNonNullElse(details, List.of()));
    this.usage = usage;
  }

  public String provider() {
    return provider;
  }

  public Reason kind() {
    return reason;
  }

  /** A short phrase for the incident record: {@code bedrock answer invalid}. */
  public String reason() {
    return provider + " " + reason.phrase();
  }

  public List<String> details() {
    return details;
  }

  public LlmUsage usage() {
    return usage;
  }

  /** The same failure, with the usage of every call made so far. */
  public ConsultationFailedException withUsage(LlmUsage total) {
    ConsultationFailedException copy = new ConsultationFailedException(provider, reason, details, total);
    copy.initCause(getCause());
    return copy;
  }
}
