package dev.reflex.lambda.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.error.PlaybookNotFoundException;
import dev.reflex.domain.error.ReflexException;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.AuditLog;
import dev.reflex.domain.service.RecordFeedback;
import dev.reflex.domain.service.ReenablePlaybook;
import dev.reflex.lambda.approval.ApprovalPages;
import dev.reflex.lambda.config.ReflexServices;
import dev.reflex.lambda.review.SyncFunction;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * "operator": what a person does to Reflex on AWS, behind API Gateway HTTP API routes that require
 * IAM authorization (SigV4-signed requests):
 *
 * <pre>
 * POST /api/v1/incidents/{id}/feedback   JSON {"rating": 1-5, "type", "helpful", ...}; 201
 * POST /api/v1/playbooks/{id}/enable     JSON {"reason": ..., "signature": ...}; 200
 * GET  /api/v1/incidents/{id}/audit      the incident's audit trail, oldest first ({@code system}: configuration)
 * </pre>
 *
 * <p>Who acts is the IAM principal API Gateway authenticated ({@code requestContext.authorizer.iam.userArn}),
 * never a field of the body: an event without one is answered 401 and nothing is read or changed.
 * Errors are JSON {@code {"error", "field"}}; the body is never echoed back.
 */
@Singleton
public class OperatorFunction {

  static final int MAX_BODY_BYTES = SyncFunction.MAX_BODY_BYTES;
  private static final int MAX_ID_CHARS = 200;
  /** Three parts of at most 63 characters and two separators. */
  private static final int MAX_SIGNATURE_CHARS = 3 * 63 + 2;
  private static final Logger LOG = Logger.getLogger(OperatorFunction.class);

  private final ReflexServices services;
  private final AuditLog audit;
  private final ObjectMapper json;

  @Inject
  public OperatorFunction(ReflexServices services, AuditLog audit, ObjectMapper json) {
    this.services = services;
    this.audit = audit;
    this.json = json;
  }

  /** An answer other than 2xx: its status, the field at fault (or none) and a message free of secrets. */
  private static final class Problem extends RuntimeException {
    final int status;
    final String field;
    final String allow;

    Problem(int status, String field, String message) {
      this(status, field, message, null);
    }

    Problem(int status, String field, String message, String allow) {
      super(message, null, false, false);
      this.status = status;
      this.field = field;
      this.allow = allow;
    }
  }

  @Funq("operator")
  public JsonNode operator(JsonNode event) {
    try {
      String actor = caller(event);
      String method = event.path("requestContext").path("http").path("method").asText("");
      String[] path = event.path("rawPath").asText("").split("/", -1);
      if (path.length != 6 || !path[0].isEmpty() || !path[1].equals("api") || !path[2].equals("v1")) {
        throw new Problem(404, null, "no such route");
      }
      String id = id(path[4]);
      String route = path[3] + "/" + path[5];
      return switch (route) {
        case "incidents/feedback" -> {
          allow(method, "POST");
          yield http(201, feedback(id, body(event), actor));
        }
        case "playbooks/enable" -> {
          allow(method, "POST");
          yield http(200, enable(id, body(event), actor));
        }
        case "incidents/audit" -> {
          allow(method, "GET");
          yield http(200, auditTrail(id));
        }
        default -> throw new Problem(404, null, "no such route");
      };
    } catch (Problem problem) {
      return error(problem);
    } catch (ReflexException e) {
      return error(problemFor(e));
    } catch (RuntimeException e) {
      LOG.errorf("operator request failed: %s", e.getClass().getName());
      return error(new Problem(500, null, "internal error"));
    }
  }

  /** The authenticated IAM principal; a request API Gateway did not authenticate never gets further. */
  private static String caller(JsonNode event) {
    JsonNode arn = event == null ? null : event.path("requestContext").path("authorizer").path("iam").get("userArn");
    if (arn == null || !arn.isTextual() || arn.asText().isBlank()) {
      throw new Problem(401, null, "not authenticated: sign the request with AWS credentials (IAM authorization)");
    }
    return arn.asText().strip();
  }

  private JsonNode feedback(String incidentId, JsonNode body, String actor) {
    RecordFeedback record = services.recordFeedback();
    if (record == null) {
      throw new Problem(501, null, "feedback needs the policy engine's tables (REFLEX_FEEDBACK_TABLE and the others)");
    }
    return actions().feedback(record, FeedbackRequest.parseAuthenticated(incidentId, body, actor));
  }

