package dev.reflex.local.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reflex.domain.error.ApprovalAlreadyDecidedException;
import dev.reflex.domain.error.ApprovalExpiredException;
import dev.reflex.domain.error.ApprovalNotFoundException;
import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.ForbiddenCommandException;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.error.InvalidApprovalSignatureException;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.error.InvalidParameterException;
import dev.reflex.domain.error.PlanRefusedException;
import dev.reflex.domain.error.PlaybookNotFoundException;
import dev.reflex.domain.error.ReflexException;
import dev.reflex.local.app.ReflexApi;
import dev.reflex.domain.model.ApprovalVote;
import dev.reflex.lambda.approval.ApprovalEndpoint;
import dev.reflex.lambda.approval.ApprovalPages;
import dev.reflex.lambda.approval.ApprovalView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The embedded runtime's HTTP front: the Alertmanager webhook, read-only views, the approval link's
 * confirmation page and the operator API used by the CLI. Plain {@code com.sun.net.httpserver} on
 * virtual threads.
 *
 * <p>Routes:
 *
 * <pre>
 * POST /api/v1/alerts                      Alertmanager webhook (JSON, at most 1 MiB)
 * GET  /api/v1/incidents?limit=N           newest first
 * GET  /api/v1/incidents/{id}
 * POST /api/v1/incidents/{id}/approve      operator, Authorization: Bearer &lt;admin token&gt;
 * POST /api/v1/incidents/{id}/reject       operator, same; JSON {"reason": ..., "actor": ...}
 * GET  /api/v1/incidents/{id}/audit        its audit trail, oldest first
 * POST /api/v1/incidents/{id}/feedback     operator, same; JSON {"rating": 1-5, "type", "helpful", ...}
 * GET  /api/v1/playbooks
 * POST /api/v1/playbooks/{id}/enable       operator, same; JSON {"reason": ..., "actor": ..., "signature": ...}
 *                                          (with a signature: re-enabled for that signature only)
 * GET  /api/v1/stats/llm                   model calls, tokens and cost per day and signature (30 days)
 * GET  /api/v1/pulls                       local pull requests of learned playbooks
 * GET  /api/v1/pulls/{id}                  one, with its review page and comments
 * POST /api/v1/pulls/{id}/merge            operator, same; merge, tag the versions, sync
 * POST /api/v1/pulls/{id}/close            operator, same; JSON {"reason": ...}; its draft becomes REJECTED
 * POST /api/v1/sync                        operator, same; playbook metadata from the target branch
 * GET  /health
 * GET  /approvals/{id}/{approver}?sig=...  an approver's own link: confirmation page; never decides
 * POST /approvals/{id}/{approver}          form: sig, decision=approve|reject, reason
 * </pre>
 *
 * <p>No response ever carries a stack trace: an unexpected failure is logged here and answered with
 * 500 {@code {"error":"internal error","field":null}}.
 */
public final class ReflexHttpServer implements AutoCloseable {

  public static final int MAX_BODY_BYTES = 1024 * 1024;
  static final int MAX_FORM_BYTES = 64 * 1024;
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 500;
  private static final int MAX_ID_CHARS = 200;
  /** Three parts of at most 63 characters and two separators. */
  private static final int MAX_SIGNATURE_CHARS = 3 * 63 + 2;
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final String HTML_TYPE = "text/html; charset=utf-8";
  private static final System.Logger LOG = System.getLogger(ReflexHttpServer.class.getName());

  private final ReflexApi api;
  private final InetSocketAddress bind;
  private final AdminToken token;
  private final ObjectMapper json = new ObjectMapper();
  private final ApprovalEndpoint approvalLinks;
  private HttpServer server;
  private ExecutorService executor;

  /**
   * @param bind where to listen, normally 127.0.0.1:8080; port 0 picks a free port
   * @param token the operator's token for the {@code approve}/{@code reject} API
   */
  public ReflexHttpServer(ReflexApi api, InetSocketAddress bind, AdminToken token) {
    this.approvalLinks = new ApprovalEndpoint(api::approval, api::decide);
    this.api = Objects.requireNonNull(api, "api");
    this.bind = Objects.requireNonNull(bind, "bind");
    this.token = Objects.requireNonNull(token, "token");
  }

