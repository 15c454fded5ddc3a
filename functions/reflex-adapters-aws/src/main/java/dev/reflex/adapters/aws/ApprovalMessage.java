package dev.reflex.adapters.aws;

import dev.reflex.adapters.files.Redactor;
import dev.reflex.domain.model.ApprovalNotice;
import java.util.regex.Pattern;

/**
 * The content of an approval request, shared by e-mail and webhooks: a one-line subject, the
 * domain's evidence and, for one approver, their own signed link. The evidence is redacted and its
 * URLs defanged ({@code https[:]//}, {@code www[.]}) so that the signed link is the only link a
 * reader can follow; control characters are removed.
 *
 * @param link the approver's own link, or {@code null} for a channel message (no link)
 */
record ApprovalMessage(String subject, String evidence, String link, String approver, String approvalId,
    String incidentId, int required, int approvers) {

  private static final Pattern LINK = Pattern.compile("https?://[A-Za-z0-9.-]+(?::\\d{1,5})?(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?");
  private static final Pattern SCHEME = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]{0,20}):(/{1,3}|\\\\\\\\)");
  private static final Pattern MAILTO = Pattern.compile("(?i)\\b(mailto|tel|sms|javascript|data|file):");
  private static final Pattern WWW = Pattern.compile("(?i)\\bwww\\.");

  /** The message for one approver, with their link. */
  static ApprovalMessage forApprover(ApprovalNotice notice, ApprovalNotice.PersonalLink link) {
    if (link.url() == null || !LINK.matcher(link.url()).matches()) {
      throw new IllegalArgumentException("the approval link must be a plain http(s) URL");
    }
    return of(notice, link.url(), link.approver());
  }

  /** The message for a channel: the evidence without any link. */
  static ApprovalMessage forChannel(ApprovalNotice notice) {
    return of(notice, null, null);
  }

  private static ApprovalMessage of(ApprovalNotice notice, String link, String approver) {
    String subject = oneLine(defang(Redactor.redact(notice.subject())), 200);
    String body = defang(Redactor.redact(notice.evidence().replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "")));
    return new ApprovalMessage(subject.isEmpty() ? "[Reflex] Approval needed: incident " + notice.incidentId() : subject,
        body.strip(), link, approver == null ? null : oneLine(approver, 254), oneLine(notice.approvalId(), 100),
        oneLine(notice.incidentId(), 100), notice.required(), notice.links().size());
  }

  /** Breaks every link-like text so that mail clients and chat tools do not link it. */
  static String defang(String text) {
    String out = SCHEME.matcher(text).replaceAll("$1[:]$2");
    out = MAILTO.matcher(out).replaceAll("$1[:]");
    return WWW.matcher(out).replaceAll("www[.]");
  }

  String quorum() {
    return required + " of " + approvers + " approver" + (approvers == 1 ? "" : "s") + " must approve";
  }

  String text() {
    return "Reflex asks for your decision on incident " + incidentId + " (" + quorum() + ").\n\n"
        + evidence + "\n\n"
        + "Review the plan and decide (the page asks you to confirm; opening it decides nothing):\n"
        + link + "\n\n"
        + "Approval " + approvalId + ". This link is yours alone (" + approver + "): do not forward it. It works once"
        + " and expires with the request.\n";
  }

  String html() {
    return "<!DOCTYPE html><html><body style=\"font-family:sans-serif\">"
        + "<p>Reflex asks for your decision on incident <b>" + html(incidentId) + "</b> (" + html(quorum()) + ").</p>"
        + "<pre style=\"white-space:pre-wrap\">" + html(evidence) + "</pre>"
        + "<p><a href=\"" + html(link) + "\">Review the plan and decide</a> (the page asks you to confirm; opening it"
        + " decides nothing).</p>"
        + "<p style=\"color:#666\">Approval " + html(approvalId) + ". This link is yours alone (" + html(approver)
        + "): do not forward it. It works once and expires with the request.</p>"
        + "</body></html>";
  }

  static String html(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String oneLine(String text, int max) {
    String flat = text == null ? "" : text.replaceAll("\\p{Cntrl}+", " ").strip();
    return flat.length() > max ? flat.substring(0, max - 1) + "…" : flat;
  }
}
