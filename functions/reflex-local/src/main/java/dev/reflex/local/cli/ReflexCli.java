package dev.reflex.local.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.Alert;
import dev.reflex.lambda.ingest.AlertmanagerWebhookParser;
import dev.reflex.local.http.AdminToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The client subcommands of {@code ./reflex}: HTTP clients of a running {@code ./reflex serve}
 * ({@code ingest}, {@code incidents}, {@code show}, {@code approve}, {@code reject}, {@code
 * playbooks}, {@code stats}, {@code feedback}, {@code audit}) and the offline {@code validate}.
 * {@code serve}, {@code demo} and {@code bench} are
 * run by {@code dev.reflex.local.Main}.
 *
 * <p>Exit codes: 0 done, 1 failed (server unreachable, refused, not found), 2 usage error.
 * Everything printed from the server is stripped of control characters first: label values are
 * hostile and must not drive the terminal.
 */
public final class ReflexCli {

  public static final String DEFAULT_URL = "http://127.0.0.1:8080";
  public static final String DEFAULT_DATA_DIR = ".reflex";
  static final int MAX_INPUT_BYTES = 1024 * 1024;

  private static final Set<String> GLOBAL_OPTIONS = Set.of("--url", "--data-dir");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final InputStream stdin;
  private final Duration timeout;

  /** Reads {@code REFLEX_URL} from the environment and {@code ingest -} from standard input. */
  public ReflexCli() {
    this(System.getenv(), System.in, Duration.ofSeconds(60));
  }

  /**
   * @param env where {@code REFLEX_URL} is looked up
   * @param stdin what {@code ingest -} and {@code validate -} read
   * @param timeout how long to wait for one answer from the server
   */
  public ReflexCli(Map<String, String> env, InputStream stdin, Duration timeout) {
    this.env = Map.copyOf(env);
    this.stdin = stdin;
    this.timeout = timeout;
  }

  /** The help text listing every subcommand of {@code ./reflex}. */
  public static String usage() {
    return """
    Usage: ./reflex <command> [options]

    Run Reflex on this machine:
      demo                          play the seed scenario end to end (temporary data)
      serve [--port 8080] [--data-dir .reflex] [--executor dry-run|ansible]
                                    start the embedded runtime and its HTTP server
      bench                         run the benchmarks

    Talk to a running server (./reflex serve):
      ingest FILE|-                 send an Alertmanager webhook body (a file, or - for stdin)
      incidents [--limit N]         list recent incidents, newest first
      show ID                       one incident: status, signature, match, consult,
                                    decision, approval, execution steps, workflow history
      approve ID [--reason TEXT]    approve the plan waiting for an incident (or approval id)
      reject ID --reason TEXT       reject it; the reason is required
      audit ID                      an incident's audit trail: approvals, commands sent and
                                    their output (redacted), secret reads; "system" for the rest
      feedback ID --rating 1-5 [--type remediation|diagnosis|correction|general]
                [--helpful yes|no] [--accurate yes|no] [--actions-worked yes|no]
                [--comment TEXT] [--what-worked TEXT] [--actual-resolution TEXT]
                                    tell Reflex how well it handled an incident
      playbooks                     list playbooks with their confidence and outcomes
      playbooks enable ID --reason TEXT [--signature 'TYPE|SERVICE|SCOPE']
                                    re-enable a playbook disabled after repeated failures:
                                    for one signature (as the refusal names it), else whole
      stats                         model calls, tokens and cost per day and per signature,
                                    and incidents served without any model call (30 days)

    Offline:
      validate [PATH] [--strict] [--no-ansible]
                                    check a playbook repository (default .) or one playbook
                                    folder: meta and policy schemas, Ansible syntax, the
                                    validation gate, each playbook's tests/<case>; prints
                                    file:line: message, exits 1 on any error
      validate FILE.json|-          check an Alertmanager webhook body without a server

    Review learned playbooks (embedded default; through the running server, else on --data-dir):
      pr list | show ID             local pull requests and their review pages
      pr merge ID                   merge the branch into main, tag <id>/v<version>, sync
      pr close ID [--reason TEXT]   close without merging: the draft becomes REJECTED
      sync                          update playbook metadata from main (ACTIVE / REJECTED)

    Client options:
      --url URL                     server address (default $REFLEX_URL, else %s)
      --data-dir DIR                where serve keeps the admin token (default %s)

    Exit codes: 0 done, 1 failed, 2 usage error.
    """
        .formatted(DEFAULT_URL, DEFAULT_DATA_DIR);
  }