  /** Binds and starts serving; returns once the socket is listening. */
  public synchronized void start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    try {
      HttpServer created = HttpServer.create(bind, 0);
      executor = Executors.newVirtualThreadPerTaskExecutor();
      created.setExecutor(executor);
      created.createContext("/", this::handle);
      created.start();
      server = created;
    } catch (IOException e) {
      if (executor != null) {
        executor.shutdownNow();
      }
      throw new UncheckedIOException("cannot listen on " + bind, e);
    }
  }

  /** Stops accepting requests, gives running ones a second to finish, and releases the port. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.stop(1);
    executor.shutdownNow();
    server = null;
    executor = null;
  }

  @Override
  public void close() {
    stop();
  }

  /** The address actually bound (with the real port when started on port 0). */
  public synchronized InetSocketAddress address() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getAddress();
  }

  /** {@code http://host:port}, for clients. */
  public String baseUrl() {
    InetSocketAddress address = address();
    String host = address.getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  // ---- dispatch ----------------------------------------------------------------------------

  private void handle(HttpExchange exchange) {
    boolean html = false;
    try {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      List<String> path = segments(exchange.getRequestURI().getRawPath());
      html = !path.isEmpty() && path.get(0).equals("approvals");
      route(exchange, method, path);
    } catch (HttpProblem problem) {
      respondProblem(exchange, html, problem);
    } catch (ReflexException e) {
      HttpProblem problem = problemFor(e);
      if (problem.status() == 503) {
        exchange.getResponseHeaders().set("Retry-After", "1");
      }
      if (problem.status() == 500) {
        logFailure(exchange, e);
      }
      respondProblem(exchange, html, problem);
    } catch (Throwable e) {
      logFailure(exchange, e);
      respondProblem(exchange, html, new HttpProblem(500, null, "internal error"));
    } finally {
      exchange.close();
    }
  }

  /** Server side only, without the query string (an approval link's signature is a secret). */
  private static void logFailure(HttpExchange exchange, Throwable e) {
    String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
    LOG.log(Level.ERROR, "request " + request + " failed", e);
  }

  private void route(HttpExchange exchange, String method, List<String> path) throws IOException {
    int n = path.size();
    if (n == 1 && path.get(0).equals("health")) {
      allow(exchange, method, "GET");
      sendJson(exchange, 200, api.health());
    } else if (n >= 3 && path.get(0).equals("api") && path.get(1).equals("v1")) {
      String resource = path.get(2);
      if (n == 3 && resource.equals("alerts")) {
        allow(exchange, method, "POST");
        ingest(exchange);
      } else if (n == 3 && resource.equals("incidents")) {
        allow(exchange, method, "GET");
        incidents(exchange);
      } else if (n == 4 && resource.equals("incidents")) {
        allow(exchange, method, "GET");
        incident(exchange, id(path.get(3)));
      } else if (n == 5
          && resource.equals("incidents")
          && (path.get(4).equals("approve") || path.get(4).equals("reject"))) {
        allow(exchange, method, "POST");
        operatorDecision(exchange, id(path.get(3)), path.get(4).equals("approve"));
      } else if (n == 5 && resource.equals("incidents") && path.get(4).equals("audit")) {
        allow(exchange, method, "GET");
        audit(exchange, id(path.get(3)));
      } else if (n == 5 && resource.equals("incidents") && path.get(4).equals("feedback")) {
        allow(exchange, method, "POST");
        feedback(exchange, id(path.get(3)));
      } else if (n == 5 && resource.equals("playbooks") && path.get(4).equals("enable")) {
        allow(exchange, method, "POST");
        enablePlaybook(exchange, id(path.get(3)));
      } else if (n == 3 && resource.equals("playbooks")) {
        allow(exchange, method, "GET");
        sendJson(exchange, 200, array(api.playbooks()));
      } else if (resource.equals("pulls") || (n == 3 && resource.equals("sync"))) {
        review(exchange, method, path);
      } else if (n == 4 && resource.equals("stats") && path.get(3).equals("llm")) {
        allow(exchange, method, "GET");
        llmStats(exchange);
      } else {
        throw notFound();
      }
    } else if (n == 3 && path.get(0).equals("approvals")) {
      allow(exchange, method, "GET", "POST");
      if (method.equals("GET")) {
        approvalPage(exchange, path.get(1), path.get(2));
      } else {
        approvalDecision(exchange, path.get(1), path.get(2));
      }
    } else {
      throw notFound();
    }
  }

  // ---- JSON API ------------------------------------------------------------------------------

  private void ingest(HttpExchange exchange) throws IOException {
    requireMediaType(exchange, "application/json");
    byte[] body = readBody(exchange, MAX_BODY_BYTES);
    ReflexApi.IngestOutcome outcome = api.ingest(body);
    sendJson(exchange, outcome.created() ? 202 : 200, outcome.response());
  }

  private void incidents(HttpExchange exchange) throws IOException {
    String limitText = query(exchange).get("limit");
    int limit = DEFAULT_LIMIT;
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new HttpProblem(400, "limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
      }
    }
    sendJson(exchange, 200, array(api.incidents(limit)));
  }

  private void llmStats(HttpExchange exchange) throws IOException {
    JsonNode stats;
    try {
      stats = api.llmStats();
    } catch (UnsupportedOperationException e) {
      throw new HttpProblem(501, null, "this runtime keeps no consultation ledger");
    }
    sendJson(exchange, 200, stats);
  }

  private void incident(HttpExchange exchange, String id) throws IOException {
    JsonNode incident;
    try {
      incident = api.incident(id);
    } catch (IncidentNotFoundException e) {
      throw new HttpProblem(404, "id", "no incident with this id");
    }
    sendJson(exchange, 200, incident);
  }

  private void operatorDecision(HttpExchange exchange, String id, boolean approve)
      throws IOException {
    requireOperator(exchange);
    byte[] body = readBody(exchange, MAX_FORM_BYTES);
    String reason = null;
    String actor = "operator";
    if (body.length > 0) {
      requireMediaType(exchange, "application/json");
      JsonNode request;
      try {
        request = json.readTree(body);
      } catch (JsonProcessingException e) {
        throw new HttpProblem(400, "body", "malformed JSON");
      }
      if (request == null || !request.isObject()) {
        throw new HttpProblem(400, "body", "must be a JSON object");
      }
      reason = optionalString(request, "reason", ApprovalPages.MAX_REASON_CHARS);
      String given = optionalString(request, "actor", ApprovalPages.MAX_APPROVER_CHARS);
      if (given != null && !given.isBlank()) {
        actor = given.strip();
      }
    }
    if (!approve && (reason == null || reason.isBlank())) {
      throw new HttpProblem(400, "reason", "a rejection needs a reason");
    }
    ApprovalView view = api.decideAsOperator(id, approve, actor, reason);
    sendJson(exchange, 200, approvalJson(view));
  }

  private void requireOperator(HttpExchange exchange) {
    if (!token.matchesAuthorization(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"reflex\"");
      throw new HttpProblem(
          401, "Authorization", "the operator API needs Authorization: Bearer <admin token>");
    }
  }

  /** The request's JSON object; an empty body is an empty object. */
  private JsonNode jsonObject(HttpExchange exchange) throws IOException {
    byte[] body = readBody(exchange, MAX_FORM_BYTES);
    if (body.length == 0) {
      return json.createObjectNode();
    }
    requireMediaType(exchange, "application/json");
    JsonNode request;
    try {
      request = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new HttpProblem(400, "body", "malformed JSON");
    }
    if (request == null || !request.isObject()) {
      throw new HttpProblem(400, "body", "must be a JSON object");
    }
    return request;
  }

  private void audit(HttpExchange exchange, String id) throws IOException {
    List<JsonNode> entries;
    try {
      entries = api.audit(id);
    } catch (UnsupportedOperationException e) {
      throw new HttpProblem(501, null, "this runtime keeps no audit trail");
    }
    sendJson(exchange, 200, array(entries));
  }

  private void feedback(HttpExchange exchange, String id) throws IOException {
    requireOperator(exchange);
    JsonNode request = jsonObject(exchange);
    JsonNode recorded;
    try {
      recorded = api.feedback(id, request);
    } catch (UnsupportedOperationException e) {
      throw new HttpProblem(501, null, "this runtime keeps no feedback");
    }
    sendJson(exchange, 201, recorded);
  }

  private void enablePlaybook(HttpExchange exchange, String id) throws IOException {
    requireOperator(exchange);
    JsonNode request = jsonObject(exchange);
    String reason = optionalString(request, "reason", ApprovalPages.MAX_REASON_CHARS);
    String actor = optionalString(request, "actor", ApprovalPages.MAX_APPROVER_CHARS);
    String signature = optionalString(request, "signature", MAX_SIGNATURE_CHARS);
    if (reason == null || reason.isBlank()) {
      throw new HttpProblem(400, "reason", "re-enabling a playbook needs a reason");
    }
    JsonNode enabled;
    try {
      enabled = api.enablePlaybook(id, signature, actor == null || actor.isBlank() ? "operator" : actor.strip(),
          reason);
    } catch (UnsupportedOperationException e) {
      throw new HttpProblem(501, null, "this runtime cannot re-enable playbooks");
    }
    sendJson(exchange, 200, enabled);
  }

  /** The local review: pull requests of learned playbooks, and sync; changes need the admin token. */
  private void review(HttpExchange exchange, String method, List<String> path) throws IOException {
    int n = path.size();
    try {
      if (n == 3 && path.get(2).equals("sync")) {
        allow(exchange, method, "POST");
        requireOperator(exchange);
        jsonObject(exchange);
        sendJson(exchange, 200, api.syncPlaybooks());
      } else if (n == 3) {
        allow(exchange, method, "GET");
        sendJson(exchange, 200, array(api.pullRequests()));
      } else if (n == 4) {
        allow(exchange, method, "GET");
        sendJson(exchange, 200, api.pullRequest(id(path.get(3))));
      } else if (n == 5 && path.get(4).equals("merge")) {
        allow(exchange, method, "POST");
        requireOperator(exchange);
        jsonObject(exchange);
        sendJson(exchange, 200, api.mergePullRequest(id(path.get(3))));
      } else if (n == 5 && path.get(4).equals("close")) {
        allow(exchange, method, "POST");
        requireOperator(exchange);
        String reason = optionalString(jsonObject(exchange), "reason", ApprovalPages.MAX_REASON_CHARS);
        sendJson(exchange, 200, api.closePullRequest(id(path.get(3)), reason));
      } else {
        throw notFound();
      }
    } catch (UnsupportedOperationException e) {
      throw new HttpProblem(501, null, "this runtime has no local review");
    } catch (java.util.NoSuchElementException e) {
      throw new HttpProblem(404, "id", "no pull request with this id");
    } catch (IllegalStateException e) {
      throw new HttpProblem(409, "id", safeMessage(e, "the pull request cannot be changed in its state"));
    } catch (dev.reflex.adapters.git.PlaybookRepositoryException e) {
      logFailure(exchange, e);
      throw new HttpProblem(409, null, safeMessage(e, "the playbook repository refused the change"));
    }
  }

  private ObjectNode approvalJson(ApprovalView view) {
    ObjectNode node = json.createObjectNode();
    node.put("approvalId", view.approvalId());
    node.put("incidentId", view.incidentId());
    node.put("status", view.status());
    node.put("expiresAt", view.expiresAt());
    node.set("plan", view.plan());
    return node;
  }

  // ---- approval pages --------------------------------------------------------------------------

  private void approvalPage(HttpExchange exchange, String id, String approver) throws IOException {
    ApprovalEndpoint.Response page = approvalLinks.show(id, approver, query(exchange).get("sig"));
    sendHtml(exchange, page.status(), page.html());
  }

  private void approvalDecision(HttpExchange exchange, String id, String approver) throws IOException {
    requireMediaType(exchange, "application/x-www-form-urlencoded");
    Map<String, String> form =
        parseQuery(new String(readBody(exchange, MAX_FORM_BYTES), StandardCharsets.UTF_8));
    ApprovalVote.Source source = ApprovalVote.Source.link(
        exchange.getRemoteAddress().getAddress().getHostAddress(),
        exchange.getRequestHeaders().getFirst("User-Agent"));
    ApprovalEndpoint.Response page = approvalLinks.decide(id, approver, form, source);
    sendHtml(exchange, page.status(), page.html());
  }

  /** Reflex's own failures that a handler did not map itself; unknown ones are a 500. */
  static HttpProblem problemFor(ReflexException e) {
    return switch (e) {
      case InvalidInputException invalid ->
          new HttpProblem(400, invalid.field(), invalid.getMessage());
      case IncidentNotFoundException notFound ->
          new HttpProblem(404, "id", safeMessage(notFound, "no incident with this id"));
      case PlaybookNotFoundException notFound ->
          new HttpProblem(404, "id", safeMessage(notFound, "no playbook with this id"));
      case ApprovalNotFoundException notFound ->
          new HttpProblem(404, "id", safeMessage(notFound, "no approval with this id"));
      case InvalidApprovalSignatureException forged ->
          new HttpProblem(403, "sig", "the approval signature does not match");
      case ApprovalExpiredException expired ->
          new HttpProblem(410, "id", safeMessage(expired, "the approval expired"));
      case ApprovalAlreadyDecidedException decided ->
          new HttpProblem(409, "id", safeMessage(decided, "the approval was already decided"));
      // 503, not 409: Alertmanager retries a 5xx with the same body, and the retry will succeed
      case ConcurrentUpdateException conflict ->
          new HttpProblem(503, null, "changed by another request at the same time; try again");
      case InvalidParameterException invalid ->
          new HttpProblem(422, invalid.parameter(), safeMessage(invalid, "invalid parameter"));
      case PlanRefusedException refused ->
          new HttpProblem(422, null, safeMessage(refused, "the policy refused the plan"));
      case ForbiddenCommandException forbidden ->
          new HttpProblem(
              422, null, safeMessage(forbidden, "the plan contains a forbidden command"));
      default -> new HttpProblem(500, null, "internal error");
    };
  }

  // ---- request helpers ---------------------------------------------------------------------

  private static void allow(HttpExchange exchange, String method, String... allowed) {
    for (String a : allowed) {
      if (a.equals(method)) {
        return;
      }
    }
    exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
    throw new HttpProblem(405, null, "method not allowed");
  }

  private static HttpProblem notFound() {
    return new HttpProblem(404, null, "no such route");
  }

  private static String id(String id) {
    if (id.isEmpty()
        || id.length() > MAX_ID_CHARS
        || id.chars().anyMatch(Character::isISOControl)) {
      throw new HttpProblem(404, "id", "no incident with this id");
    }
    return id;
  }

  private static String approvalId(String id) {
    if (id.isEmpty()
        || id.length() > MAX_ID_CHARS
        || id.chars().anyMatch(Character::isISOControl)) {
      throw new HttpProblem(404, "id", "This approval does not exist.");
    }
    return id;
  }

  private static void requireMediaType(HttpExchange exchange, String expected) {
    String header = exchange.getRequestHeaders().getFirst("Content-Type");
    String[] parts = header == null ? new String[] {""} : header.split(";");
    String type = parts[0].strip().toLowerCase(Locale.ROOT);
    if (!type.equals(expected)) {
      throw new HttpProblem(415, "Content-Type", "Content-Type must be " + expected);
    }
    for (int i = 1; i < parts.length; i++) {
      String[] param = parts[i].split("=", 2);
      if (param[0].strip().equalsIgnoreCase("charset")) {
        String charset = param.length < 2 ? "" : param[1].strip().replace("\"", "");
        if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
          throw new HttpProblem(415, "Content-Type", "charset must be utf-8");
        }
      }
    }
  }

  /**
   * Reads the body, counting bytes as they arrive: Content-Length is only used to refuse early,
   * never trusted as the limit.
   */
  private static byte[] readBody(HttpExchange exchange, int max) throws IOException {
    String tooLarge = "body exceeds " + max + " bytes";
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.strip());
      } catch (NumberFormatException e) {
        throw new HttpProblem(400, "Content-Length", "Content-Length is not a number");
      }
      if (length > max) {
        drain(exchange);
        throw new HttpProblem(413, "body", tooLarge);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 16 * 1024));
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    try (InputStream in = exchange.getRequestBody()) {
      int read;
      while ((read = in.read(buffer)) != -1) {
        total += read;
        if (total > max) {
          drain(exchange);
          throw new HttpProblem(413, "body", tooLarge);
        }
        out.write(buffer, 0, read);
      }
    }
    return out.toByteArray();
  }

  /** Bytes of an oversized body read and dropped so the client, still sending, sees the 413. */
  private static final long DRAIN_LIMIT = 8L * 1024 * 1024;

  /**
   * Reads and discards what is left of a refused body, up to {@link #DRAIN_LIMIT}: a client that
   * is still uploading otherwise gets a reset connection instead of the answer. Past the limit the
   * connection is simply dropped after the answer.
   */
  private static void drain(HttpExchange exchange) {
    byte[] buffer = new byte[16 * 1024];
    long drained = 0;
    try {
      InputStream in = exchange.getRequestBody();
      int read;
      while (drained < DRAIN_LIMIT && (read = in.read(buffer)) != -1) {
        drained += read;
      }
    } catch (IOException e) {
      // the client went away; the answer will not reach it either
    }
  }

  private static Map<String, String> query(HttpExchange exchange) {
    return parseQuery(exchange.getRequestURI().getRawQuery());
  }

  /** {@code a=1&b=2}, percent- and plus-decoded; the first occurrence of a name wins. */
  static Map<String, String> parseQuery(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return values;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
      values.putIfAbsent(name, value);
    }
    return values;
  }

  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    if (rawPath == null) {
      return segments;
    }
    for (String segment : rawPath.split("/", -1)) {
      if (!segment.isEmpty()) {
        segments.add(decode(segment, false));
      } else if (!segments.isEmpty()) {
        // an empty segment inside or at the end of the path matches no route
        segments.add("");
      }
    }
    return segments;
  }

  private static String decode(String text, boolean plusIsSpace) {
    try {
      return URLDecoder.decode(
          plusIsSpace ? text : text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, "url", "malformed percent-encoding in the URL");
    }
  }

  private static String optionalString(JsonNode request, String field, int max) {
    JsonNode value = request.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new HttpProblem(400, field, field + " must be a string");
    }
    return limited(value.textValue(), field, max);
  }

  private static String limited(String value, String field, int max) {
    if (value != null && value.length() > max) {
      throw new HttpProblem(400, field, field + " is longer than " + max + " characters");
    }
    return value;
  }

  /** A domain exception's message when it is short and one line, else a fixed text. */
  private static String safeMessage(RuntimeException e, String fallback) {
    String message = e.getMessage();
    if (message == null
        || message.isBlank()
        || message.length() > 300
        || message.chars().anyMatch(Character::isISOControl)) {
      return fallback;
    }
    return message;
  }

  // ---- responses ---------------------------------------------------------------------------

  private ArrayNode array(List<JsonNode> items) {
    ArrayNode array = json.createArrayNode();
    items.forEach(array::add);
    return array;
  }

  private void respondProblem(HttpExchange exchange, boolean html, HttpProblem problem) {
    if (exchange.getResponseCode() != -1) {
      return; // headers are out; the connection is closed with the exchange
    }
    try {
      sendError(exchange, html, problem.status(), problem.field(), problem.getMessage());
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "could not send the error response", e);
    }
  }

  private void sendError(
      HttpExchange exchange, boolean html, int status, String field, String message)
      throws IOException {
    if (html) {
      sendHtml(exchange, status, ApprovalPages.error(title(status), message));
      return;
    }
    ObjectNode error = json.createObjectNode();
    error.put("error", message);
    error.put("field", field);
    sendJson(exchange, status, error);
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "This request is not valid";
      case 403 -> "This link is not valid";
      case 404 -> "Approval not found";
      case 405 -> "Method not allowed";
      case 409 -> "Already decided";
      case 410 -> "This link expired";
      case 413 -> "Request too large";
      case 415 -> "Unsupported form";
      default -> "Something went wrong";
    };
  }

  private void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
    send(exchange, status, JSON_TYPE, json.writeValueAsBytes(body));
  }

  private static void sendHtml(HttpExchange exchange, int status, String page) throws IOException {
    send(exchange, status, HTML_TYPE, page.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", type);
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    headers.set("Referrer-Policy", "no-referrer");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
