package dev.reflex.lambda.approval;

import dev.reflex.domain.error.ApprovalAlreadyDecidedException;
import dev.reflex.domain.error.ApprovalExpiredException;
import dev.reflex.domain.error.ApprovalNotFoundException;
import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.InvalidApprovalSignatureException;
import dev.reflex.domain.model.ApprovalVote;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The approval link over HTTP, whatever carries it (the embedded server, API Gateway on AWS):
 * {@code GET /approvals/{id}/{approver}?sig=...} shows the confirmation page and changes nothing
 * (mail scanners open links before people do); {@code POST} of the page's form ({@code sig},
 * {@code decision=approve|reject}, {@code reason}) records the approver's vote. Failures become
 * pages with a status: 403 forged or altered link, 404 unknown approval, 409 already answered or
 * decided, 410 expired, 400 no decision, 503 a vote that kept losing races.
 */
public final class ApprovalEndpoint {

  /** Reads an approval through a signed link. */
  @FunctionalInterface
  public interface Viewer {
    ApprovalView view(String approvalId, String approver, String sig);
  }

  /** Records a vote through a signed link. */
  @FunctionalInterface
  public interface Decider {
    ApprovalView decide(String approvalId, String approver, String sig, boolean approve, String reason,
        ApprovalVote.Source source);
  }

  /** A page and its status. */
  public record Response(int status, String html) {}

  public static final int MAX_ID_CHARS = 128;
  public static final int MAX_APPROVER_CHARS = 254;

  private final Viewer viewer;
  private final Decider decider;

  public ApprovalEndpoint(Viewer viewer, Decider decider) {
    this.viewer = Objects.requireNonNull(viewer, "viewer");
    this.decider = Objects.requireNonNull(decider, "decider");
  }

  /** The confirmation page; it decides nothing. */
  public Response show(String approvalId, String approver, String sig) {
    Response invalid = invalidLink(approvalId, approver, sig);
    if (invalid != null) {
      return invalid;
    }
    ApprovalView view;
    try {
      view = viewer.view(approvalId, approver, sig);
    } catch (RuntimeException e) {
      return problem(e);
    }
    return switch (view.status()) {
      case "PENDING" -> view.answered()
          ? page(409, "Already answered", "You already answered this approval; each link works once.")
          : new Response(200, ApprovalPages.confirmation(view, sig));
      case "EXPIRED" -> page(410, "Approval expired", "This approval expired; ask Reflex for a new one.");
      default -> page(409, "Already decided", "This approval was already decided ("
          + view.status().toLowerCase(Locale.ROOT) + ").");
    };
  }

  /**
   * Records the decision posted from the confirmation page.
   *
   * @param form the url-encoded form fields: {@code sig}, {@code decision}, {@code reason}
   * @param source where the request came from (address and user agent when known)
   */
  public Response decide(String approvalId, String approver, Map<String, String> form, ApprovalVote.Source source) {
    String sig = form.get("sig");
    Response invalid = invalidLink(approvalId, approver, sig);
    if (invalid != null) {
      return invalid;
    }
    boolean approve;
    switch (form.getOrDefault("decision", "")) {
      case "approve" -> approve = true;
      case "reject" -> approve = false;
      default -> {
        return page(400, "No decision", "Choose Approve or Reject on the approval page.");
      }
    }
    String reason = form.get("reason");
    if (reason != null && reason.length() > ApprovalPages.MAX_REASON_CHARS) {
      return page(400, "Reason too long", "The reason is longer than " + ApprovalPages.MAX_REASON_CHARS
          + " characters.");
    }
    ApprovalView view;
    try {
      view = decider.decide(approvalId, approver, sig, approve, reason == null || reason.isBlank() ? null : reason,
          source);
    } catch (RuntimeException e) {
      return problem(e);
    }
    return new Response(200, ApprovalPages.result(view, approve));
  }

  private static Response invalidLink(String approvalId, String approver, String sig) {
    if (approvalId == null || approvalId.isEmpty() || approvalId.length() > MAX_ID_CHARS
        || approvalId.chars().anyMatch(Character::isISOControl)) {
      return page(404, "Unknown approval", "This approval does not exist.");
    }
    if (approver == null || approver.isBlank() || approver.length() > MAX_APPROVER_CHARS
        || approver.chars().anyMatch(Character::isISOControl)) {
      return page(403, "Invalid link", "This approval link is incomplete: it names no approver.");
    }
    if (sig == null || sig.isBlank()) {
      return page(403, "Invalid link", "This approval link is incomplete: it has no signature.");
    }
    return null;
  }

  /** Reflex's own failures as pages; anything else is not ours to explain and propagates. */
  static Response problem(RuntimeException e) {
    if (e instanceof ApprovalNotFoundException) {
      return page(404, "Unknown approval", "This approval does not exist.");
    }
    if (e instanceof InvalidApprovalSignatureException) {
      return page(403, "Invalid link", "This approval link is not valid for this approver: its signature does not"
          + " match.");
    }
    if (e instanceof ApprovalExpiredException) {
      return page(410, "Approval expired", "This approval expired; ask Reflex for a new one.");
    }
    if (e instanceof ApprovalAlreadyDecidedException) {
      return page(409, "Already decided", "This approval was already answered with this link, or decided.");
    }
    if (e instanceof ConcurrentUpdateException) {
      return page(503, "Busy", "Other approvers answered at the same moment; send the form again.");
    }
    throw e;
  }

  private static Response page(int status, String title, String detail) {
    return new Response(status, ApprovalPages.error(title, detail));
  }
}
