package dev.reflex.lambda.approval;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The HTML of an approver's link: a confirmation page (GET), a result page (POST) and error pages,
 * the same on the embedded server and behind API Gateway.
 * Every dynamic value goes through {@link #escape(String)}: alert names, signatures and reasons
 * come from label values and people, so they are hostile text.
 */
public final class ApprovalPages {

  public static final int MAX_REASON_CHARS = 2000;
  public static final int MAX_APPROVER_CHARS = 200;

  private ApprovalPages() {}

  /** The confirmation page: what would run, and the two buttons. It decides nothing. */
  public static String confirmation(ApprovalView view, String sig) {
    JsonNode plan = view.plan() == null ? null : view.plan();
    StringBuilder body = new StringBuilder();
    body.append("<h1>Approve this remediation?</h1>\n");
    body.append("<table class=\"facts\">\n");
    row(body, "Incident", code(view.incidentId()));
    row(body, "Alert", escape(text(plan, "alert")));
    row(body, "Signature", code(text(plan, "signature")));
    row(body, "Risk level", risk(text(plan, "riskLevel")));
    String playbook = text(plan, "playbookId");
    if (!playbook.isEmpty()) {
      String version = text(plan, "version");
      String source = text(plan, "source");
      row(
          body,
          "Playbook",
          code(playbook)
              + (version.isEmpty() ? "" : " version " + escape(version))
              + (source.isEmpty() ? "" : " (" + escape(source) + ")"));
      String confidence = text(plan, "confidence");
      if (!confidence.isEmpty()) {
        row(body, "Confidence", escape(confidence));
      }
    }
    row(body, "You decide as", code(view.approver()));
    row(body, "Approvals", escape(view.approvedBy().size() + " of " + view.required() + " needed"
        + (view.approvedBy().isEmpty() ? "" : " (" + String.join(", ", view.approvedBy()) + ")")));
    row(body, "Link expires", escape(view.expiresAt()));
    body.append("</table>\n");

    if (plan != null && plan.path("pendingReview").asBoolean(false)
        || view.evidence().contains("Review: PENDING REVIEW")) {
      body.append(
          "<p class=\"warn\"><strong>This playbook is pending review.</strong> It was drafted"
              + " by Reflex and has not been reviewed and merged yet: read every step before"
              + " approving.</p>\n");
    }

    body.append("<h2>Plan</h2>\n");
    JsonNode steps = plan == null ? null : plan.get("steps");
    if (steps == null || !steps.isArray() || steps.isEmpty()) {
      body.append(view.evidence().isEmpty() ? "<p>No steps are attached to this approval.</p>\n"
          : "<p>The plan is in the evidence below.</p>\n");
    } else {
      body.append("<table class=\"steps\">\n<tr><th>#</th><th>Step</th><th>Module</th>")
          .append("<th>Risk</th><th>Rollback</th><th>Post-check</th></tr>\n");
      int n = 1;
      for (JsonNode step : steps) {
        String rollback = text(step, "rollback");
        String check = text(step, "verification");
        body.append("<tr><td>")
            .append(n++)
            .append("</td><td>")
            .append(escape(text(step, "name")))
            .append("</td><td>")
            .append(code(text(step, "module")))
            .append("</td><td>")
            .append(risk(text(step, "risk")))
            .append("</td><td>")
            .append(rollback.isEmpty() ? "none" : escape(rollback))
            .append("</td><td>")
            .append(check.isEmpty() ? "none" : escape(check))
            .append("</td></tr>\n");
      }
      body.append("</table>\n");
    }

    JsonNode reasoning = plan == null ? null : plan.get("reasoning");
    if (reasoning != null && !reasoning.isNull() && !reasoning.isMissingNode()) {
      body.append("<h2>Why</h2>\n");
      reasoning(body, reasoning);
    }

    if (!view.evidence().isEmpty()) {
      body.append("<h2>Evidence</h2>\n<pre class=\"evidence\">").append(escape(view.evidence())).append("</pre>\n");
    }

    String action = "/approvals/" + pathSegment(view.approvalId()) + "/" + pathSegment(view.approver());
    body.append("<form method=\"post\" action=\"").append(escape(action)).append("\">\n");
    body.append("<input type=\"hidden\" name=\"sig\" value=\"").append(escape(sig)).append("\">\n");
    body.append("<p><label>Reason (optional)<br><textarea name=\"reason\" rows=\"3\" cols=\"60\"")
        .append(" maxlength=\"")
        .append(MAX_REASON_CHARS)
        .append("\"></textarea></label></p>\n");
    body.append("<p><button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button> ");
    body.append("<button type=\"submit\" name=\"decision\" value=\"reject\">Reject</button></p>\n");
    body.append("</form>\n");
    return page("Approve remediation for " + view.incidentId(), body.toString());
  }

  /** After a POST: what was decided. */
  public static String result(ApprovalView view, boolean approve) {
    String status = view.status() == null ? "" : view.status();
    int missing = view.required() - view.approvedBy().size();
    String headline = !approve ? "Rejected: nothing will run."
        : "PENDING".equals(status) ? "Your approval is recorded: " + view.approvedBy().size() + " of "
            + view.required() + " approvals; waiting for " + missing + " more."
        : "Approved: the remediation continues.";
    StringBuilder body = new StringBuilder();
    body.append("<h1>").append(escape(headline)).append("</h1>\n");
    body.append("<table class=\"facts\">\n");
    row(body, "Incident", code(view.incidentId()));
    row(body, "Approval", code(view.approvalId()));
    row(body, "Status", escape(status));
    row(body, "Approvals", escape(view.approvedBy().size() + " of " + view.required()
        + (view.approvedBy().isEmpty() ? "" : " (" + String.join(", ", view.approvedBy()) + ")")));
    body.append("</table>\n");
    body.append("<p>Your link cannot be used again.</p>\n");
    return page("Approval " + status.toLowerCase(Locale.ROOT), body.toString());
  }

  /** An error page; {@code detail} is shown escaped. */
  public static String error(String title, String detail) {
    return page(
        title,
        "<h1>"
            + escape(title)
            + "</h1>\n<p>"
            + escape(detail)
            + "</p>\n"
            + "<p>Nothing was changed.</p>\n");
  }

  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        case '`' -> out.append("&#96;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>"
        + escape(title)
        + " - Reflex</title>\n<style>"
        + "body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;"
        + "color:#1d1d1f}table{border-collapse:collapse;margin:.5rem 0}"
        + "td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}"
        + ".facts th{background:#f5f5f7}code{white-space:pre-wrap;word-break:break-all}"
        + ".evidence{white-space:pre-wrap;background:#f5f5f7;padding:.6rem}"
        + ".warn{background:#fff4ce;border:1px solid #e0b000;padding:.6rem}"
        + ".risk-critical_write,.risk-high,.risk-critical{color:#b00020;font-weight:bold}"
        + ".risk-safe_write,.risk-medium{color:#8a5a00}"
        + "button{font-size:1rem;padding:.4rem 1.2rem;margin-right:.5rem}"
        + "</style>\n</head>\n<body>\n"
        + body
        + "</body>\n</html>\n";
  }

  private static void row(StringBuilder body, String name, String html) {
    body.append("<tr><th>")
        .append(escape(name))
        .append("</th><td>")
        .append(html)
        .append("</td></tr>\n");
  }

  private static String code(String text) {
    return text == null || text.isEmpty() ? "" : "<code>" + escape(text) + "</code>";
  }

  /** A risk class with a CSS class of known names only; the text itself is escaped. */
  private static String risk(String risk) {
    if (risk == null || risk.isEmpty()) {
      return "";
    }
    String css =
        risk.toLowerCase(Locale.ROOT).matches("[a-z_]{1,32}")
            ? " class=\"risk-" + risk.toLowerCase(Locale.ROOT) + "\""
            : "";
    return "<span" + css + ">" + escape(risk) + "</span>";
  }

  private static void reasoning(StringBuilder body, JsonNode reasoning) {
    if (reasoning.isArray()) {
      body.append("<ul>\n");
      for (JsonNode item : reasoning) {
        body.append("<li>").append(escape(scalar(item))).append("</li>\n");
      }
      body.append("</ul>\n");
    } else if (reasoning.isObject()) {
      body.append("<ul>\n");
      for (var entry : reasoning.properties()) {
        body.append("<li>")
            .append(escape(entry.getKey()))
            .append(": ")
            .append(escape(scalar(entry.getValue())))
            .append("</li>\n");
      }
      body.append("</ul>\n");
    } else {
      body.append("<p>").append(escape(scalar(reasoning))).append("</p>\n");
    }
  }

  private static String scalar(JsonNode node) {
    return node.isValueNode() ? node.asText() : node.toString();
  }

  private static String text(JsonNode node, String field) {
    if (node == null) {
      return "";
    }
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "" : scalar(value);
  }

  static String pathSegment(String id) {
    return URLEncoder.encode(id == null ? "" : id, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
