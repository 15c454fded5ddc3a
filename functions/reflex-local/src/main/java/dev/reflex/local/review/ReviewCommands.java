package dev.reflex.local.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.adapters.dynamodb.DynamoDbPlaybookStore;
import dev.reflex.adapters.dynamodb.ReflexTables;
import dev.reflex.adapters.dynamodb.TableNames;
import dev.reflex.adapters.git.JGitPlaybookRepository;
import dev.reflex.local.app.LocalDynamoDb;
import dev.reflex.local.http.AdminToken;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * {@code ./reflex pr list|show ID|merge ID|close ID [--reason TEXT]} and {@code ./reflex sync}:
 * the local provider's review. With a server running ({@code --url}, else {@code $REFLEX_URL},
 * else {@code http://127.0.0.1:8080}) they go through its API ({@code /api/v1/pulls},
 * {@code /api/v1/sync}, with the admin token of {@code --data-dir}); with none, straight on the
 * data folder ({@code --data-dir}, default {@code .reflex}), whose embedded DynamoDB belongs to one
 * process at a time.
 *
 * <p>Exit codes: 0 done, 1 failed (not found, not open, conflict), 2 usage error.
 */
public final class ReviewCommands {

  static final String DEFAULT_URL = "http://127.0.0.1:8080";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReviewCommands() {}

  /** What the commands need: the server's API or the data folder, both answering JSON views. */
  interface Backend {
    JsonNode list();

    JsonNode show(String id);

    JsonNode merge(String id);

    JsonNode close(String id, String reason);

    JsonNode sync();
  }

