package dev.reflex.adapters.aws;

import dev.reflex.domain.model.ApprovalNotice;
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
 * HTML) to the approvers the notice names (the policy's): one message per approver, subject
 * {@code [Reflex] Approval needed: <signature> (<risk>)}, the evidence, and that approver's own
 * signed link, which is the only link in the message.
 */
public final class SesApprovalNotifier implements ApprovalNotifier {

  /**
   * @param from a verified SES identity
   * @param configurationSetName SES configuration set (event publishing), or {@code null}
   */
  public record Config(String from, String configurationSetName) {
    private static final Pattern CONFIGURATION_SET = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public Config {
      if (from == null || !ADDRESS.matcher(from).matches()) {
        throw new IllegalArgumentException("from must be an e-mail address");
      }
      if (configurationSetName != null && !CONFIGURATION_SET.matcher(configurationSetName).matches()) {
        throw new IllegalArgumentException("invalid SES configuration set name");
      }
    }
  }

  /** What SES accepts as one recipient: no display name, no header tricks. */
  static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}");
  private static final String CHARSET = "UTF-8";

  private final SesV2Client ses;
  private final Config config;

  public SesApprovalNotifier(SesV2Client ses, Config config) {
    this.ses = Objects.requireNonNull(ses, "ses");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Sends every approver of the notice their own message with their own link, even when one fails.
   *
   * @throws ApprovalNotificationException when SES refused one or more messages, or an approver's
   *     address is not one SES may send to (naming the recipients and error codes, never a link)
   */
  @Override
  public void approvalRequested(ApprovalNotice notice) {
    List<ApprovalMessage> messages = notice.links().stream().map(link -> ApprovalMessage.forApprover(notice, link))
        .toList();
    List<String> failures = new ArrayList<>();
    for (ApprovalMessage message : messages) {
      if (!ADDRESS.matcher(message.approver()).matches()) {
        failures.add(message.approver() + " (not an address)");
        continue;
      }
      SendEmailRequest.Builder request = SendEmailRequest.builder()
          .fromEmailAddress(config.from())
          .destination(Destination.builder().toAddresses(message.approver()).build())
          .content(content(message));
      if (config.configurationSetName() != null) {
        request.configurationSetName(config.configurationSetName());
      }
      try {
        ses.sendEmail(request.build());
      } catch (AwsServiceException e) {
        failures.add(message.approver() + " (" + (e.awsErrorDetails() == null ? "HTTP " + e.statusCode()
            : e.awsErrorDetails().errorCode()) + ")");
      } catch (SdkException e) {
        failures.add(message.approver() + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    if (!failures.isEmpty()) {
      throw new ApprovalNotificationException("SES did not send the approval request " + notice.approvalId()
          + " to " + String.join(", ", failures) + (failures.size() < messages.size()
              ? "; the other approvers were notified" : ""));
    }
  }

  private static EmailContent content(ApprovalMessage message) {
    return EmailContent.builder().simple(Message.builder()
            .subject(Content.builder().data(message.subject()).charset(CHARSET).build())
            .body(Body.builder()
                .text(Content.builder().data(message.text()).charset(CHARSET).build())
                .html(Content.builder().data(message.html()).charset(CHARSET).build())
                .build())
            .build())
        .build();
  }
}