  /**
   * Runs one client subcommand.
   *
   * @param args the subcommand and its arguments, e.g. {@code ["show", "inc-1"]}
   * @return the exit code
   */
  public int run(String[] args, PrintStream out, PrintStream err) {
    Args parsed;
    try {
      parsed = Args.parse(args);
    } catch (UsageException e) {
      return usageError(err, e.getMessage());
    }
    if (parsed.positional.isEmpty()) {
      err.print(usage());
      return 2;
    }
    String command = parsed.positional.get(0);
    List<String> operands = parsed.positional.subList(1, parsed.positional.size());
    try {
      String url = parsed.options.get("--url");
      Path dataDir = Path.of(parsed.options.getOrDefault("--data-dir", DEFAULT_DATA_DIR));
      return switch (command) {
        case "help", "--help", "-h" -> {
          out.print(usage());
          yield 0;
        }
        case "ingest" -> {
          parsed.allow("ingest");
          yield ingest(baseUrl(url), readInput(one(operands, "ingest FILE|-")), out);
        }
        case "validate" -> {
          parsed.allow("validate");
          yield validate(readInput(one(operands, "validate FILE|-")), out, err);
        }
        case "incidents" -> {
          parsed.allow("incidents", "--limit");
          none(operands, "incidents");
          yield incidents(baseUrl(url), limit(parsed.options.get("--limit")), out);
        }
        case "show" -> {
          parsed.allow("show");
          yield show(baseUrl(url), one(operands, "show ID"), out);
        }
        case "approve" -> {
          parsed.allow("approve", "--reason", "--actor");
          String id = one(operands, "approve ID [--reason TEXT]");
          yield decide(
              baseUrl(url),
              dataDir,
              id,
              true,
              parsed.options.get("--reason"),
              parsed.options.get("--actor"),
              out);
        }
        case "reject" -> {
          parsed.allow("reject", "--reason", "--actor");
          String id = one(operands, "reject ID --reason TEXT");
          String reason = parsed.options.get("--reason");
          if (reason == null || reason.isBlank()) {
            throw new UsageException("reject needs --reason TEXT");
          }
          yield decide(
              baseUrl(url), dataDir, id, false, reason, parsed.options.get("--actor"), out);
        }
        case "audit" -> {
          parsed.allow("audit");
          yield audit(baseUrl(url), one(operands, "audit ID"), out);
        }
        case "feedback" -> {
          parsed.allow("feedback", "--rating", "--type", "--helpful", "--accurate", "--actions-worked",
              "--comment", "--what-worked", "--actual-resolution", "--author");
          String id = one(operands, "feedback ID --rating N");
          yield feedback(baseUrl(url), dataDir, id, feedbackBody(parsed.options), out);
        }
        case "playbooks" -> {
          if (!operands.isEmpty() && operands.get(0).equals("enable")) {
            parsed.allow("playbooks enable", "--reason", "--actor", "--signature");
            String id = one(operands.subList(1, operands.size()), "playbooks enable ID --reason TEXT");
            String reason = parsed.options.get("--reason");
            if (reason == null || reason.isBlank()) {
              throw new UsageException("playbooks enable needs --reason TEXT");
            }
            yield enablePlaybook(baseUrl(url), dataDir, id, parsed.options.get("--signature"), reason,
                parsed.options.get("--actor"), out);
          }
          parsed.allow("playbooks");
          none(operands, "playbooks");
          yield playbooks(baseUrl(url), out);
        }
        case "stats" -> {
          parsed.allow("stats");
          none(operands, "stats");
          yield stats(baseUrl(url), out);
        }
        case "serve", "demo", "bench" ->
            throw new UsageException(command + " is run by ./reflex itself, not by the client");
        default -> throw new UsageException("unknown command: " + clean(command));
      };
    } catch (UsageException e) {
      return usageError(err, e.getMessage());
    } catch (Failure e) {
      err.println("reflex: " + e.getMessage());
      return 1;
    }
  }

