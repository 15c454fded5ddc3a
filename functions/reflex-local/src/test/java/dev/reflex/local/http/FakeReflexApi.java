package dev.reflex.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.domain.error.ApprovalAlreadyDecidedException;
import dev.reflex.domain.error.ApprovalExpiredException;
import dev.reflex.domain.error.ApprovalNotFoundException;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.error.InvalidApprovalSignatureException;
import dev.reflex.domain.model.Alert;
import dev.reflex.lambda.ingest.AlertmanagerWebhookParser;
import dev.reflex.lambda.approval.ApprovalView;
import dev.reflex.local.app.ReflexApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory {@link ReflexApi} for the HTTP and CLI tests: ingest validates with the real parser
 * and opens one incident per new occurrence; approvals are a map with signatures.
 */
public final class FakeReflexApi implements ReflexApi {

  public static final ObjectMapper JSON = new ObjectMapper();

  /** Calls of decide/decideAsOperator, as "decide id approve actor reason". */
  public final List<String> decisions = new CopyOnWriteArrayList<>();

  /** When set, every method throws it (to test the 500 path). */
  public volatile RuntimeException failure;

  /** What {@link #llmStats()} answers; null: the runtime keeps no ledger. */
  public volatile JsonNode llmStats;

  private final AlertmanagerWebhookParser parser = new AlertmanagerWebhookParser();
  private final Map<String, ObjectNode> incidents = new LinkedHashMap<>();
  private final Map<String, String> occurrences = new LinkedHashMap<>();
  private final Map<String, Pending> approvals = new LinkedHashMap<>();
  private final List<JsonNode> playbooks = new ArrayList<>();

  /** An approval the tests can look at through the link. */
  public static final class Pending {
    final String id;
    final String incidentId;
    final String sig;
    String status;
    final JsonNode plan;

    Pending(String id, String incidentId, String sig, String status, JsonNode plan) {
      this.id = id;
      this.incidentId = incidentId;
      this.sig = sig;
      this.status = status;
      this.plan = plan;
    }
  }

  public synchronized void addApproval(
      String id, String incidentId, String sig, String status, JsonNode plan) {
    approvals.put(id, new Pending(id, incidentId, sig, status, plan));
  }

  public synchronized String approvalStatus(String id) {
    return approvals.get(id).status;
  }

  public synchronized void addIncident(ObjectNode incident) {
    incidents.put(incident.path("id").asText(), incident);
  }

  public synchronized void addPlaybook(JsonNode playbook) {
    playbooks.add(playbook);
  }

  @Override
  public synchronized IngestOutcome ingest(byte[] body) {
    fail();
    List<Alert> alerts = parser.parse(body);
    ObjectNode response = JSON.createObjectNode();
    var list = response.putArray("incidents");
    boolean created = false;
    for (Alert alert : alerts) {
      String key = alert.occurrenceKey() + "#" + alert.status();
      String id = occurrences.get(key);
      boolean isNew = id == null;
      if (isNew) {
        id = "inc-" + (occurrences.size() + 1);
        occurrences.put(key, id);
        ObjectNode incident = JSON.createObjectNode();
        incident.put("id", id);
        incident.put("status", "OPEN");
        incident.put("signature", "sig-" + alert.alertName());
        incident.put("alertname", alert.alertName());
        incident.put("createdAt", "2026-11-01T09:14:00Z");
        incidents.put(id, incident);
        created = true;
      }
      list.addObject()
          .put("id", id)
          .put("signature", "sig-" + alert.alertName())
          .put("status", "OPEN")
          .put("alertStatus", alert.status().name().toLowerCase())
          .put("created", isNew);
    }
    return new IngestOutcome(created, response);
  }

  @Override
  public synchronized List<JsonNode> incidents(int limit) {
    fail();
    List<JsonNode> all = new ArrayList<>(incidents.values());
    java.util.Collections.reverse(all);
    return all.subList(0, Math.min(limit, all.size()));
  }

