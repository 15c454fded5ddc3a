package dev.reflex.domain.model;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A remediation for a kind of incident: an Ansible playbook (its steps) plus the metadata Reflex
 * needs to match, judge and learn from it.
 *
 * <p>Content (steps, parameters, verification) lives in the playbook Git repository; the
 * learning numbers ({@link PlaybookStats}) live in the metadata store only, so learning never
 * needs a commit. {@code revision} is the store's optimistic-locking version.
 *
 * @param signature the signature a learned playbook was drafted for; {@code null} for catalog ones
 * @param evidenceText text of the incidents that support this playbook, for similarity matching
 * @param commitSha the Git commit holding this version's content ({@code null} if not committed)
 */
public record Playbook(
    String id,
    String version,
    String title,
    PlaybookSource source,
    PlaybookStatus status,
    List<String> anomalyTypes,
    List<String> signaturePatterns,
    Signature signature,
    String description,
    String guidance,
    List<Parameter> parameters,
    List<PlaybookStep> steps,
    StepAction verification,
    PlaybookStats stats,
    List<String> supportingIncidents,
    String evidenceText,
    String branch,
    String commitSha,
    long revision) {

  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{2,100}");
  private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+");

  public Playbook {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("playbook id must match " + ID + ": " + id);
    }
    if (version == null || !SEMVER.matcher(version).matches()) {
      throw new IllegalArgumentException("playbook " + id + ": version must be semantic (1.2.3): " + version);
    }
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(stats, "stats");
    title = Objects.requireNonNullElse(title, id);
    anomalyTypes = List.copyOf(Objects.requireNonNullElse(anomalyTypes, List.of()));
    signaturePatterns = List.copyOf(Objects.requireNonNullElse(signaturePatterns, List.of()));
    description = Objects.requireNonNullElse(description, "");
    guidance = Objects.requireNonNullElse(guidance, "");
    parameters = List.copyOf(Objects.requireNonNullElse(parameters, List.of()));
    steps = List.copyOf(Objects.requireNonNullElse(steps, List.of()));
    supportingIncidents = List.copyOf(Objects.requireNonNullElse(supportingIncidents, List.of()));
    evidenceText = Objects.requireNonNullElse(evidenceText, "");
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("playbook " + id + " has no steps");
    }
  }

  public Playbook withStatus(PlaybookStatus newStatus) {
    return new Playbook(id, version, title, source, newStatus, anomalyTypes, signaturePatterns, signature,
        description, guidance, parameters, steps, verification, stats, supportingIncidents, evidenceText,
        branch, commitSha, revision);
  }

  public Playbook withStats(PlaybookStats newStats) {
    return new Playbook(id, version, title, source, status, anomalyTypes, signaturePatterns, signature,
        description, guidance, parameters, steps, verification, newStats, supportingIncidents, evidenceText,
        branch, commitSha, revision);
  }

  public Playbook withCommit(String newBranch, String newCommitSha) {
    return new Playbook(id, version, title, source, status, anomalyTypes, signaturePatterns, signature,
        description, guidance, parameters, steps, verification, stats, supportingIncidents, evidenceText,
        newBranch, newCommitSha, revision);
  }

  public Playbook withRevision(long newRevision) {
    return new Playbook(id, version, title, source, status, anomalyTypes, signaturePatterns, signature,
        description, guidance, parameters, steps, verification, stats, supportingIncidents, evidenceText,
        branch, commitSha, newRevision);
  }

  public boolean pendingReview() {
    return status == PlaybookStatus.PENDING_REVIEW;
  }
}
