package dev.reflex.lambda.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.Feedback;
import java.util.Set;

/**
 * The JSON body of {@code POST /api/v1/incidents/{id}/feedback}, read into a {@link Feedback}:
 * {@code type} (default remediation), {@code rating} 1-5 (required), {@code helpful},
 * {@code accurate}, {@code actionsWorked} (booleans), {@code comment}, {@code whatWorked},
 * {@code actualResolution}, {@code author} (strings). A wrong type or an unknown field is refused
 * naming the field. Both runtimes read it here: the embedded HTTP server takes the author from the
 * body; the operator API on AWS from the caller's authenticated identity, and refuses one in the body.
 */
public final class FeedbackRequest {

  private static final Set<String> FIELDS = Set.of("type", "rating", "helpful", "accurate", "actionsWorked",
      "comment", "whatWorked", "actualResolution", "author");

  private FeedbackRequest() {}

  /** @throws InvalidInputException naming the field at fault */
  public static Feedback parse(String incidentId, JsonNode body) {
    return parse(incidentId, body, text(object(body), "author"));
  }

  /**
   * Feedback whose author is who the caller was authenticated as, never what the body says.
   *
   * @throws InvalidInputException naming the field at fault; {@code author} when the body names one
   */
  public static Feedback parseAuthenticated(String incidentId, JsonNode body, String author) {
    if (object(body).has("author")) {
      throw new InvalidInputException("author", "the author is the authenticated caller; leave author out");
    }
    return parse(incidentId, body, author);
  }

  private static JsonNode object(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidInputException("body", "must be a JSON object");
    }
    return body;
  }

  private static Feedback parse(String incidentId, JsonNode body, String author) {
    body.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        throw new InvalidInputException(name.length() > 60 ? "body" : name, "unknown field");
      }
    });
    JsonNode rating = body.get("rating");
    if (rating == null || rating.isNull()) {
      throw new InvalidInputException("rating", "rating is required: 1 to 5");
    }
    if (!rating.isIntegralNumber() || !rating.canConvertToInt()) {
      throw new InvalidInputException("rating", "rating must be a whole number from 1 to 5");
    }
    String type = text(body, "type");
    return Feedback.of(incidentId, type == null ? Feedback.Type.REMEDIATION : Feedback.Type.parse(type),
        rating.intValue(), bool(body, "helpful"), bool(body, "accurate"), bool(body, "actionsWorked"),
        text(body, "comment"), text(body, "whatWorked"), text(body, "actualResolution"), author);
  }

  private static Boolean bool(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw new InvalidInputException(field, field + " must be true or false");
    }
    return value.booleanValue();
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidInputException(field, field + " must be a string");
    }
    return value.textValue();
  }
}
