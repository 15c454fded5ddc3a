package dev.reflex.adapters.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.domain.port.ApprovalNotifier;
import dev.reflex.domain.port.SecretsProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Approval requests to a Slack or Microsoft Teams incoming webhook ({@code {"text": ...}}), with
 * the same content as the e-mail. The webhook URL is a secret: it is read from the
 * {@link SecretsProvider} by name and appears in no error or log.
 */
public final class WebhookApprovalNotifier implements ApprovalNotifier {

  /** How the link is written: Slack's {@code <url|label>} or Markdown's {@code [label](url)}. */
  public enum Flavor {
    SLACK,
    TEAMS
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LABEL = "Review the plan and decide";

  private final HttpClient http;
  private final SecretsProvider secrets;
  private final String urlSecretName;
  private final Flavor flavor;
  private final Duration timeout;

  public WebhookApprovalNotifier(HttpClient http, SecretsProvider secrets, String urlSecretName, Flavor flavor,
      Duration timeout) {
    this.http = Objects.requireNonNull(http, "http");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.urlSecretName = Objects.requireNonNull(urlSecretName, "urlSecretName");
    this.flavor = Objects.requireNonNull(flavor, "flavor");
    this.timeout = Objects.requireNonNullElse(timeout, Duration.ofSeconds(10));
  }

  @Override
  public void approvalRequested(String approvalId, String incidentId, String summary, String approveUrl) {
    ApprovalMessage message = ApprovalMessage.of(approvalId, incidentId, summary, approveUrl);
    URI uri = webhook();
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("text", text(message)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
    int status;
    try {
      status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new ApprovalNotificationException("the approval webhook (secret '" + urlSecretName + "') failed: "
          + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApprovalNotificationException("interrupted while calling the approval webhook (secret '"
          + urlSecretName + "')");
    }
    if (status / 100 != 2) {
      throw new ApprovalNotificationException("the approval webhook (secret '" + urlSecretName + "') answered HTTP "
          + status);
    }
  }

  String text(ApprovalMessage message) {
    String link = switch (flavor) {
      case SLACK -> "<" + message.link() + "|" + LABEL + ">";
      case TEAMS -> "[" + LABEL + "](" + message.link() + ")";
    };
    String summary = flavor == Flavor.SLACK ? slackEscape(message.summary()) : markdownEscape(message.summary());
    String subject = flavor == Flavor.SLACK ? slackEscape(message.subject()) : markdownEscape(message.subject());
    return "*" + subject + "*\n" + (flavor == Flavor.SLACK ? "```" + summary + "```" : summary) + "\n" + link
        + " (the page asks you to confirm; opening it decides nothing)";
  }

  private URI webhook() {
    String url = new String(secrets.secret(urlSecretName), StandardCharsets.UTF_8).strip();
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ApprovalNotificationException("secret '" + urlSecretName + "' is not a URL");
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new ApprovalNotificationException("secret '" + urlSecretName + "' is not an http(s) URL");
    }
    return uri;
  }

  /** Slack's mrkdwn control characters. */
  private static String slackEscape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("```", "'''");
  }

  /** Markdown link and emphasis syntax, so the summary cannot make a link of its own. */
  private static String markdownEscape(String text) {
    return text.replaceAll("([\\\\\\[\\]()<>*_`])", "\\\\$1");
  }
}