  // ---- commands ------------------------------------------------------------------------------

  private int ingest(String base, byte[] body, PrintStream out) {
    HttpResponse<String> response =
        send(
            base,
            HttpRequest.newBuilder(uri(base, "/api/v1/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    JsonNode answer = expect(response, 200, 202);
    List<String[]> rows = new ArrayList<>();
    int created = 0;
    for (JsonNode incident : answer.path("incidents")) {
      boolean isNew = incident.path("created").asBoolean(false);
      created += isNew ? 1 : 0;
      rows.add(
          new String[] {
            text(incident, "id", "-"),
            text(incident, "signature", "-"),
            text(incident, "status", "-"),
            text(incident, "alertStatus", "-"),
            isNew ? "new" : "known"
          });
    }
    out.print(table(new String[] {"INCIDENT", "SIGNATURE", "STATUS", "ALERT", "OCCURRENCE"}, rows));
    out.println(
        response.statusCode() == 202
            ? created + " new incident" + (created == 1 ? "" : "s") + " opened"
            : "every alert was already known (re-delivery): nothing new opened");
    return 0;
  }

  private int validate(byte[] body, PrintStream out, PrintStream err) {
    List<Alert> alerts;
    try {
      alerts = new AlertmanagerWebhookParser().parse(body);
    } catch (InvalidInputException e) {
      err.println("reflex: invalid: " + clean(e.field()) + ": " + clean(e.getMessage()));
      return 1;
    }
    List<String[]> rows = new ArrayList<>();
    for (Alert alert : alerts) {
      rows.add(
          new String[] {
            alert.alertName(),
            alert.status().name().toLowerCase(java.util.Locale.ROOT),
            alert.fingerprint(),
            alert.startsAt().toString(),
            String.valueOf(alert.labels().size())
          });
    }
    out.print(table(new String[] {"ALERT", "STATUS", "FINGERPRINT", "STARTS AT", "LABELS"}, rows));
    out.println("valid: " + alerts.size() + " alert" + (alerts.size() == 1 ? "" : "s"));
    return 0;
  }

  private int incidents(String base, Integer limit, PrintStream out) {
    String path = "/api/v1/incidents" + (limit == null ? "" : "?limit=" + limit);
    JsonNode list = expect(send(base, HttpRequest.newBuilder(uri(base, path)).GET()), 200);
    if (list.isEmpty()) {
      out.println("no incidents yet");
      return 0;
    }
    List<String[]> rows = new ArrayList<>();
    for (JsonNode incident : list) {
      String playbook = text(incident, "playbookId", "");
      String version = text(incident, "playbookVersion", "");
      rows.add(
          new String[] {
            text(incident, "id", "-"),
            text(incident, "status", "-"),
            text(incident, "signature", "-"),
            text(incident, "alertname", "-"),
            text(incident, "createdAt", "-"),
            playbook.isEmpty() ? "-" : playbook + (version.isEmpty() ? "" : "@" + version)
          });
    }
    out.print(
        table(new String[] {"ID", "STATUS", "SIGNATURE", "ALERT", "CREATED", "PLAYBOOK"}, rows));
    return 0;
  }

  private int show(String base, String id, PrintStream out) {
    JsonNode incident =
        expect(
            send(base, HttpRequest.newBuilder(uri(base, "/api/v1/incidents/" + segment(id))).GET()),
            200);
    out.print(IncidentSummary.render(incident));
    return 0;
  }

  private int decide(
      String base,
      Path dataDir,
      String id,
      boolean approve,
      String reason,
      String actor,
      PrintStream out) {
    AdminToken token = token(dataDir);
    ObjectNode body = JSON.createObjectNode();
    if (reason != null) {
      body.put("reason", reason);
    }
    body.put("actor", actor == null || actor.isBlank() ? defaultActor() : actor);
    HttpResponse<String> response =
        send(
            base,
            HttpRequest.newBuilder(
                    uri(
                        base,
                        "/api/v1/incidents/" + segment(id) + (approve ? "/approve" : "/reject")))
                .header("Authorization", "Bearer " + token.value())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    JsonNode view = expect(response, 200);
    out.println(
        (approve ? "approved" : "rejected")
            + ": incident "
            + text(view, "incidentId", clean(id))
            + ", approval "
            + text(view, "approvalId", "-")
            + " is now "
            + text(view, "status", "-"));
    return 0;
  }

  private int audit(String base, String id, PrintStream out) {
    JsonNode entries = expect(
        send(base, HttpRequest.newBuilder(uri(base, "/api/v1/incidents/" + segment(id) + "/audit")).GET()), 200);
    if (entries.isEmpty()) {
      out.println("no audit entries for " + clean(id));
      return 0;
    }
    List<String[]> rows = new ArrayList<>();
    for (JsonNode entry : entries) {
      rows.add(new String[] {text(entry, "at", "-"), text(entry, "actor", "-"), text(entry, "action", "-"),
          text(entry, "detail", "")});
    }
    out.print(table(new String[] {"AT", "ACTOR", "ACTION", "DETAIL"}, rows));
    return 0;
  }

  /** The feedback route's JSON from the command line's options; refuses what it cannot read. */
  static ObjectNode feedbackBody(Map<String, String> options) {
    String ratingText = options.get("--rating");
    if (ratingText == null) {
      throw new UsageException("feedback needs --rating N (1 to 5)");
    }
    int rating;
    try {
      rating = Integer.parseInt(ratingText.strip());
    } catch (NumberFormatException e) {
      throw new UsageException("--rating must be a whole number from 1 to 5");
    }
    if (rating < 1 || rating > 5) {
      throw new UsageException("--rating must be a whole number from 1 to 5");
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("rating", rating);
    body.put("type", options.getOrDefault("--type", "remediation"));
    yesNo(body, options, "--helpful", "helpful");
    yesNo(body, options, "--accurate", "accurate");
    yesNo(body, options, "--actions-worked", "actionsWorked");
    Map.of("--comment", "comment", "--what-worked", "whatWorked", "--actual-resolution", "actualResolution")
        .forEach((option, field) -> {
          if (options.containsKey(option)) {
            body.put(field, options.get(option));
          }
        });
    String author = options.get("--author");
    body.put("author", author == null || author.isBlank() ? defaultActor() : author);
    return body;
  }

  private static void yesNo(ObjectNode body, Map<String, String> options, String option, String field) {
    String value = options.get(option);
    if (value == null) {
      return;
    }
    switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "yes", "y", "true" -> body.put(field, true);
      case "no", "n", "false" -> body.put(field, false);
      default -> throw new UsageException(option + " must be yes or no");
    }
  }

  private int feedback(String base, Path dataDir, String id, ObjectNode body, PrintStream out) {
    JsonNode recorded = expect(postOperator(base, dataDir, "/api/v1/incidents/" + segment(id) + "/feedback", body),
        201);
    out.println("feedback recorded: incident " + text(recorded, "incidentId", clean(id)) + ", "
        + text(recorded, "type", "-") + " rating " + text(recorded, "rating", "-") + "/5, playbook "
        + text(recorded, "playbookId", "-"));
    return 0;
  }

  private int enablePlaybook(String base, Path dataDir, String id, String signature, String reason, String actor,
      PrintStream out) {
    ObjectNode body = JSON.createObjectNode();
    body.put("reason", reason);
    body.put("actor", actor == null || actor.isBlank() ? defaultActor() : actor);
    if (signature != null) {
      body.put("signature", signature);
    }
    JsonNode playbook = expect(postOperator(base, dataDir, "/api/v1/playbooks/" + segment(id) + "/enable", body),
        200);
    if (signature != null) {
      out.println("re-enabled: playbook " + text(playbook, "id", clean(id)) + " for signature "
          + text(playbook, "signature", "-") + " (playbook " + text(playbook, "status", "-") + ")");
    } else {
      out.println("re-enabled: playbook " + text(playbook, "id", clean(id)) + " is now "
          + text(playbook, "status", "-"));
    }
    return 0;
  }

  private HttpResponse<String> postOperator(String base, Path dataDir, String path, JsonNode body) {
    AdminToken token = token(dataDir);
    return send(base, HttpRequest.newBuilder(uri(base, path))
        .header("Authorization", "Bearer " + token.value())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private int playbooks(String base, PrintStream out) {
    JsonNode list =
        expect(send(base, HttpRequest.newBuilder(uri(base, "/api/v1/playbooks")).GET()), 200);
    if (list.isEmpty()) {
      out.println("no playbooks");
      return 0;
    }
    List<String[]> rows = new ArrayList<>();
    for (JsonNode playbook : list) {
      rows.add(
          new String[] {
            text(playbook, "id", "-"),
            text(playbook, "version", "-"),
            text(playbook, "source", "-"),
            text(playbook, "status", "-"),
            text(playbook, "signature", "-"),
            confidence(playbook.get("confidence")),
            text(playbook, "successCount", "0"),
            text(playbook, "failureCount", "0")
          });
    }
    out.print(
        table(
            new String[] {
              "ID", "VERSION", "SOURCE", "STATUS", "SIGNATURE", "CONFIDENCE", "SUCCESS", "FAILURE"
            },
            rows));
    return 0;
  }

  private int stats(String base, PrintStream out) {
    JsonNode stats =
        expect(send(base, HttpRequest.newBuilder(uri(base, "/api/v1/stats/llm")).GET()), 200);
    JsonNode total = stats.path("total");
    out.println(
        "LLM usage from "
            + text(stats, "from", "-")
            + " to "
            + text(stats, "to", "-")
            + (stats.path("truncated").asBoolean(false) ? " (more consultations than read)" : ""));
    out.println(
        "model calls "
            + text(total, "calls", "0")
            + ", tokens "
            + text(total, "totalTokens", "0")
            + " (input "
            + text(total, "inputTokens", "0")
            + ", output "
            + text(total, "outputTokens", "0")
            + ", cache read "
            + text(total, "cacheReadTokens", "0")
            + ", cache write "
            + text(total, "cacheWriteTokens", "0")
            + "), cost "
            + usd(total.get("costUsd")));
    out.println(
        "consultations "
            + text(total, "consultations", "0")
            + ": "
            + text(total, "fallbacks", "0")
            + " fell back to the offline consultant, "
            + text(total, "reused", "0")
            + " reused a concurrent draft");
    JsonNode served = stats.path("servedWithoutCall");
    out.println(
        "served without any model call: "
            + text(served, "matched", "0")
            + " incidents matched a playbook ("
            + text(served, "learned", "0")
            + " learned, "
            + text(served, "catalog", "0")
            + " catalog), "
            + text(served, "consultedWithoutCall", "0")
            + " consulted offline or reused a draft, of "
            + text(served, "incidentsConsidered", "0")
            + " incidents");
    List<String[]> days = new ArrayList<>();
    for (JsonNode day : stats.path("perDay")) {
      days.add(usageRow(text(day, "day", "-"), day.path("usage")));
    }
    List<String[]> signatures = new ArrayList<>();
    for (JsonNode signature : stats.path("perSignature")) {
      signatures.add(usageRow(text(signature, "signature", "-"), signature.path("usage")));
    }
    if (days.isEmpty()) {
      out.println("no consultations in this period");
      return 0;
    }
    out.println();
    out.print(table(new String[] {"DAY", "CONSULTATIONS", "CALLS", "TOKENS", "COST"}, days));
    out.println();
    out.print(table(new String[] {"SIGNATURE", "CONSULTATIONS", "CALLS", "TOKENS", "COST"}, signatures));
    return 0;
  }

  private static String[] usageRow(String key, JsonNode usage) {
    return new String[] {
      key,
      text(usage, "consultations", "0"),
      text(usage, "calls", "0"),
      text(usage, "totalTokens", "0"),
      usd(usage.get("costUsd"))
    };
  }

  static String usd(JsonNode value) {
    if (value == null || !value.isNumber()) {
      return "-";
    }
    return String.format(java.util.Locale.ROOT, "$%.4f", value.doubleValue());
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private HttpResponse<String> send(String base, HttpRequest.Builder request) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try {
      return client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw new Failure("no Reflex server at " + base + ": start one with ./reflex serve");
    } catch (HttpTimeoutException e) {
      throw new Failure(
          "the Reflex server at " + base + " did not answer within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      if (refused(e)) {
        throw new Failure("no Reflex server at " + base + ": start one with ./reflex serve");
      }
      throw new Failure(
          "cannot talk to the Reflex server at "
              + base
              + ": "
              + clean(String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
  }

  private static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof ClosedChannelException) {
        return true;
      }
    }
    return false;
  }

  /** The JSON answer of an expected status, or a one-line failure built from the error body. */
  private static JsonNode expect(HttpResponse<String> response, int... ok) {
    int status = response.statusCode();
    JsonNode body;
    try {
      body = JSON.readTree(response.body() == null ? "" : response.body());
    } catch (JsonProcessingException e) {
      body = null;
    }
    for (int code : ok) {
      if (status == code) {
        if (body == null || body.isMissingNode()) {
          throw new Failure("the server answered " + status + " without JSON");
        }
        return body;
      }
    }
    String error = body == null ? "" : text(body, "error", "");
    String field = body == null ? "" : text(body, "field", "");
    StringBuilder message = new StringBuilder();
    switch (status) {
      case 400 -> message.append("invalid: ");
      case 401 -> message.append("not authorised (is --data-dir the server's?): ");
      case 404 -> message.append("not found: ");
      case 409 -> message.append("conflict: ");
      case 410 -> message.append("expired: ");
      case 413 -> message.append("too large: ");
      default -> message.append("server answered ").append(status).append(": ");
    }
    if (!field.isEmpty() && !error.startsWith(field)) {
      message.append(field).append(": ");
    }
    message.append(error.isEmpty() ? "no details" : error);
    throw new Failure(message.toString());
  }

  private String baseUrl(String option) {
    String url = option != null ? option : env.getOrDefault("REFLEX_URL", "");
    if (url.isBlank()) {
      url = DEFAULT_URL;
    }
    url = url.strip();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    try {
      URI uri = new URI(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new UsageException("--url must be an http(s) URL such as " + DEFAULT_URL);
      }
    } catch (URISyntaxException e) {
      throw new UsageException("--url must be an http(s) URL such as " + DEFAULT_URL);
    }
    return url;
  }

  private static URI uri(String base, String path) {
    return URI.create(base + path);
  }

  private static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static AdminToken token(Path dataDir) {
    try {
      return AdminToken.read(dataDir);
    } catch (NoSuchFileException e) {
      throw new Failure(
          "no admin token at "
              + AdminToken.file(dataDir)
              + ": start the server with ./reflex serve --data-dir "
              + dataDir
              + " or pass the same --data-dir here");
    } catch (IOException e) {
      throw new Failure("cannot read the admin token: " + clean(String.valueOf(e.getMessage())));
    }
  }

  private static String defaultActor() {
    String user = System.getProperty("user.name", "");
    return user.isBlank() ? "operator" : "operator:" + user;
  }

  // ---- input ---------------------------------------------------------------------------------

  private byte[] readInput(String source) {
    try (InputStream in =
        source.equals("-") ? nonClosing(stdin) : Files.newInputStream(Path.of(source))) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      byte[] buffer = new byte[16 * 1024];
      int read;
      while ((read = in.read(buffer)) != -1) {
        bytes.write(buffer, 0, read);
        if (bytes.size() > MAX_INPUT_BYTES) {
          throw new Failure(
              (source.equals("-") ? "standard input" : clean(source))
                  + " is larger than "
                  + MAX_INPUT_BYTES
                  + " bytes, the server's limit");
        }
      }
      return bytes.toByteArray();
    } catch (NoSuchFileException e) {
      throw new Failure("no such file: " + clean(source));
    } catch (IOException e) {
      throw new Failure(
          "cannot read " + clean(source) + ": " + clean(String.valueOf(e.getMessage())));
    }
  }

  private static InputStream nonClosing(InputStream in) {
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }

  // ---- arguments -----------------------------------------------------------------------------

  private static String one(List<String> operands, String synopsis) {
    if (operands.size() != 1) {
      throw new UsageException("usage: ./reflex " + synopsis);
    }
    return operands.get(0);
  }

  private static void none(List<String> operands, String command) {
    if (!operands.isEmpty()) {
      throw new UsageException(command + " takes no arguments, got " + clean(operands.get(0)));
    }
  }

  private static Integer limit(String text) {
    if (text == null) {
      return null;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= 500) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new UsageException("--limit must be a whole number from 1 to 500");
  }

  private static int usageError(PrintStream err, String message) {
    err.println("reflex: " + message);
    err.println("Run ./reflex help for the list of commands.");
    return 2;
  }

  /** Options ({@code --name value} or {@code --name=value}) anywhere, and positional words. */
  private static final class Args {
    final List<String> positional = new ArrayList<>();
    final Map<String, String> options = new LinkedHashMap<>();

    static Args parse(String[] args) {
      Args parsed = new Args();
      boolean onlyPositional = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (onlyPositional || arg.equals("-") || !arg.startsWith("--")) {
          parsed.positional.add(arg);
        } else if (arg.equals("--")) {
          onlyPositional = true;
        } else if (arg.equals("--help")) {
          parsed.positional.add(0, "help");
        } else {
          int eq = arg.indexOf('=');
          String name = eq < 0 ? arg : arg.substring(0, eq);
          String value;
          if (eq >= 0) {
            value = arg.substring(eq + 1);
          } else if (i + 1 < args.length) {
            value = args[++i];
          } else {
            throw new UsageException(clean(name) + " needs a value");
          }
          if (parsed.options.put(name, value) != null) {
            throw new UsageException(clean(name) + " is given twice");
          }
        }
      }
      return parsed;
    }

    /** Fails on an option the command does not take (global options are always allowed). */
    void allow(String command, String... own) {
      for (String name : options.keySet()) {
        if (GLOBAL_OPTIONS.contains(name) || List.of(own).contains(name)) {
          continue;
        }
        throw new UsageException("unknown option for " + command + ": " + clean(name));
      }
    }
  }

  /** A wrong command line: exit code 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  /** A command that could not be done: exit code 1, one line on standard error. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }

  // ---- output --------------------------------------------------------------------------------

  static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || value.isNull() || value.isMissingNode()) {
      return fallback;
    }
    String text = value.isValueNode() ? value.asText() : value.toString();
    return text.isEmpty() ? fallback : clean(text);
  }

  static String confidence(JsonNode value) {
    if (value == null || !value.isNumber()) {
      return "-";
    }
    return String.format(java.util.Locale.ROOT, "%.2f", value.doubleValue());
  }

  /**
   * Text safe for a terminal: control characters (escape sequences, newlines, carriage returns), C1
   * controls and bidirectional overrides are shown as {@code \\uXXXX} instead of acting.
   */
  public static String clean(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F);
      boolean bidi =
          (c >= 0x202A && c <= 0x202E)
              || (c >= 0x2066 && c <= 0x2069)
              || c == 0x200E
              || c == 0x200F
              || c == 0x061C;
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (control || bidi) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** A plain text table; cells are already cleaned. */
  static String table(String[] headers, List<String[]> rows) {
    int[] widths = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      widths[i] = headers[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    line(text, headers, widths);
    for (String[] row : rows) {
      line(text, row, widths);
    }
    return text.toString();
  }

  private static void line(StringBuilder text, String[] cells, int[] widths) {
    StringBuilder row = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      row.append(cells[i]);
      if (i < cells.length - 1) {
        row.append(" ".repeat(widths[i] - cells[i].length() + 2));
      }
    }
    text.append(row.toString().stripTrailing()).append('\n');
  }

  /** Sorted copy, for stable output of maps. */
  static Map<String, JsonNode> sorted(JsonNode object) {
    Map<String, JsonNode> map = new TreeMap<>();
    if (object != null && object.isObject()) {
      object.properties().forEach(e -> map.put(e.getKey(), e.getValue()));
    }
    return map;
  }
}
