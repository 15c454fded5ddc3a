package dev.reflex.domain.approval;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Who must approve a plan and how many of them: {@code required} distinct approvers out of
 * {@code approvers} (M of N). One approval is enough unless the policy asks more for
 * {@code critical_write} ({@code approvals_required}).
 *
 * @param policy the policy the approvers come from, quoted in the evidence
 */
public record ApprovalRequirement(List<String> approvers, int required, String policy) {

  public ApprovalRequirement {
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    for (String approver : Objects.requireNonNull(approvers, "approvers")) {
      distinct.add(Objects.requireNonNull(approver, "approver").strip().toLowerCase(Locale.ROOT));
    }
    approvers = List.copyOf(distinct);
    if (approvers.isEmpty()) {
      throw new IllegalArgumentException("an approval requirement needs at least one approver");
    }
    if (required < 1 || required > approvers.size()) {
      throw new IllegalArgumentException("required approvals must be between 1 and " + approvers.size() + ": "
          + required);
    }
    policy = Objects.requireNonNullElse(policy, "");
  }

  /** "2 of 3 (alice@example.com, bob@example.com, carol@example.com)". */
  public String describe() {
    return required + " of " + approvers.size() + " (" + String.join(", ", approvers) + ")";
  }
}
