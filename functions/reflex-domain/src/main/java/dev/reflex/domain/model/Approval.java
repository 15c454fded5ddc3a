package dev.reflex.domain.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A request for people to approve or reject a plan. The workflow's task token stays here, server
 * side; each approver gets a link of their own that carries only the opaque id, their address and a
 * signature.
 *
 * <p>M of N: the plan is APPROVED once {@code required} distinct approvers said yes, REJECTED as soon
 * as one said no; until then it stays PENDING and collects {@link ApprovalVote}s. {@code version}
 * counts the writes: the store writes a new vote only over the version it was read at, so two
 * approvers deciding at the same moment are both counted.
 *
 * @param approvers the addresses that may vote (lower case, each with a link of their own)
 * @param required how many of them must approve (1 unless the policy asks more for critical_write)
 * @param evidence what the approvers were shown: the plan, the dry run, the score, similar incidents
 */
public record Approval(
    String id,
    String incidentId,
    String taskToken,
    ApprovalStatus status,
    Instant createdAt,
    Instant expiresAt,
    List<String> approvers,
    int required,
    List<ApprovalVote> votes,
    String evidence,
    long version) {

  public Approval {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(taskToken, "taskToken");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    for (String approver : Objects.requireNonNullElse(approvers, List.<String>of())) {
      if (approver == null || approver.isBlank()) {
        throw new IllegalArgumentException("an approver address is blank");
      }
      distinct.add(approver.strip().toLowerCase(Locale.ROOT));
    }
    approvers = List.copyOf(distinct);
    if (approvers.isEmpty()) {
      throw new IllegalArgumentException("an approval needs at least one approver");
    }
    if (required < 1 || required > approvers.size()) {
      throw new IllegalArgumentException("required approvals must be between 1 and " + approvers.size() + ": "
          + required);
    }
    votes = List.copyOf(Objects.requireNonNullElse(votes, List.of()));
    evidence = Objects.requireNonNullElse(evidence, "");
    if (version < 0) {
      throw new IllegalArgumentException("version cannot be negative: " + version);
    }
  }

  /** A new, pending request (version 0, no votes). */
  public static Approval pending(String id, String incidentId, String taskToken, Instant createdAt, Instant expiresAt,
      List<String> approvers, int required, String evidence) {
    return new Approval(id, incidentId, taskToken, ApprovalStatus.PENDING, createdAt, expiresAt, approvers, required,
        List.of(), evidence, 0);
  }

  /** The task token is a credential to resume the workflow: it is never printed. */
  @Override
  public String toString() {
    return "Approval[id=" + id + ", incidentId=" + incidentId + ", status=" + status + ", expiresAt=" + expiresAt
        + ", approvers=" + approvers + ", required=" + required + ", votes=" + votes.size() + ", version=" + version
        + ", taskToken=<redacted>]";
  }

  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  public boolean isApprover(String address) {
    return address != null && approvers.contains(address.strip().toLowerCase(Locale.ROOT));
  }

  /** The vote of this approver, if they voted. */
  public Optional<ApprovalVote> voteOf(String approver) {
    String who = approver == null ? "" : approver.strip().toLowerCase(Locale.ROOT);
    return votes.stream().filter(vote -> vote.approver().equals(who)).findFirst();
  }

  /** Distinct approvers who said yes, in the order they did. */
  public List<String> approvedBy() {
    return votes.stream().filter(ApprovalVote::approve).map(ApprovalVote::approver).distinct().toList();
  }

  /**
   * This approval with one more vote, its status moved on (REJECTED on a no, APPROVED once
   * {@code required} approvers said yes) and its version one higher.
   *
   * @throws IllegalStateException when it is no longer pending or the approver voted already
   */
  public Approval withVote(ApprovalVote vote) {
    Objects.requireNonNull(vote, "vote");
    if (status != ApprovalStatus.PENDING) {
      throw new IllegalStateException("approval " + id + " is " + status.name().toLowerCase(Locale.ROOT));
    }
    if (voteOf(vote.approver()).isPresent()) {
      throw new IllegalStateException(vote.approver() + " already voted on approval " + id);
    }
    List<ApprovalVote> next = new ArrayList<>(votes);
    next.add(vote);
    long yes = next.stream().filter(ApprovalVote::approve).map(ApprovalVote::approver).distinct().count();
    ApprovalStatus nextStatus = !vote.approve() ? ApprovalStatus.REJECTED
        : yes >= required ? ApprovalStatus.APPROVED : ApprovalStatus.PENDING;
    return new Approval(id, incidentId, taskToken, nextStatus, createdAt, expiresAt, approvers, required, next, evidence,
        version + 1);
  }

  /** Who decided: the approvers who approved, or the one who rejected; {@code null} while pending. */
  public String decidedBy() {
    return switch (status) {
      case APPROVED -> String.join(", ", approvedBy());
      case REJECTED -> deciding().map(ApprovalVote::approver).orElse(null);
      default -> null;
    };
  }

  /** When the deciding vote came; {@code null} while pending. */
  public Instant decidedAt() {
    return status == ApprovalStatus.PENDING ? null : deciding().map(ApprovalVote::at).orElse(null);
  }

  /** The reasons given, one per voter who gave one; {@code null} while pending. */
  public String reason() {
    if (status == ApprovalStatus.PENDING || status == ApprovalStatus.EXPIRED) {
      return null;
    }
    return votes.stream().filter(vote -> !vote.reason().isEmpty())
        .filter(vote -> status == ApprovalStatus.APPROVED ? vote.approve() : !vote.approve())
        .map(ApprovalVote::reason).collect(Collectors.joining("; "));
  }

  private Optional<ApprovalVote> deciding() {
    return votes.isEmpty() ? Optional.empty() : Optional.of(votes.get(votes.size() - 1));
  }

  public enum ApprovalStatus {
    PENDING,
    APPROVED,
    REJECTED,
    EXPIRED
  }
}
