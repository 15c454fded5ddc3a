package dev.reflex.lambda.review;

import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.port.AuditLog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.adapters.pullrequests.MalformedWebhookException;
import dev.reflex.adapters.pullrequests.WebhookRejectedException;
import dev.reflex.domain.review.SyncPlaybooks;
import dev.reflex.lambda.config.ReflexServices;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * "sync": brings playbook metadata in line with the playbook repository's target branch
 * ({@link SyncPlaybooks}: merged drafts become ACTIVE at their version, closed reviews REJECTED).
 *
 * <p>Two triggers, one function: a schedule (an EventBridge event, or any direct invocation) syncs
 * at once; the hosting service's webhook arrives through API Gateway (an HTTP API event) and is
 * authenticated first ({@link ReviewWebhook}): a missing or forged signature is answered 401 and
 * nothing is synced or even read.
 */
@Singleton
public class SyncFunction {

  /** API Gateway's own limit is 10 MB; review events are far smaller. */
  public static final int MAX_BODY_BYTES = 5 * 1024 * 1024;
  private static final Logger LOG = Logger.getLogger(SyncFunction.class);

  private final ReflexServices services;
  private final ReviewWebhook webhook;
  private final ObjectMapper json;
  private final AuditLog audit;

  @Inject
  public SyncFunction(ReflexServices services, ReviewWebhook webhook, ObjectMapper json, AuditLog audit) {
    this.services = services;
    this.webhook = webhook;
    this.json = json;
    this.audit = audit;
  }

  @Funq("sync")
  public JsonNode sync(JsonNode event) {
    boolean viaApiGateway = event != null && event.has("requestContext") && event.has("headers");
    if (!viaApiGateway) {
      return report(run("schedule"));
    }
    byte[] body;
    try {
      body = body(event);
    } catch (IllegalArgumentException e) {
      return http(400, json.createObjectNode().put("error", e.getMessage()));
    }
    ReviewWebhook.Decision decision;
    try {
      decision = webhook.read(headers(event.get("headers")), body);
    } catch (WebhookRejectedException e) {
      LOG.warnf("review webhook refused: %s", e.getMessage());
      return http(401, json.createObjectNode().put("error", "webhook not authenticated"));
    } catch (MalformedWebhookException e) {
      return http(400, json.createObjectNode().put("error", e.getMessage()));
    }
    if (!decision.sync()) {
      return http(200, json.createObjectNode().put("synced", false).put("reason", decision.reason()));
    }
    ObjectNode answer = report(run("review webhook (" + decision.reason() + ")"));
    answer.put("reason", decision.reason());
    return http(200, answer);
  }

  /** Syncs, and audits what changed as a configuration change made by Reflex on {@code trigger}. */
  private SyncPlaybooks.Report run(String trigger) {
    SyncPlaybooks sync = services.syncPlaybooks();
    if (sync == null) {
      throw new IllegalStateException("no playbook repository is configured to sync from");
    }
    SyncPlaybooks.Report report = sync.sync();
    LOG.infof("synced with %s: %d changes, %d problems", report.commitSha(), report.changes().size(),
        report.problems().size());
    if (!report.changes().isEmpty() || !report.problems().isEmpty()) {
      audit.append(new AuditEntry(services.ports().clock().instant(), AuditEntry.SYSTEM, AuditEntry.REFLEX,
          "config.synced", SyncAudit.detail(trigger, report)));
    }
    return report;
  }

  private ObjectNode report(SyncPlaybooks.Report report) {
    ObjectNode node = json.createObjectNode();
    node.put("synced", true);
    node.put("commitSha", report.commitSha());
    node.set("changes", json.valueToTree(report.changes()));
    node.set("problems", json.valueToTree(report.problems()));
    return node;
  }

  /** HTTP API (payload 2.0) lower-cases header names; a repeated header arrives comma-joined. */
  private static Map<String, String> headers(JsonNode headers) {
    Map<String, String> out = new LinkedHashMap<>();
    if (headers != null && headers.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> header = it.next();
        out.put(header.getKey(), header.getValue().asText(""));
      }
    }
    return out;
  }

  private static byte[] body(JsonNode event) {
    JsonNode body = event.get("body");
    if (body == null || body.isNull()) {
      return new byte[0];
    }
    if (!body.isTextual()) {
      throw new IllegalArgumentException("body must be a string");
    }
    byte[] bytes = event.path("isBase64Encoded").asBoolean(false)
        ? Base64.getDecoder().decode(body.asText())
        : body.asText().getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BODY_BYTES) {
      throw new IllegalArgumentException("body exceeds " + MAX_BODY_BYTES + " bytes");
    }
    return bytes;
  }

  private JsonNode http(int status, JsonNode body) {
    ObjectNode response = json.createObjectNode();
    response.put("statusCode", status);
    response.putObject("headers").put("Content-Type", "application/json; charset=utf-8");
    response.put("body", body.toString());
    return response;
  }
}
