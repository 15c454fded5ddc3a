package dev.reflex.adapters.aws;

import dev.reflex.domain.port.ApprovalNotifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Message;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/**
 * Approval requests by e-mail through Amazon SES v2 ({@code SendEmail}, simple content, text and
 * HTML): one message per approver, subject {@code [Reflex] Approval needed: <signature>}, the
 * domain's summary and the signed link, which is the only link in the message.
 */
public final class SesApprovalNotifier implements ApprovalNotifier {

  /**
   * @param from a verified SES identity
   * @param approvers who receives the request
   * @param configurationSetName SES configuration set (event publishing), or {@code null}
   */
  public record Config(String from, List<String> approvers, String configurationSetName) {
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}");
    private static final Pattern CONFIGURATION_SET = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public Config {
      if (from == null || !ADDRESS.matcher(from).matches()) {
        throw new IllegalArgumentException("from must be an e-mail address");
      }
      approvers = List.copyOf(Objects.requireNonNull(approvers, "approvers"));
      if (approvers.isEmpty()) {
        throw new IllegalArgumentException("at least one approver is required");
      }
      for (String approver : approvers) {
        if (approver == null || !ADDRESS.matcher(approver).matches()) {
          throw new IllegalArgumentException("approvers must be e-mail addresses");
        }
      }
      if (configurationSetName != null && !CONFIGURATION_SET.matcher(configurationSetName).matches()) {
        throw new IllegalArgumentException("invalid SES configuration set name");
      }
    }
  }

  private static final String CHARSET = "UTF-8";

  private final SesV2Client ses;
  private final Config config;

  public SesApprovalNotifier(SesV2Client ses, Config config) {
    this.ses = Objects.requireNonNull(ses, "ses");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Sends to every approver, even when one fails.
   *
   * @throws ApprovalNotificationException when SES refused one or more messages (naming the
   *     recipients and error codes)
   */
  @Override
  public void approvalRequested(String approvalId, String incidentId, String summary, String approveUrl) {
    ApprovalMessage message = ApprovalMessage.of(approvalId, incidentId, summary, approveUrl);
    EmailContent content = EmailContent.builder().simple(Message.builder()
            .subject(Content.builder().data(message.subject()).charset(CHARSET).build())
            .body(Body.builder()
                .text(Content.builder().data(message.text()).charset(CHARSET).build())
                .html(Content.builder().data(message.html()).charset(CHARSET).build())
                .build())
            .build())
        .build();
    List<String> failures = new ArrayList<>();
    for (String approver : config.approvers()) {
      SendEmailRequest.Builder request = SendEmailRequest.builder()
          .fromEmailAddress(config.from())
          .destination(Destination.builder().toAddresses(approver).build())
          .content(content);
      if (config.configurationSetName() != null) {
        request.configurationSetName(config.configurationSetName());
      }
      try {
        ses.sendEmail(request.build());
      } catch (AwsServiceException e) {
        failures.add(approver + " (" + (e.awsErrorDetails() == null ? "HTTP " + e.statusCode()
            : e.awsErrorDetails().errorCode()) + ")");
      } catch (SdkException e) {
        failures.add(approver + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    if (!failures.isEmpty()) {
      throw new ApprovalNotificationException("SES did not send the approval request " + message.approvalId()
          + " to " + String.join(", ", failures) + (failures.size() < config.approvers().size()
              ? "; the other approvers were notified" : ""));
    }
  }
}
