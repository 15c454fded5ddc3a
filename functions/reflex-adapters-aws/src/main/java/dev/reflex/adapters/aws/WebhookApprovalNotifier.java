package dev.reflex.adapters.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.domain.model.ApprovalNotice;
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
 * A heads-up about an approval request in a Slack or Microsoft Teams channel through an incoming
 * webhook ({@code {"text": ...}}): the subject, the evidence and who must approve. It carries no
 * link: approval links are bound to one approver each and a channel is read by many, so each
 * approver's own link goes to them alone (by e-mail). The webhook URL is a secret: it is read from
 * the {@link SecretsProvider} by name and appears in no error or log.
 */
public final class WebhookApprovalNotifier implements ApprovalNotifier {

  /** How text is escaped: Slack mrkdwn or Markdown (Teams). */
  public enum Flavor {
    SLACK,
    TEAMS
  }

  private static final ObjectMapper JSON = new ObjectMapper();

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
  public void approvalRequested(ApprovalNotice notice) {
    ApprovalMessage message = ApprovalMessage.forChannel(notice);
    String approvers = String.join(", ", notice.approvers());
    URI uri = webhook();
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("text", text(message, approvers)));
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

  String text(ApprovalMessage message, String approvers) {
    boolean slack = flavor == Flavor.SLACK;
    String evidence = slack ? slackEscape(message.evidence()) : markdownEscape(message.evidence());
    String subject = slack ? slackEscape(message.subject()) : markdownEscape(message.subject());
    String who = defangAddresses(slack ? slackEscape(approvers) : markdownEscape(approvers));
    return "*" + subject + "*\n" + (slack ? "```" + evidence + "```" : evidence) + "\n"
        + message.quorum() + ": " + who + ". Each approver received a personal link by e-mail;"
        + " links are not posted here.";
  }

  /** Chat tools link bare addresses; these are names to read, not to click. */
  private static String defangAddresses(String text) {
    return text.replace("@", "[at]");
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
