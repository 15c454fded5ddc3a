package dev.reflex.adapters.pullrequests.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.reflex.adapters.pullrequests.PullRequestAuthException;
import dev.reflex.adapters.pullrequests.PullRequestProviderException;
import dev.reflex.adapters.pullrequests.PullRequestRateLimitedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * JSON over HTTPS for the REST providers. One call: a fresh token from the supplier (put only in
 * the auth header), 5xx and connection failures retried with back-off up to {@code maxRetries}
 * times, then each refusal mapped to its exception. Statuses the caller handles itself (GitHub's
 * 422, GitLab's 409) are returned as answers.
 */
public final class RestTransport {

  /** What differs between providers. */
  public interface Dialect {

    String provider();

    /** Adds the credential header(s). */
    void authenticate(HttpRequest.Builder request, String token);

    /** The fixed headers of every request (API version, accepted media type). */
    void decorate(HttpRequest.Builder request);

    /** The provider's human-readable error text in an error body, or "" when it has none. */
    String errorMessage(JsonNode body);

    /** When this refusal is rate limiting, the time the limit resets; empty otherwise. */
    Optional<Instant> rateLimitReset(int status, HttpHeaders headers, String message, Clock clock);
  }

  /** An answer: its status, JSON body ({@link MissingNode} when empty) and headers. */
  public record Answer(int status, JsonNode body, HttpHeaders headers) {}

  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final int MAX_RETRIES = 3;

  private final Dialect dialect;
  private final HttpClient http;
  private final Supplier<String> token;
  private final Clock clock;
  private final Backoff backoff;
  private final int maxRetries;

  public RestTransport(Dialect dialect, HttpClient http, Supplier<String> token, Clock clock, Backoff backoff,
      int maxRetries) {
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.http = Objects.requireNonNull(http, "http");
    this.token = Objects.requireNonNull(token, "token");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.maxRetries = maxRetries;
  }

  public Answer get(URI uri) {
    return send("GET", uri, null);
  }

  public Answer post(URI uri, JsonNode body, int... handledStatuses) {
    return send("POST", uri, body, handledStatuses);
  }

  /**
   * @param handledStatuses non-2xx statuses returned to the caller instead of raising
   */
  public Answer send(String method, URI uri, JsonNode body, int... handledStatuses) {
    String provider = dialect.provider();
    String secret = token.get();
    if (secret == null || secret.isBlank()) {
      throw new PullRequestAuthException(provider, 0, "no token configured");
    }
    String payload = body == null ? null : Json.write(body);
    int lastStatus = 0;
    String lastDetail = "";
    IOException lastFailure = null;
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0) {
        sleep(backoff.delay(attempt), provider);
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
          .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
      dialect.decorate(request);
      if (payload != null) {
        request.header("Content-Type", "application/json");
      }
      dialect.authenticate(request, secret.strip());
      HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        lastStatus = 0;
        lastDetail = method + " " + uri.getRawPath() + ": " + e.getClass().getSimpleName();
        lastFailure = e;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PullRequestProviderException(provider, 0, "interrupted");
      }
      int status = response.statusCode();
      JsonNode json = parse(response.body());
      if ((status >= 200 && status < 300) || handled(status, handledStatuses)) {
        return new Answer(status, json, response.headers());
      }
      String detail = Redaction.scrub(detail(json, response.body()), secret);
      Optional<Instant> reset = dialect.rateLimitReset(status, response.headers(), detail, clock);
      if (reset.isPresent()) {
        throw new PullRequestRateLimitedException(provider, status, reset.get(), detail);
      }
      if (status == 401 || status == 403) {
        throw new PullRequestAuthException(provider, status, detail);
      }
      if (status >= 500) {
        lastStatus = status;
        lastDetail = detail;
        lastFailure = null;
        continue;
      }
      throw new PullRequestProviderException(provider, status,
          method + " " + uri.getRawPath() + (detail.isEmpty() ? "" : ": " + detail));
    }
    String tries = " (after " + (maxRetries + 1) + " attempts)";
    throw new PullRequestProviderException(provider, lastStatus, lastDetail + tries, lastFailure);
  }

  private String detail(JsonNode json, String raw) {
    String message = json.isMissingNode() ? "" : dialect.errorMessage(json);
    if (!message.isBlank()) {
      return message;
    }
    return raw == null ? "" : raw.replaceAll("<[^>]*>", " ");
  }

  private static boolean handled(int status, int[] handledStatuses) {
    for (int s : handledStatuses) {
      if (s == status) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return Json.parse(text);
    } catch (IllegalArgumentException e) {
      return MissingNode.getInstance();
    }
  }

  private static void sleep(Duration wait, String provider) {
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PullRequestProviderException(provider, 0, "interrupted");
    }
  }

  /** {@code Retry-After} as seconds or an HTTP date, if present and readable. */
  public static Optional<Instant> retryAfter(HttpHeaders headers, Clock clock) {
    Optional<String> value = headers.firstValue("retry-after").map(String::strip);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get().matches("\\d{1,7}")) {
      return Optional.of(clock.instant().plusSeconds(Long.parseLong(value.get())));
    }
    try {
      return Optional.of(java.time.ZonedDateTime.parse(value.get(),
          java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** An epoch-seconds header such as {@code x-ratelimit-reset}, if present and readable. */
  public static Optional<Instant> epochSeconds(HttpHeaders headers, String name) {
    return headers.firstValue(name).map(String::strip).filter(v -> v.matches("\\d{1,12}"))
        .map(v -> Instant.ofEpochSecond(Long.parseLong(v)));
  }
}
