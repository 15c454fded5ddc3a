package dev.reflex.adapters.pullrequests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.adapters.pullrequests.internal.Backoff;
import dev.reflex.adapters.pullrequests.internal.Json;
import dev.reflex.adapters.pullrequests.internal.Redaction;
import dev.reflex.adapters.pullrequests.internal.RestTransport;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.model.PullRequestState;
import dev.reflex.domain.port.PullRequestProvider;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Pull requests on GitHub through the REST API (version {@value #API_VERSION}).
 *
 * <p>{@code open} is {@code POST /repos/{owner}/{repo}/pulls}; GitHub answers 422 "A pull request
 * already exists" when the branch has one, which is then found with {@code GET
 * /pulls?head=owner:branch&state=open}, commented with the reason for the update and returned.
 * A request without a target branch targets the repository's default branch. Rate limiting is a 403 or 429 with {@code x-ratelimit-remaining: 0} or {@code retry-after}.
 */
public final class GitHubPullRequestProvider implements PullRequestProvider {

  public static final String NAME = "github";
  public static final String API_VERSION = "2022-11-28";
  /** GitHub refuses longer pull-request titles. */
  public static final int MAX_TITLE = 256;

  private final GitHubConfig config;
  private final RestTransport rest;
  private volatile String defaultBranch;

  public GitHubPullRequestProvider(GitHubConfig config, HttpClient http) {
    this(config, http, Clock.systemUTC(), Backoff.DEFAULT);
  }

  GitHubPullRequestProvider(GitHubConfig config, HttpClient http, Clock clock, Backoff backoff) {
    this.config = Objects.requireNonNull(config, "config");
    this.rest = new RestTransport(new Dialect(), http, config.token(), clock, backoff, RestTransport.MAX_RETRIES);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PullRequest open(PullRequestRequest request) {
    ObjectNode body = Json.object();
    body.put("title", Redaction.title(request.title(), MAX_TITLE));
    body.put("head", request.branch());
    body.put("base", request.targetBranch() != null ? request.targetBranch() : defaultBranch());
    body.put("body", request.bodyMarkdown());
    body.put("draft", false);
    RestTransport.Answer answer = rest.post(config.repoUri("/pulls"), body, 422);
    if (answer.status() != 422) {
      return pullRequest(answer.body());
    }
    String message = errorText(answer.body());
    if (!message.toLowerCase().contains("already exists")) {
      throw new PullRequestProviderException(NAME, 422,
          "POST " + config.repoUri("/pulls").getRawPath() + ": " + Redaction.scrub(message, config.token().get()));
    }
    PullRequest existing = findOpen(request.branch()).orElseThrow(() -> new PullRequestProviderException(NAME, 422,
        "GitHub says a pull request exists for " + request.branch() + " but none is open"));
    comment(existing, UpdateComment.of(request));
    return existing;
  }

  /** The repository's default branch ({@code GET /repos/{owner}/{repo}}), read once. */
  private String defaultBranch() {
    if (defaultBranch == null) {
      String branch = rest.get(config.repoUri("")).body().path("default_branch").asText("");
      if (branch.isEmpty()) {
        throw new PullRequestProviderException(NAME, 0, "the repository answer has no default_branch");
      }
      defaultBranch = branch;
    }
    return defaultBranch;
  }

  @Override
  public Optional<PullRequest> findOpen(String branch) {
    String head = URLEncoder.encode(config.owner() + ":" + branch, StandardCharsets.UTF_8);
    JsonNode list = rest.get(config.repoUri("/pulls?head=" + head + "&state=open")).body();
    for (JsonNode pr : list) {
      if (branch.equals(pr.path("head").path("ref").asText())) {
        return Optional.of(pullRequest(pr));
      }
    }
    return Optional.empty();
  }

  /**
   * The most recently updated pull request of {@code branch} in any state ({@code
   * state=all&sort=updated&direction=desc&per_page=1}), so that a merged or closed one is seen.
   */
  @Override
  public Optional<PullRequest> findLatest(String branch) {
    String head = URLEncoder.encode(config.owner() + ":" + branch, StandardCharsets.UTF_8);
    JsonNode list = rest.get(config.repoUri("/pulls?head=" + head
        + "&state=all&sort=updated&direction=desc&per_page=1")).body();
    for (JsonNode pr : list) {
      if (branch.equals(pr.path("head").path("ref").asText())) {
        return Optional.of(pullRequest(pr));
      }
    }
    return Optional.empty();
  }

  @Override
  public void comment(PullRequest pr, String markdown) {
    ObjectNode body = Json.object().put("body", markdown);
    rest.post(config.repoUri("/issues/" + number(pr.id()) + "/comments"), body);
  }

  @Override
  public PullRequestState state(String id) {
    JsonNode pr = rest.get(config.repoUri("/pulls/" + number(id))).body();
    return stateOf(pr);
  }

  private PullRequest pullRequest(JsonNode pr) {
    if (!pr.path("number").canConvertToLong()) {
      throw new PullRequestProviderException(NAME, 0, "answer is not a pull request");
    }
    return new PullRequest(pr.path("number").asText(), NAME, pr.path("head").path("ref").asText(),
        pr.path("base").path("ref").asText(), pr.path("title").asText(), pr.path("html_url").asText(),
        stateOf(pr), pr.path("head").path("sha").asText());
  }

  private static PullRequestState stateOf(JsonNode pr) {
    // GET /pulls/{n} has "merged"; list answers only "merged_at"
    if (pr.path("merged").asBoolean(false) || pr.path("merged_at").isTextual()) {
      return PullRequestState.MERGED;
    }
    return "closed".equals(pr.path("state").asText()) ? PullRequestState.CLOSED : PullRequestState.OPEN;
  }

  private static String number(String id) {
    if (id == null || !id.matches("\\d{1,10}")) {
      throw new IllegalArgumentException("a GitHub pull request id is its number: " + id);
    }
    return id;
  }

  private static String errorText(JsonNode body) {
    StringBuilder text = new StringBuilder(body.path("message").asText(""));
    for (JsonNode error : body.path("errors")) {
      String message = error.isTextual() ? error.asText() : error.path("message").asText(error.path("code").asText(""));
      if (!message.isBlank()) {
        text.append(text.isEmpty() ? "" : ": ").append(message);
      }
    }
    return text.toString();
  }

  private static final class Dialect implements RestTransport.Dialect {

    @Override
    public String provider() {
      return NAME;
    }

    @Override
    public void authenticate(HttpRequest.Builder request, String token) {
      request.header("Authorization", "Bearer " + token);
    }

    @Override
    public void decorate(HttpRequest.Builder request) {
      request.header("Accept", "application/vnd.github+json");
      request.header("X-GitHub-Api-Version", API_VERSION);
      request.header("User-Agent", "reflex");
    }

    @Override
    public String errorMessage(JsonNode body) {
      return errorText(body);
    }

    @Override
    public Optional<Instant> rateLimitReset(int status, HttpHeaders headers, String message, Clock clock) {
      if (status != 403 && status != 429) {
        return Optional.empty();
      }
      boolean exhausted = headers.firstValue("x-ratelimit-remaining").map(String::strip).filter("0"::equals)
          .isPresent();
      Optional<Instant> retryAfter = RestTransport.retryAfter(headers, clock);
      if (retryAfter.isPresent()) {
        return retryAfter;
      }
      if (exhausted) {
        return Optional.of(RestTransport.epochSeconds(headers, "x-ratelimit-reset")
            .orElse(clock.instant().plus(Duration.ofMinutes(1))));
      }
      if (status == 429 || message.toLowerCase().contains("rate limit")) {
        // secondary rate limit without headers: GitHub asks for at least a minute
        return Optional.of(clock.instant().plus(Duration.ofMinutes(1)));
      }
      return Optional.empty();
    }
  }
}