  @Override
  public synchronized JsonNode incident(String id) {
    fail();
    JsonNode incident = incidents.get(id);
    if (incident == null) {
      throw new IncidentNotFoundException("no incident " + id);
    }
    return incident;
  }

  @Override
  public synchronized List<JsonNode> playbooks() {
    fail();
    return List.copyOf(playbooks);
  }

  /** The only approver the fake's links are bound to. */
  public static final String APPROVER = "ana@example.com";

  @Override
  public synchronized ApprovalView approval(String approvalId, String approver, String signature) {
    fail();
    return view(checked(approvalId, approver, signature));
  }

  @Override
  public synchronized ApprovalView decide(String approvalId, String approver, String signature, boolean approve,
      String reason, dev.reflex.domain.model.ApprovalVote.Source source) {
    fail();
    Pending pending = checked(approvalId, approver, signature);
    return decide(pending, approve, "decide " + approvalId, approver + " " + source.address(), reason);
  }

  @Override
  public synchronized ApprovalView decideAsOperator(
      String incidentOrApprovalId, boolean approve, String actor, String reason) {
    fail();
    Pending pending = approvals.get(incidentOrApprovalId);
    if (pending == null) {
      pending =
          approvals.values().stream()
              .filter(p -> p.incidentId.equals(incidentOrApprovalId))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ApprovalNotFoundException(
                          "no approval requested for " + incidentOrApprovalId));
    }
    return decide(pending, approve, "operator " + incidentOrApprovalId, actor, reason);
  }

  private ApprovalView decide(
      Pending pending, boolean approve, String call, String actor, String reason) {
    if (pending.status.equals("EXPIRED")) {
      throw new ApprovalExpiredException("approval " + pending.id + " expired");
    }
    if (!pending.status.equals("PENDING")) {
      throw new ApprovalAlreadyDecidedException("approval " + pending.id + " was already decided");
    }
    decisions.add(call + " " + approve + " " + actor + " " + reason);
    pending.status = approve ? "APPROVED" : "REJECTED";
    return view(pending);
  }

  /** Feedback accepted by {@link #feedback}, as the domain read it. */
  public final List<dev.reflex.domain.model.Feedback> feedback = new CopyOnWriteArrayList<>();

  @Override
  public synchronized JsonNode feedback(String incidentId, JsonNode body) {
    fail();
    dev.reflex.domain.model.Feedback given = dev.reflex.lambda.operator.FeedbackRequest.parse(incidentId, body);
    if (!incidents.containsKey(incidentId)) {
      throw new IncidentNotFoundException("no incident " + incidentId);
    }
    feedback.add(given);
    return JSON.createObjectNode().put("incidentId", incidentId).put("type", given.type().wireName())
        .put("rating", given.rating()).put("author", given.author());
  }

  @Override
  public synchronized JsonNode enablePlaybook(String playbookId, String signature, String actor, String reason) {
    fail();
    dev.reflex.domain.model.Signature parsed = signature == null ? null
        : dev.reflex.domain.service.ReenablePlaybook.signature(signature);
    for (int i = 0; i < playbooks.size(); i++) {
      JsonNode playbook = playbooks.get(i);
      if (playbook.path("id").asText().equals(playbookId)) {
        if (parsed != null) {
          if (!disabledPatterns.remove(playbookId + "#" + parsed)) {
            throw new dev.reflex.domain.error.InvalidInputException("status", "playbook " + playbookId
                + " is not disabled for signature " + parsed);
          }
          return ((ObjectNode) playbook).deepCopy().put("signature", parsed.toString()).put("reenabledBy", actor)
              .put("reason", reason);
        }
        if (!playbook.path("status").asText().equals("DISABLED")) {
          throw new dev.reflex.domain.error.InvalidInputException("status", "playbook " + playbookId + " is not disabled");
        }
        ObjectNode enabled = ((ObjectNode) playbook).deepCopy().put("status", "ACTIVE").put("reenabledBy", actor)
            .put("reason", reason);
        playbooks.set(i, enabled);
        return enabled;
      }
    }
    throw new dev.reflex.domain.error.PlaybookNotFoundException("no playbook " + playbookId);
  }

  /** Patterns ({@code <playbookId>#<signature>}) disabled after consecutive failures. */
  public final java.util.Set<String> disabledPatterns = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** What {@link #audit} answers per incident; an incident without an entry has an empty trail. */
  public final Map<String, List<JsonNode>> auditTrails = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public synchronized List<JsonNode> audit(String incidentId) {
    fail();
    if (!incidents.containsKey(incidentId)) {
      throw new IncidentNotFoundException("no incident " + incidentId);
    }
    return auditTrails.getOrDefault(incidentId, List.of());
  }

  @Override
  public JsonNode health() {
    fail();
    return JSON.createObjectNode().put("status", "UP");
  }

  @Override
  public JsonNode llmStats() {
    fail();
    JsonNode stats = llmStats;
    if (stats == null) {
      return ReflexApi.super.llmStats();
    }
    return stats;
  }

  /** A report as the embedded runtime serialises it: two days, two signatures, one hostile. */
  public static ObjectNode sampleLlmStats(String hostileSignature) {
    ObjectNode stats = JSON.createObjectNode();
    stats.put("from", "2026-10-02T09:14:00Z");
    stats.put("to", "2026-11-01T09:14:00Z");
    stats.set("total", usage(5, 3, 12_000, 0.0421, 1, 2));
    var days = stats.putArray("perDay");
    days.addObject().put("day", "2026-10-31").set("usage", usage(2, 1, 4_000, 0.0121, 0, 1));
    days.addObject().put("day", "2026-11-01").set("usage", usage(3, 2, 8_000, 0.03, 1, 1));
    var signatures = stats.putArray("perSignature");
    signatures.addObject().put("signature", "high_latency|payment-api|india")
        .set("usage", usage(4, 2, 9_000, 0.0301, 0, 2));
    signatures.addObject().put("signature", hostileSignature).set("usage", usage(1, 1, 3_000, 0.012, 1, 0));
    stats.putObject("servedWithoutCall").put("matched", 7).put("learned", 5).put("catalog", 2)
        .put("consultedWithoutCall", 2).put("incidentsConsidered", 12);
    stats.put("truncated", false);
    return stats;
  }

  private static ObjectNode usage(long consultations, long calls, long tokens, double cost, long fallbacks,
      long reused) {
    return JSON.createObjectNode().put("consultations", consultations).put("calls", calls)
        .put("inputTokens", tokens - 1000).put("outputTokens", 1000).put("cacheReadTokens", 0)
        .put("cacheWriteTokens", 0).put("totalTokens", tokens).put("costUsd", cost).put("fallbacks", fallbacks)
        .put("reused", reused);
  }

  private Pending checked(String approvalId, String approver, String signature) {
    Pending pending = approvals.get(approvalId);
    if (pending == null) {
      throw new ApprovalNotFoundException("no approval " + approvalId);
    }
    if (!pending.sig.equals(signature) || !APPROVER.equals(approver)) {
      throw new InvalidApprovalSignatureException("bad signature");
    }
    if (pending.status.equals("EXPIRED")) {
      throw new ApprovalExpiredException("approval " + approvalId + " expired");
    }
    return pending;
  }

  private static ApprovalView view(Pending pending) {
    return new ApprovalView(pending.id, pending.incidentId, APPROVER, pending.status, "2026-11-02T09:14:00Z", 1,
        pending.status.equals("APPROVED") ? List.of(APPROVER) : List.of(), false, "Evidence: " + pending.plan.path("alert").asText(""),
        pending.plan);
  }

  private void fail() {
    RuntimeException e = failure;
    if (e != null) {
      throw e;
    }
  }
}