  /** Re-enables a playbook (for one signature, or as a whole), audited as a configuration change. */
  private JsonNode enable(String playbookId, JsonNode body, String actor) {
    if (body.has("actor")) {
      throw new Problem(400, "actor", "the actor is the authenticated caller; leave actor out");
    }
    body.fieldNames().forEachRemaining(name -> {
      if (!name.equals("reason") && !name.equals("signature")) {
        throw new Problem(400, name.length() > 60 ? "body" : name, "unknown field");
      }
    });
    String reason = optionalString(body, "reason", ApprovalPages.MAX_REASON_CHARS);
    String signatureText = optionalString(body, "signature", MAX_SIGNATURE_CHARS);
    if (reason == null || reason.isBlank()) {
      throw new Problem(400, "reason", "re-enabling a playbook needs a reason");
    }
    Signature signature = signatureText == null ? null : ReenablePlaybook.signature(signatureText);
    ReenablePlaybook.Reenabled done = actions().reenable(services.reenablePlaybook(), playbookId, signature, actor,
        reason);
    ObjectNode view = json.createObjectNode();
    view.put("id", done.playbook().id());
    view.put("version", done.playbook().version());
    view.put("title", done.playbook().title());
    view.put("status", done.playbook().status().name());
    view.put("signature", signature == null ? null : signature.toString());
    view.put("reenabledBy", done.actor());
    view.put("reason", done.reason());
    view.put("reenabledAt", done.at().toString());
    return view;
  }

  private JsonNode auditTrail(String incidentId) {
    ArrayNode entries = json.createArrayNode();
    actions().auditTrail(incidentId).forEach(entries::add);
    return entries;
  }

  private OperatorActions actions() {
    return new OperatorActions(services.ports().incidents(), audit, json);
  }

  // ---- request helpers ---------------------------------------------------------------------

  private static void allow(String method, String allowed) {
    if (!allowed.equals(method)) {
      throw new Problem(405, null, "method not allowed", allowed);
    }
  }

  /** A path segment as an id: percent-decoded, non-empty, short, one line. */
  private static String id(String segment) {
    String id;
    try {
      id = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Problem(400, "url", "malformed percent-encoding in the URL");
    }
    if (id.isEmpty() || id.length() > MAX_ID_CHARS || id.chars().anyMatch(Character::isISOControl)) {
      throw new Problem(404, "id", "no such id");
    }
    return id;
  }

  /** The request body as a JSON object (API Gateway may base64-encode it). */
  private JsonNode body(JsonNode event) {
    JsonNode raw = event.get("body");
    if (raw == null || raw.isNull()) {
      throw new Problem(400, "body", "must be a JSON object");
    }
    if (!raw.isTextual()) {
      throw new Problem(400, "body", "body must be a string");
    }
    byte[] bytes;
    try {
      bytes = event.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(raw.asText())
          : raw.asText().getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Problem(400, "body", "body is not valid base64");
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new Problem(413, "body", "body exceeds " + MAX_BODY_BYTES + " bytes");
    }
    JsonNode body;
    try {
      body = json.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new Problem(400, "body", "malformed JSON");
    } catch (IOException e) {
      throw new Problem(400, "body", "unreadable body");
    }
    if (body == null || !body.isObject()) {
      throw new Problem(400, "body", "must be a JSON object");
    }
    return body;
  }

  private static String optionalString(JsonNode request, String field, int max) {
    JsonNode value = request.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new Problem(400, field, field + " must be a string");
    }
    if (value.textValue().length() > max) {
      throw new Problem(400, field, field + " is longer than " + max + " characters");
    }
    return value.textValue();
  }

  // ---- responses ---------------------------------------------------------------------------

  /** Reflex's own failures, as the embedded HTTP server answers them. */
  private static Problem problemFor(ReflexException e) {
    return switch (e) {
      case InvalidInputException invalid -> new Problem(400, invalid.field(), safeMessage(invalid, "invalid input"));
      case IncidentNotFoundException notFound -> new Problem(404, "id", "no incident with this id");
      case PlaybookNotFoundException notFound -> new Problem(404, "id", "no playbook with this id");
      case ConcurrentUpdateException conflict ->
          new Problem(503, null, "changed by another request at the same time; try again");
      default -> {
        LOG.errorf("operator request failed: %s", e.getClass().getName());
        yield new Problem(500, null, "internal error");
      }
    };
  }

  /** A domain exception's message when it is short and one line, else a fixed text. */
  private static String safeMessage(RuntimeException e, String fallback) {
    String message = e.getMessage();
    if (message == null || message.isBlank() || message.length() > 300
        || message.chars().anyMatch(Character::isISOControl)) {
      return fallback;
    }
    return message;
  }

  private JsonNode error(Problem problem) {
    ObjectNode body = json.createObjectNode();
    body.put("error", problem.getMessage());
    body.put("field", problem.field);
    ObjectNode response = (ObjectNode) http(problem.status, body);
    if (problem.allow != null) {
      ((ObjectNode) response.get("headers")).put("Allow", problem.allow);
    }
    return response;
  }

  private JsonNode http(int status, JsonNode body) {
    ObjectNode response = json.createObjectNode();
    response.put("statusCode", status);
    ObjectNode headers = response.putObject("headers");
    headers.put("Content-Type", "application/json; charset=utf-8");
    headers.put("Cache-Control", "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    response.put("body", body.toString());
    return response;
  }
}
