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
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Merge requests on GitLab through the REST API v4.
 *
 * <p>{@code open} is {@code POST /projects/:id/merge_requests}; GitLab answers 409 "Another open
 * merge request already exists for this source branch" when the branch has one, which is then found
 * with {@code GET /projects/:id/merge_requests?source_branch=...&state=opened}, given a note with
 * the reason for the update and returned. A request without a target branch targets the project's
 * default branch. The pull request id is the merge request's {@code iid}.
 */
public final class GitLabMergeRequestProvider implements PullRequestProvider {

  public static final String NAME = "gitlab";
  /** GitLab refuses longer merge-request titles. */
  public static final int MAX_TITLE = 255;

  private final GitLabConfig config;
  private final RestTransport rest;
  private volatile String defaultBranch;

  public GitLabMergeRequestProvider(GitLabConfig config, HttpClient http) {
    this(config, http, Clock.systemUTC(), Backoff.DEFAULT);
  }

  GitLabMergeRequestProvider(GitLabConfig config, HttpClient http, Clock clock, Backoff backoff) {
    this.config = Objects.requireNonNull(config, "config");
    this.rest = new RestTransport(new Dialect(config.tokenHeader()), http, config.token(), clock, backoff,
        RestTransport.MAX_RETRIES);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PullRequest open(PullRequestRequest request) {
    ObjectNode body = Json.object();
    body.put("source_branch", request.branch());
    body.put("target_branch", request.targetBranch() != null ? request.targetBranch() : defaultBranch());
    body.put("title", Redaction.title(request.title(), MAX_TITLE));
    body.put("description", request.bodyMarkdown());
    RestTransport.Answer answer = rest.post(config.projectUri("/merge_requests"), body, 409);
    if (answer.status() != 409) {
      return mergeRequest(answer.body());
    }
    PullRequest existing = findOpen(request.branch()).orElseThrow(() -> new PullRequestProviderException(NAME, 409,
        "GitLab says a merge request exists for " + request.branch() + " but none is open: "
            + Redaction.scrub(errorText(answer.body()), config.token().get())));
    comment(existing, UpdateComment.of(request));
    return existing;
  }

  /** The project's default branch ({@code GET /projects/:id}), read once. */
  private String defaultBranch() {
    if (defaultBranch == null) {
      String branch = rest.get(config.projectUri("")).body().path("default_branch").asText("");
      if (branch.isEmpty()) {
        throw new PullRequestProviderException(NAME, 0, "the project answer has no default_branch");
      }
      defaultBranch = branch;
    }
    return defaultBranch;
  }

  @Override
  public Optional<PullRequest> findOpen(String branch) {
    String source = URLEncoder.encode(branch, StandardCharsets.UTF_8);
    JsonNode list = rest.get(config.projectUri("/merge_requests?source_branch=" + source + "&state=opened")).body();
    for (JsonNode mr : list) {
      if (branch.equals(mr.path("source_branch").asText())) {
        return Optional.of(mergeRequest(mr));
      }
    }
    return Optional.empty();
  }

  /**
   * The most recently updated merge request of {@code branch} in any state ({@code
   * order_by=updated_at&sort=desc&per_page=1}), so that a merged or closed one is seen.
   */
  @Override
  public Optional<PullRequest> findLatest(String branch) {
    String source = URLEncoder.encode(branch, StandardCharsets.UTF_8);
    JsonNode list = rest.get(config.projectUri("/merge_requests?source_branch=" + source
        + "&order_by=updated_at&sort=desc&per_page=1")).body();
    for (JsonNode mr : list) {
      if (branch.equals(mr.path("source_branch").asText())) {
        return Optional.of(mergeRequest(mr));
      }
    }
    return Optional.empty();
  }

  @Override
  public void comment(PullRequest pr, String markdown) {
    rest.post(config.projectUri("/merge_requests/" + iid(pr.id()) + "/notes"), Json.object().put("body", markdown));
  }

  @Override
  public PullRequestState state(String id) {
    return stateOf(rest.get(config.projectUri("/merge_requests/" + iid(id))).body());
  }

  private PullRequest mergeRequest(JsonNode mr) {
    if (!mr.path("iid").canConvertToLong()) {
      throw new PullRequestProviderException(NAME, 0, "answer is not a merge request");
    }
    return new PullRequest(mr.path("iid").asText(), NAME, mr.path("source_branch").asText(),
        mr.path("target_branch").asText(), mr.path("title").asText(), mr.path("web_url").asText(), stateOf(mr),
        mr.path("sha").asText());
  }

  private static PullRequestState stateOf(JsonNode mr) {
    return switch (mr.path("state").asText()) {
      case "merged" -> PullRequestState.MERGED;
      case "closed" -> PullRequestState.CLOSED;
      // "opened", and "locked" (a merge in progress)
      default -> PullRequestState.OPEN;
    };
  }

  private static String iid(String id) {
    if (id == null || !id.matches("\\d{1,10}")) {
      throw new IllegalArgumentException("a GitLab merge request id is its iid: " + id);
    }
    return id;
  }

  /** GitLab's {@code message} is a string, a list, or an object of field → list; or OAuth's {@code error}. */
  private static String errorText(JsonNode body) {
    JsonNode message = body.path("message");
    StringBuilder text = new StringBuilder();
    if (message.isTextual()) {
      text.append(message.asText());
    } else if (message.isArray()) {
      message.forEach(m -> text.append(text.isEmpty() ? "" : "; ").append(m.asText()));
    } else if (message.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = message.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        StringBuilder values = new StringBuilder();
        field.getValue().forEach(v -> values.append(values.isEmpty() ? "" : ", ").append(v.asText()));
        text.append(text.isEmpty() ? "" : "; ").append(field.getKey()).append(' ')
            .append(values.isEmpty() ? field.getValue().asText() : values);
      }
    }
    if (text.isEmpty()) {
      text.append(body.path("error").asText(""));
      String description = body.path("error_description").asText("");
      if (!description.isEmpty()) {
        text.append(": ").append(description);
      }
    }
    return text.toString();
  }

  private static final class Dialect implements RestTransport.Dialect {

    private final GitLabConfig.TokenHeader tokenHeader;

    Dialect(GitLabConfig.TokenHeader tokenHeader) {
      this.tokenHeader = tokenHeader;
    }

    @Override
    public String provider() {
      return NAME;
    }

    @Override
    public void authenticate(HttpRequest.Builder request, String token) {
      switch (tokenHeader) {
        case PRIVATE_TOKEN -> request.header("PRIVATE-TOKEN", token);
        case BEARER -> request.header("Authorization", "Bearer " + token);
      }
    }

    @Override
    public void decorate(HttpRequest.Builder request) {
      request.header("Accept", "application/json");
      request.header("User-Agent", "reflex");
    }

    @Override
    public String errorMessage(JsonNode body) {
      return errorText(body);
    }

    @Override
    public Optional<Instant> rateLimitReset(int status, HttpHeaders headers, String message, Clock clock) {
      if (status != 429) {
        return Optional.empty();
      }
      return Optional.of(RestTransport.epochSeconds(headers, "ratelimit-reset")
          .or(() -> RestTransport.retryAfter(headers, clock))
          .orElse(clock.instant().plus(Duration.ofMinutes(1))));
    }
  }
}
