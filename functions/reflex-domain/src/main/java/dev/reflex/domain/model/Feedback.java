package dev.reflex.domain.model;

import dev.reflex.domain.error.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What a person said about how Reflex handled an incident. Feedback is appended, never edited; the
 * reliability score weighs recent feedback more (half-life {@link #HALF_LIFE}).
 *
 * <p>Validated on construction; a refusal names the field at fault
 * ({@link InvalidInputException#field()}).
 *
 * @param rating 1 (useless) to 5 (exactly right)
 * @param helpful, accurate, actionsWorked answers to yes/no questions; {@code null} when not answered
 * @param actualResolution what really fixed it; required for a {@link Type#CORRECTION}
 * @param at when it was recorded; {@code null} until {@code RecordFeedback} stamps it
 * @param signature, playbookId what the incident was and which playbook it ran; filled from the
 *     incident when recorded, so feedback can be found per pattern
 */
public record Feedback(
    String incidentId,
    Type type,
    int rating,
    Boolean helpful,
    Boolean accurate,
    Boolean actionsWorked,
    String comment,
    String whatWorked,
    String actualResolution,
    String author,
    Instant at,
    Signature signature,
    String playbookId) {

  public static final int MAX_TEXT = 4000;
  public static final Duration HALF_LIFE = Duration.ofDays(30);
  /** Feedback worth at least this much (a rating of 4 with nothing contradicting it) is positive. */
  public static final double POSITIVE = 0.75;

  public Feedback {
    if (incidentId == null || incidentId.isBlank()) {
      throw new InvalidInputException("incidentId", "incidentId is required");
    }
    if (type == null) {
      throw new InvalidInputException("type", "type is required: one of remediation, diagnosis, correction, general");
    }
    if (rating < 1 || rating > 5) {
      throw new InvalidInputException("rating", "rating must be 1 to 5: " + rating);
    }
    comment = text(comment, "comment");
    whatWorked = text(whatWorked, "whatWorked");
    actualResolution = text(actualResolution, "actualResolution");
    if (type == Type.CORRECTION && actualResolution.isEmpty()) {
      throw new InvalidInputException("actualResolution", "a correction must say what actually resolved the incident");
    }
    author = text(author, "author");
    if (author.isEmpty()) {
      author = "anonymous";
    } else if (author.length() > 200) {
      throw new InvalidInputException("author", "author is longer than 200 characters");
    }
  }

  /** Feedback as a person gives it: not yet stamped or bound to the incident's pattern. */
  public static Feedback of(String incidentId, Type type, int rating, Boolean helpful, Boolean accurate,
      Boolean actionsWorked, String comment, String whatWorked, String actualResolution, String author) {
    return new Feedback(incidentId, type, rating, helpful, accurate, actionsWorked, comment, whatWorked,
        actualResolution, author, null, null, null);
  }

  /** A copy stamped with the time it was recorded and bound to the incident's signature and playbook. */
  public Feedback recorded(Instant recordedAt, Signature newSignature, String newPlaybookId) {
    return new Feedback(incidentId, type, rating, helpful, accurate, actionsWorked, comment, whatWorked,
        actualResolution, author, recordedAt, newSignature, newPlaybookId);
  }

  /**
   * How good the handling was, in [0, 1]: the mean of the rating ((rating - 1) / 4) and of each
   * yes/no answer given (yes 1, no 0). A correction is at most 0.25: the plan was not what fixed it.
   */
  public double value() {
    double sum = (rating - 1) / 4d;
    int n = 1;
    for (Boolean answer : new Boolean[] {helpful, accurate, actionsWorked}) {
      if (answer != null) {
        sum += answer ? 1 : 0;
        n++;
      }
    }
    double value = sum / n;
    return type == Type.CORRECTION ? Math.min(value, 0.25) : value;
  }

  public boolean positive() {
    return value() >= POSITIVE;
  }

  /** Weight of this feedback at {@code now}: 1 when new, halved every {@link #HALF_LIFE}. */
  public double weightAt(Instant now) {
    if (at == null) {
      return 1;
    }
    double ageDays = Math.max(0, Duration.between(at, now).toMillis()) / 86_400_000d;
    return Math.pow(0.5, ageDays / HALF_LIFE.toDays());
  }

  public enum Type {
    /** About the remediation that ran (or was proposed). */
    REMEDIATION,
    /** About the diagnosis only. */
    DIAGNOSIS,
    /** The plan was wrong; {@code actualResolution} says what fixed it. */
    CORRECTION,
    GENERAL;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Type parse(String text) {
      try {
        return valueOf(Objects.requireNonNull(text).trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new InvalidInputException("type", "type must be remediation, diagnosis, correction or general: " + text);
      }
    }
  }

  private static String text(String value, String field) {
    if (value == null) {
      return "";
    }
    String flat = value.replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "").strip();
    if (flat.length() > MAX_TEXT) {
      throw new InvalidInputException(field, field + " is longer than " + MAX_TEXT + " characters");
    }
    return flat;
  }
}
