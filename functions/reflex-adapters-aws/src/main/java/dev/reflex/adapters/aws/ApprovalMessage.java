package dev.reflex.adapters.aws;

import dev.reflex.adapters.files.Redactor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content of an approval request, shared by e-mail and webhooks: a one-line subject, the
 * domain's summary (already holding plan, risk and checks) and the signed link. The summary is
 * redacted and its URLs defanged ({@code https[:]//}, {@code www[.]}) so that the signed link is
 * the only link a reader can follow; control characters are removed.
 */
record ApprovalMessage(String subject, String summary, String link, String approvalId, String incidentId) {

  static final String SUBJECT_PREFIX = "[Reflex] Approval needed: ";
  private static final Pattern LINK = Pattern.compile("https?://[A-Za-z0-9.-]+(?::\\d{1,5})?(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?");
  private static final Pattern SIGNATURE_LINE = Pattern.compile("^Incident \\S+ \\(([^)\\n]{1,200})\\)");
  private static final Pattern SCHEME = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]{0,20}):(/{1,3}|\\\\\\\\)");
  private static final Pattern MAILTO = Pattern.compile("(?i)\\b(mailto|tel|sms|javascript|data|file):");
  private static final Pattern WWW = Pattern.compile("(?i)\\bwww\\.");

  static ApprovalMessage of(String approvalId, String incidentId, String summary, String approveUrl) {
    if (approveUrl == null || !LINK.matcher(approveUrl).matches()) {
      throw new IllegalArgumentException("the approval link must be a plain http(s) URL");
    }
    String text = summary == null ? "" : summary;
    Matcher signature = SIGNATURE_LINE.matcher(text);
    String about = signature.find() ? signature.group(1) : "incident " + incidentId;
    String subject = oneLine(SUBJECT_PREFIX + defang(Redactor.redact(about)), 200);
    String body = defang(Redactor.redact(text.replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "")));
    return new ApprovalMessage(subject, body.strip(), approveUrl, oneLine(approvalId, 100), oneLine(incidentId, 100));
  }

  /** Breaks every link-like text so that mail clients and chat tools do not link it. */
  static String defang(String text) {
    String out = SCHEME.matcher(text).replaceAll("$1[:]$2");
    out = MAILTO.matcher(out).replaceAll("$1[:]");
    return WWW.matcher(out).replaceAll("www[.]");
  }

  String text() {
    return "Reflex asks for your decision on incident " + incidentId + ".\n\n"
        + summary + "\n\n"
        + "Review the plan and decide (the page asks you to confirm; opening it decides nothing):\n"
        + link + "\n\n"
        + "Approval " + approvalId + ". The link is yours alone, works once and expires with the request.\n";
  }

  String html() {
    String href = html(link);
    return "<!DOCTYPE html><html><body style=\"font-family:sans-serif\">"
        + "<p>Reflex asks for your decision on incident <b>" + html(incidentId) + "</b>.</p>"
        + "<pre style=\"white-space:pre-wrap\">" + html(summary) + "</pre>"
        + "<p><a href=\"" + href + "\">Review the plan and decide</a> (the page asks you to confirm; opening it"
        + " decides nothing).</p>"
        + "<p style=\"color:#666\">Approval " + html(approvalId) + ". The link is yours alone, works once and"
        + " expires with the request.</p>"
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
