package dev.reflex.domain.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One occurrence of a problem, from the alert that opened it to the outcome that closed it.
 * Each stage of the workflow adds its result (anomaly, match, remediation, decision, approval,
 * execution) and a line to the timeline; nothing is overwritten silently.
 *
 * <p>{@code revision} is the store's optimistic-locking version: an update written from a stale
 * copy is refused.
 */
public record Incident(
    String id,
    String occurrenceKey,
    Alert alert,
    IncidentStatus status,
    Instant createdAt,
    Instant updatedAt,
    AnomalyReport anomaly,
    MatchResult match,
    Remediation remediation,
    String playbookId,
    String playbookVersion,
    Decision decision,
    String approvalId,
    ExecutionReport execution,
    Instant alertResolvedAt,
    String workflowExecutionId,
    List<TimelineEntry> timeline,
    long revision) {

  public Incident {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(occurrenceKey, "occurrenceKey");
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    updatedAt = Objects.requireNonNullElse(updatedAt, createdAt);
    timeline = List.copyOf(Objects.requireNonNullElse(timeline, List.of()));
  }

  public static Incident open(String id, Alert alert, Instant now) {
    return new Incident(id, alert.occurrenceKey(), alert, IncidentStatus.OPEN, now, now, null, null, null,
        null, null, null, null, null, null, null,
        List.of(new TimelineEntry(now, "ingest", "Incident opened from alert " + alert.alertName())), 0);
  }

  /** A copy with another store revision; for stores implementing optimistic locking. */
  public Incident withRevision(long newRevision) {
    return new Incident(id, occurrenceKey, alert, status, createdAt, updatedAt, anomaly, match, remediation,
        playbookId, playbookVersion, decision, approvalId, execution, alertResolvedAt, workflowExecutionId,
        timeline, newRevision);
  }

  /** True when the timeline has an entry of this stage. */
  public boolean hasTimelineStage(String stage) {
    return timeline.stream().anyMatch(entry -> entry.stage().equals(stage));
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public Signature signature() {
    return anomaly == null ? null : anomaly.signature();
  }

  /** A line in the incident's story: when, which stage, what happened. */
  public record TimelineEntry(Instant at, String stage, String message) {
    public TimelineEntry {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Copies an incident with some fields changed; {@link #note} appends to the timeline. */
  public static final class Builder {
    private final Incident base;
    private IncidentStatus status;
    private Instant updatedAt;
    private AnomalyReport anomaly;
    private MatchResult match;
    private Remediation remediation;
    private String playbookId;
    private String playbookVersion;
    private Decision decision;
    private String approvalId;
    private ExecutionReport execution;
    private Instant alertResolvedAt;
    private String workflowExecutionId;
    private final List<TimelineEntry> timeline;

    private Builder(Incident base) {
      this.base = base;
      status = base.status;
      updatedAt = base.updatedAt;
      anomaly = base.anomaly;
      match = base.match;
      remediation = base.remediation;
      playbookId = base.playbookId;
      playbookVersion = base.playbookVersion;
      decision = base.decision;
      approvalId = base.approvalId;
      execution = base.execution;
      alertResolvedAt = base.alertResolvedAt;
      workflowExecutionId = base.workflowExecutionId;
      timeline = new ArrayList<>(base.timeline);
    }

    public Builder status(IncidentStatus value) { status = value; return this; }
    public Builder updatedAt(Instant value) { updatedAt = value; return this; }
    public Builder anomaly(AnomalyReport value) { anomaly = value; return this; }
    public Builder match(MatchResult value) { match = value; return this; }
    public Builder remediation(Remediation value) { remediation = value; return this; }
    public Builder playbook(String id, String version) { playbookId = id; playbookVersion = version; return this; }
    public Builder decision(Decision value) { decision = value; return this; }
    public Builder approvalId(String value) { approvalId = value; return this; }
    public Builder execution(ExecutionReport value) { execution = value; return this; }
    public Builder alertResolvedAt(Instant value) { alertResolvedAt = value; return this; }
    public Builder workflowExecutionId(String value) { workflowExecutionId = value; return this; }

    public Builder note(Instant at, String stage, String message) {
      timeline.add(new TimelineEntry(at, stage, message));
      updatedAt = at;
      return this;
    }

    public Incident build() {
      return new Incident(base.id, base.occurrenceKey, base.alert, status, base.createdAt, updatedAt, anomaly,
          match, remediation, playbookId, playbookVersion, decision, approvalId, execution, alertResolvedAt,
          workflowExecutionId, timeline, base.revision);
    }
  }
}
