package dev.reflex.lambda.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.domain.model.ApprovalVote;
import dev.reflex.domain.service.ResolveApproval;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * "approval": the approvers' links behind the API Gateway HTTP API routes
 * {@code GET /approvals/{id}/{approver}} (the confirmation page; it changes nothing) and
 * {@code POST /approvals/{id}/{approver}} (records the vote; the last one needed releases the
 * Step Functions task token with SendTaskSuccess, a rejection with SendTaskFailure). The event is an
 * HTTP API (payload 2.0) request; the answer is its HTML response.
 */
@Singleton
public class ApprovalFunction {

  static final int MAX_FORM_BYTES = 16 * 1024;

  private final ApprovalEndpoint endpoint;
  private final ObjectMapper json;

  @Inject
  public ApprovalFunction(ResolveApproval approvals, ObjectMapper json) {
    this.endpoint = new ApprovalEndpoint(
        (id, approver, sig) -> ApprovalView.of(approvals.view(id, approver, sig), approver, null),
        (id, approver, sig, approve, reason, source) ->
            ApprovalView.of(approvals.decide(id, approver, sig, approve, reason, source), approver, null));
    this.json = json;
  }

  @Funq("approval")
  public JsonNode approval(JsonNode event) {
    JsonNode http = event.path("requestContext").path("http");
    String method = http.path("method").asText("");
    String[] path = event.path("rawPath").asText("").split("/", -1);
    if (path.length != 4 || !path[0].isEmpty() || !path[1].equals("approvals")) {
      return response(new ApprovalEndpoint.Response(404, ApprovalPages.error("Not found", "No such page.")), null);
    }
    String id = decode(path[2], false);
    String approver = decode(path[3], false);
    ApprovalEndpoint.Response response = switch (method) {
      case "GET" -> endpoint.show(id, approver, form(event.path("rawQueryString").asText("")).get("sig"));
      case "POST" -> {
        String body = body(event);
        yield body == null
            ? new ApprovalEndpoint.Response(413, ApprovalPages.error("Too large", "The form is too large."))
            : endpoint.decide(id, approver, form(body), ApprovalVote.Source.link(http.path("sourceIp").asText(""),
                http.path("userAgent").asText("")));
      }
      default -> new ApprovalEndpoint.Response(405, ApprovalPages.error("Method not allowed", "Use the link or its form."));
    };
    return response(response, "GET".equals(method) || "POST".equals(method) ? null : "GET, POST");
  }

  /** The form body, or {@code null} when it is larger than {@value #MAX_FORM_BYTES} bytes. */
  private static String body(JsonNode event) {
    String raw = event.path("body").asText("");
    byte[] bytes;
    try {
      bytes = event.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(raw)
          : raw.getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
    return bytes.length > MAX_FORM_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /** {@code a=1&b=2}, percent- and plus-decoded; the first occurrence of a name wins. */
  static Map<String, String> form(String raw) {
    Map<String, String> values = new HashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      values.putIfAbsent(decode(eq < 0 ? pair : pair.substring(0, eq), true),
          eq < 0 ? "" : decode(pair.substring(eq + 1), true));
    }
    return values;
  }

  private static String decode(String text, boolean plusIsSpace) {
    try {
      return URLDecoder.decode(plusIsSpace ? text : text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private JsonNode response(ApprovalEndpoint.Response page, String allow) {
    ObjectNode response = json.createObjectNode();
    response.put("statusCode", page.status());
    ObjectNode headers = response.putObject("headers");
    headers.put("Content-Type", "text/html; charset=utf-8");
    headers.put("Cache-Control", "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    headers.put("Referrer-Policy", "no-referrer");
    if (allow != null) {
      headers.put("Allow", allow);
    }
    response.put("body", page.html());
    return response;
  }
}
