package dev.reflex.local.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.model.ApprovalVote;
import dev.reflex.lambda.approval.ApprovalView;
import dev.reflex.lambda.operator.FeedbackRequest;
import java.util.List;

/**
 * What the embedded runtime offers to its HTTP server and CLI. Views are JSON trees shaped for
 * the HTTP API; every method throws Reflex's own exceptions (dev.reflex.domain.error) for bad
 * input, unknown ids and refused decisions, which the HTTP layer maps to status codes.
 */
public interface ReflexApi {

  /**
   * Validates an Alertmanager v4 webhook body, opens one incident per new firing occurrence and
   * starts its workflow. Nothing is stored when the body is invalid.
   *
   * @throws dev.reflex.domain.error.InvalidInputException naming the field at fault
   */
  IngestOutcome ingest(byte[] body);

  /** {@code created} is false when every alert was a re-delivery (HTTP 200 instead of 202). */
  record IngestOutcome(boolean created, JsonNode response) {}

  /** Newest first: id, status, signature, createdAt, playbook. */
  List<JsonNode> incidents(int limit);

  /**
   * One incident: status, anomaly, signature, match, consult, decision, approval state,
   * execution steps, and the workflow's execution history.
   *
   * @throws dev.reflex.domain.error.IncidentNotFoundException
   */
  JsonNode incident(String id);

  /** id, version, source, status, signature, confidence, success and failure counts. */
  List<JsonNode> playbooks();

  /**
   * The confirmation page's content for an approver's signed link (GET never decides).
   *
   * @throws dev.reflex.domain.error.ApprovalNotFoundException
   * @throws dev.reflex.domain.error.InvalidApprovalSignatureException for a forged link or a changed address
   * @throws dev.reflex.domain.error.ApprovalExpiredException
   */
  ApprovalView approval(String approvalId, String approver, String signature);

  /**
   * Records an approver's vote through their signed link (the POST of the confirmation page).
   *
   * @param source where the POST came from (client address, user agent)
   * @throws dev.reflex.domain.error.ApprovalAlreadyDecidedException when the link was used, or it is decided
   */
  ApprovalView decide(String approvalId, String approver, String signature, boolean approve, String reason,
      ApprovalVote.Source source);

  /** Approves or rejects as the local operator (the CLI), by incident id or approval id. */
  ApprovalView decideAsOperator(String incidentOrApprovalId, boolean approve, String actor, String reason);

  /** Liveness and what the runtime runs on (store, consultant, executor). */
  JsonNode health();

  /**
   * Language-model usage over the last 30 days: calls, tokens and cost in total, per UTC day and
   * per signature, and how many incidents were served without any model call (matched playbooks,
   * offline or reused drafts).
   *
   * @throws UnsupportedOperationException when this runtime keeps no consultation ledger
   */
  default JsonNode llmStats() {
    throw new UnsupportedOperationException("this runtime keeps no consultation ledger");
  }

  /**
   * Records a person's feedback on an incident (body as read by {@link FeedbackRequest}) and
   * answers the feedback as recorded: stamped, and bound to the incident's signature and playbook.
   *
   * @throws dev.reflex.domain.error.InvalidInputException naming the field at fault
   * @throws dev.reflex.domain.error.IncidentNotFoundException
   * @throws UnsupportedOperationException when this runtime keeps no feedback
   */
  default JsonNode feedback(String incidentId, JsonNode body) {
    throw new UnsupportedOperationException("this runtime keeps no feedback");
  }

  /**
   * A person re-enables a playbook disabled after consecutive failures, as a whole.
   *
   * @throws dev.reflex.domain.error.PlaybookNotFoundException
   * @throws dev.reflex.domain.error.InvalidInputException when it is not disabled
   */
  default JsonNode enablePlaybook(String playbookId, String actor, String reason) {
    return enablePlaybook(playbookId, null, actor, reason);
  }

  /**
   * A person re-enables a playbook disabled after consecutive failures: for one signature (where
   * failures disable it per signature), or as a whole when {@code signature} is {@code null}.
   *
   * @param signature {@code anomaly_type|service|scope} as an incident shows it, or {@code null}
   * @throws dev.reflex.domain.error.PlaybookNotFoundException
   * @throws dev.reflex.domain.error.InvalidInputException naming {@code signature} when it is
   *     malformed, {@code status} when the playbook (for that signature) is not disabled
   */
  default JsonNode enablePlaybook(String playbookId, String signature, String actor, String reason) {
    throw new UnsupportedOperationException("this runtime cannot re-enable playbooks");
  }

  /**
   * The incident's audit trail, oldest first: at, actor, action, detail ({@code system} lists what
   * belongs to no incident, such as secret reads at start-up).
   *
   * @throws dev.reflex.domain.error.IncidentNotFoundException
   * @throws UnsupportedOperationException when this runtime keeps no audit trail
   */
  default List<JsonNode> audit(String incidentId) {
    throw new UnsupportedOperationException("this runtime keeps no audit trail");
  }

  // ---- review of learned playbooks (local pull requests) ---------------------------------------

  /**
   * The local pull requests, oldest first: id, state, branch, targetBranch, title, headSha, openedAt.
   *
   * @throws UnsupportedOperationException when this runtime has no local pull requests
   */
  default List<JsonNode> pullRequests() {
    throw new UnsupportedOperationException("this runtime has no local pull requests");
  }

  /**
   * One pull request with its review page ({@code body}) and comments.
   *
   * @throws java.util.NoSuchElementException when there is none with this id
   */
  default JsonNode pullRequest(String id) {
    throw new UnsupportedOperationException("this runtime has no local pull requests");
  }

  /**
   * Merges the pull request's branch into the target branch, tags each released version and syncs:
   * pullRequest, tags, sync.
   *
   * @throws java.util.NoSuchElementException when there is none with this id
   * @throws IllegalStateException when it is not open, or its branch does not merge cleanly
   */
  default JsonNode mergePullRequest(String id) {
    throw new UnsupportedOperationException("this runtime has no local pull requests");
  }

  /**
   * Closes the pull request without merging and syncs (its draft becomes REJECTED): pullRequest, sync.
   *
   * @throws java.util.NoSuchElementException when there is none with this id
   * @throws IllegalStateException when it is not open
   */
  default JsonNode closePullRequest(String id, String reason) {
    throw new UnsupportedOperationException("this runtime has no local pull requests");
  }

  /** Brings playbook metadata in line with the target branch: commitSha, changes, problems. */
  default JsonNode syncPlaybooks() {
    throw new UnsupportedOperationException("this runtime does not sync playbooks");
  }
}
