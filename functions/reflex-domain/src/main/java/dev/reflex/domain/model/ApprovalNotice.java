package dev.reflex.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What approvers are told when a plan waits for them: a one-line subject, the evidence (rendered
 * text: plan, dry run, score, similar incidents, targets, review state) and one signed link per
 * approver. A link is personal: it is bound to its approver's address and must reach only them.
 *
 * @param required how many of the approvers must approve
 */
public record ApprovalNotice(String approvalId, String incidentId, String subject, String evidence, Instant expiresAt,
    int required, List<PersonalLink> links) {

  public ApprovalNotice {
    Objects.requireNonNull(approvalId, "approvalId");
    Objects.requireNonNull(incidentId, "incidentId");
    subject = Objects.requireNonNullElse(subject, "").replaceAll("\\p{Cntrl}+", " ").strip();
    evidence = Objects.requireNonNullElse(evidence, "");
    Objects.requireNonNull(expiresAt, "expiresAt");
    links = List.copyOf(links);
    if (links.isEmpty()) {
      throw new IllegalArgumentException("an approval notice needs at least one approver link");
    }
  }

  /** The approvers' addresses, in order. */
  public List<String> approvers() {
    return links.stream().map(PersonalLink::approver).toList();
  }

  /** One approver's own link to the confirmation page (it never decides on GET). */
  public record PersonalLink(String approver, String url) {
    public PersonalLink {
      Objects.requireNonNull(approver, "approver");
      Objects.requireNonNull(url, "url");
    }
  }
}