  /** A refusal to print as one line (not found, not open, conflict, unreachable). */
  static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message);
    }
  }

  public static int pr(Path home, String[] args, PrintStream out, PrintStream err) {
    return pr(home, args, System.getenv(), out, err);
  }

  static int pr(Path home, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Parsed parsed = Parsed.of(args);
    if (parsed.operands.isEmpty()) {
      err.println("reflex: usage: ./reflex pr list | show ID | merge ID | close ID [--reason TEXT]");
      return 2;
    }
    return withBackend(home, parsed, env, err, backend -> pr(backend, parsed, out));
  }

  /** For tests: the pr commands on a given review, as on the data folder. */
  static int pr(LocalReview review, String[] args, PrintStream out) {
    return pr(local(review), Parsed.of(args), out);
  }

  public static int sync(Path home, String[] args, PrintStream out, PrintStream err) {
    return sync(home, args, System.getenv(), out, err);
  }

  static int sync(Path home, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Parsed parsed = Parsed.of(args);
    if (!parsed.operands.isEmpty()) {
      err.println("reflex: usage: ./reflex sync [--url URL] [--data-dir DIR]");
      return 2;
    }
    return withBackend(home, parsed, env, err, backend -> {
      printSync(backend.sync(), out);
      return 0;
    });
  }

  private static int pr(Backend backend, Parsed parsed, PrintStream out) {
    String command = parsed.operands.get(0);
    return switch (command) {
      case "list" -> list(backend.list(), out);
      case "show" -> show(backend.show(id(parsed, "show")), out);
      case "merge" -> {
        JsonNode merged = backend.merge(id(parsed, "merge"));
        JsonNode pr = merged.path("pullRequest");
        out.println("merged " + text(pr, "id") + " (" + text(pr, "branch") + " -> " + text(pr, "targetBranch")
            + ") at " + text(pr, "headSha"));
        merged.path("tags").forEach(tag -> out.println("tagged " + clean(tag.asText())));
        printSync(merged.path("sync"), out);
        yield 0;
      }
      case "close" -> {
        JsonNode pr = backend.close(id(parsed, "close"), parsed.reason).path("pullRequest");
        out.println("closed " + text(pr, "id") + " (" + text(pr, "branch") + "): its draft is rejected");
        yield 0;
      }
      default -> throw new IllegalArgumentException("unknown pr command: " + clean(command)
          + " (list, show ID, merge ID, close ID [--reason TEXT])");
    };
  }

  private static int list(JsonNode records, PrintStream out) {
    if (records.isEmpty()) {
      out.println("no pull requests yet");
      return 0;
    }
    out.printf("%-8s %-8s %-50s %s%n", "ID", "STATE", "BRANCH", "TITLE");
    for (JsonNode pr : records) {
      out.printf("%-8s %-8s %-50s %s%n", text(pr, "id"), text(pr, "state"), text(pr, "branch"), text(pr, "title"));
    }
    return 0;
  }

  private static int show(JsonNode pr, PrintStream out) {
    out.println("# " + text(pr, "title"));
    String head = text(pr, "headSha");
    out.println(text(pr, "id") + " · " + text(pr, "state") + " · " + text(pr, "branch") + " -> "
        + text(pr, "targetBranch") + " · head " + (head.isEmpty() ? "-" : head) + " · opened " + text(pr, "openedAt"));
    out.println();
    out.println(printable(pr.path("body").asText("")));
    for (JsonNode comment : pr.path("comments")) {
      out.println("---");
      out.println(printable(comment.asText("")));
    }
    return 0;
  }

  private static void printSync(JsonNode report, PrintStream out) {
    out.println("synced with " + text(report, "commitSha"));
    report.path("changes").forEach(change -> out.println("  " + clean(change.asText())));
    report.path("problems").forEach(problem -> out.println("  skipped: " + clean(problem.asText())));
    if (report.path("changes").isEmpty()) {
      out.println("  nothing to change");
    }
  }

  interface Action {
    int run(Backend backend);
  }

  /** The running server's API when one answers at the URL, else the data folder. */
  private static int withBackend(Path home, Parsed parsed, Map<String, String> env, PrintStream err, Action action) {
    String url = parsed.url != null ? parsed.url : env.getOrDefault("REFLEX_URL", "");
    url = (url.isBlank() ? DEFAULT_URL : url.strip()).replaceAll("/+$", "");
    try {
      Server server = new Server(url, parsed.dataDir);
      if (server.isUp()) {
        return action.run(server);
      }
      return withDataFolder(home, parsed.dataDir, err, action);
    } catch (Failure e) {
      err.println("reflex: " + clean(e.getMessage()));
      return 1;
    }
  }

  private static int withDataFolder(Path home, Path dataDir, PrintStream err, Action action) {
    Path data = dataDir.toAbsolutePath();
    if (!Files.isDirectory(data.resolve("dynamodb"))) {
      err.println("reflex: no Reflex server answers and no Reflex data in " + data
          + " (start ./reflex serve --data-dir " + dataDir + " first)");
      return 1;
    }
    try (LocalDynamoDb dynamo = LocalDynamoDb.start(data.resolve("dynamodb"))) {
      new ReflexTables(dynamo.client(), TableNames.defaults()).createIfMissing();
      PlaybookRepositoryLocation location = PlaybookRepositoryLocation.resolve(home, data,
          data.resolve("playbooks-review-work"), new dev.reflex.adapters.files.FileSecretsProvider(data.resolve("secrets")));
      JGitPlaybookRepository repository = new JGitPlaybookRepository(location.config());
      LocalReview review = new LocalReview(dynamo.client(), TableNames.defaults().playbooks(), repository,
          new DynamoDbPlaybookStore(dynamo.client()), location.config().targetBranch(), Clock.systemUTC());
      return action.run(local(review));
    } catch (Failure e) {
      err.println("reflex: " + clean(e.getMessage()));
      return 1;
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      err.println("reflex: " + e.getClass().getSimpleName() + ": " + clean(e.getMessage()));
      return 1;
    }
  }

  /** The review on the data folder, answering the same JSON views as the server. */
  static Backend local(LocalReview review) {
    return new Backend() {
      @Override
      public JsonNode list() {
        return PullRequestViews.list(review.pullRequests().list());
      }

      @Override
      public JsonNode show(String id) {
        return guarded(() -> PullRequestViews.detail(review.pullRequests().record(id)));
      }

      @Override
      public JsonNode merge(String id) {
        return guarded(() -> PullRequestViews.merged(review.merge(id)));
      }

      @Override
      public JsonNode close(String id, String reason) {
        return guarded(() -> PullRequestViews.closed(review.close(id, reason)));
      }

      @Override
      public JsonNode sync() {
        return PullRequestViews.sync(review.sync());
      }
    };
  }

  private static JsonNode guarded(java.util.function.Supplier<JsonNode> call) {
    try {
      return call.get();
    } catch (NoSuchElementException | IllegalStateException e) {
      throw new Failure(e.getMessage());
    }
  }

  /** The running server's review API, with the admin token of the data folder. */
  static final class Server implements Backend {
    private final String base;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();

    Server(String base, Path dataDir) {
      try {
        URI uri = new URI(base);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new IllegalArgumentException("--url must be an http(s) URL such as " + DEFAULT_URL);
        }
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("--url must be an http(s) URL such as " + DEFAULT_URL);
      }
      this.base = base;
      this.dataDir = dataDir;
    }

    /** Whether a Reflex server answers {@code /health} there; nothing listening means no. */
    boolean isUp() {
      try {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return health.statusCode() == 200;
      } catch (HttpConnectTimeoutException e) {
        return false;
      } catch (IOException e) {
        if (refused(e)) {
          return false;
        }
        throw new Failure("something at " + base + " does not answer like a Reflex server: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Failure("interrupted");
      }
    }

    @Override
    public JsonNode list() {
      return call(HttpRequest.newBuilder(uri("/api/v1/pulls")).GET(), false);
    }

    @Override
    public JsonNode show(String id) {
      return call(HttpRequest.newBuilder(uri("/api/v1/pulls/" + segment(id))).GET(), false);
    }

    @Override
    public JsonNode merge(String id) {
      return post("/api/v1/pulls/" + segment(id) + "/merge", JSON.createObjectNode());
    }

    @Override
    public JsonNode close(String id, String reason) {
      ObjectNode body = JSON.createObjectNode();
      if (reason != null) {
        body.put("reason", reason);
      }
      return post("/api/v1/pulls/" + segment(id) + "/close", body);
    }

    @Override
    public JsonNode sync() {
      return post("/api/v1/sync", JSON.createObjectNode());
    }

    private JsonNode post(String path, JsonNode body) {
      return call(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())), true);
    }

    private JsonNode call(HttpRequest.Builder request, boolean operator) {
      if (operator) {
        request.header("Authorization", "Bearer " + token().value());
      }
      HttpResponse<String> response;
      try {
        response = http.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new Failure("cannot talk to the Reflex server at " + base + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Failure("interrupted");
      }
      JsonNode answer;
      try {
        answer = JSON.readTree(response.body() == null ? "" : response.body());
      } catch (IOException e) {
        answer = null;
      }
      if (response.statusCode() == 200 && answer != null && !answer.isMissingNode()) {
        return answer;
      }
      String error = answer == null ? "" : answer.path("error").asText("");
      throw new Failure(switch (response.statusCode()) {
        case 401 -> "not authorised (is --data-dir the server's?): ";
        case 404 -> "not found: ";
        case 409 -> "conflict: ";
        default -> "server answered " + response.statusCode() + ": ";
      } + (error.isEmpty() ? "no details" : error));
    }

    private AdminToken token() {
      try {
        return AdminToken.read(dataDir);
      } catch (IOException e) {
        throw new Failure("no admin token at " + AdminToken.file(dataDir)
            + ": pass the --data-dir the server was started with");
      }
    }

    private URI uri(String path) {
      return URI.create(base + path);
    }

    private static String segment(String id) {
      return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean refused(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConnectException || t instanceof java.nio.channels.ClosedChannelException) {
          return true;
        }
      }
      return false;
    }
  }

  private static String id(Parsed parsed, String command) {
    if (parsed.operands.size() != 2) {
      throw new IllegalArgumentException("usage: ./reflex pr " + command + " ID");
    }
    return parsed.operands.get(1);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "" : clean(value.asText());
  }

  private static String clean(String text) {
    return text == null ? "" : text.replaceAll("\\p{Cntrl}", " ");
  }

  private static String printable(String text) {
    return text == null ? "" : text.replaceAll("[\\p{Cntrl}&&[^\n\t]]", "?");
  }

  private record Parsed(List<String> operands, Path dataDir, String reason, String url) {
    static Parsed of(String[] args) {
      List<String> operands = new ArrayList<>();
      Path dataDir = Path.of(".reflex");
      String reason = null;
      String url = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
          case "--reason" -> reason = value(args, ++i, "--reason");
          case "--url" -> url = value(args, ++i, "--url");
          default -> {
            if (args[i].startsWith("--")) {
              throw new IllegalArgumentException("unknown option: " + args[i]);
            }
            operands.add(args[i]);
          }
        }
      }
      return new Parsed(operands, dataDir, reason, url);
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[index];
    }
  }
}
