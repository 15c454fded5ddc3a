package dev.reflex.domain.service;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.error.PlaybookAlreadyExistsException;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.Consultant;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.PlaybookRepository;
import dev.reflex.domain.port.PlaybookStore;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.risk.RiskClassifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Asks the consultant for a remediation when nothing matched, and turns it into a learned draft
 * playbook: risk classes recomputed (raised where the consultant claimed less), forbidden commands
 * checked, then proposed on a review branch of the playbook repository and stored as
 * PENDING_REVIEW. A draft with a forbidden command is stored as REJECTED_BY_GATE and never
 * proposed. A draft for a signature drafted before becomes a new minor version of the same
 * playbook, unless a person rejected it: then it stays rejected.
 *
 * <p>Idempotent: once the incident has a remediation and its playbook exists, a retry returns it.
 */
public final class ConsultForPlaybook {

  public static final String ID_PREFIX = "learned-";
  public static final double INITIAL_CONFIDENCE = 0.75;
  static final int PLAYBOOK_ATTEMPTS = 5;
  private static final int MAX_ID = 101;

  private final IncidentStore incidents;
  private final PlaybookStore playbooks;
  private final Consultant consultant;
  private final PlaybookRepository repository;
  private final RiskClassifier classifier;
  private final ForbiddenCommands forbidden;
  private final Clock clock;

  public ConsultForPlaybook(IncidentStore incidents, PlaybookStore playbooks, Consultant consultant,
      PlaybookRepository repository, RiskClassifier classifier, ForbiddenCommands forbidden, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
    this.consultant = Objects.requireNonNull(consultant, "consultant");
    this.repository = Objects.requireNonNull(repository, "repository");
    this.classifier = Objects.requireNonNull(classifier, "classifier");
    this.forbidden = Objects.requireNonNull(forbidden, "forbidden");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Playbook consult(String incidentId) {
    Incident incident = Incidents.load(incidents, incidentId);
    if (incident.remediation() != null && incident.playbookId() != null) {
      Optional<Playbook> existing = playbooks.find(incident.playbookId());
      if (existing.isPresent() && existing.get().version().equals(incident.playbookVersion())) {
        return existing.get();
      }
    }
    AnomalyReport anomaly = incident.anomaly();
    if (anomaly == null) {
      throw new InvalidInputException("anomaly", "incident " + incidentId + " has no anomaly yet: detect it first");
    }
    // Retrieval of similar past incidents comes later; the consultant gets none for now.
    Remediation remediation = consultant.consult(new Consultant.Request(incident, anomaly, List.of()));

    List<String> notes = new ArrayList<>();
    Playbook draft = draft(incident, anomaly, remediation, notes);
    List<String> violations = forbidden.violations(draft);
    Playbook stored = violations.isEmpty() ? propose(draft, incident, remediation, notes)
        : reject(draft, violations, notes);

    Instant now = clock.instant();
    String consultantName = Incidents.clean(remediation.consultant(), 80);
    Incidents.modify(incidents, incidentId, current -> {
      if (current.remediation() != null && stored.id().equals(current.playbookId())) {
        return current;
      }
      Incident.Builder next = current.toBuilder()
          .remediation(remediation)
          .playbook(stored.id(), stored.version())
          .status(IncidentStatus.CONSULTED)
          .note(now, "consult", "consultant " + consultantName + " drafted playbook " + stored.id() + "@"
              + stored.version() + ": " + Incidents.clean(remediation.diagnosis(), 300));
      notes.forEach(note -> next.note(now, "consult", note));
      return next.build();
    });
    return stored;
  }

  /** {@code learned-high-latency--payment-api--india}; long signatures are cut and suffixed with a hash. */
  public static String learnedId(Signature signature) {
    String slug = signature.slug().replace('.', '-');
    String id = ID_PREFIX + slug;
    if (id.length() <= MAX_ID) {
      return id;
    }
    String hash = sha256(signature.toString()).substring(0, 8);
    String head = id.substring(0, MAX_ID - hash.length() - 1).replaceAll("-+$", "");
    return head + "-" + hash;
  }

  private Playbook draft(Incident incident, AnomalyReport anomaly, Remediation remediation, List<String> notes) {
    List<PlaybookStep> steps = new ArrayList<>();
    for (PlaybookStep step : remediation.steps()) {
      RiskClass computed = classifier.classify(step);
      if (computed.ordinal() > step.declaredRisk().ordinal()) {
        notes.add("risk raised: step \"" + Incidents.clean(step.name(), 120) + "\" declared "
            + step.declaredRisk().wireName() + ", computed " + computed.wireName());
        steps.add(new PlaybookStep(step.action(), computed, step.rollback()));
      } else {
        steps.add(step);
      }
    }
    Signature signature = anomaly.signature();
    return new Playbook(learnedId(signature), "1.0.0", remediation.playbookName(), PlaybookSource.LEARNED,
        PlaybookStatus.PENDING_REVIEW, List.of(anomaly.anomalyType()), List.of(signature.toString()), signature,
        remediation.diagnosis(), remediation.rootCause(), remediation.parameters(), steps,
        remediation.verification(), PlaybookStats.initial(INITIAL_CONFIDENCE), List.of(incident.id()),
        incident.alert().describe(), null, null, 0);
  }

  private Playbook reject(Playbook draft, List<String> violations, List<String> notes) {
    notes.add("draft rejected by the forbidden-command gate, not proposed: " + String.join("; ", violations));
    Playbook rejected = draft.withStatus(PlaybookStatus.REJECTED_BY_GATE);
    for (int attempt = 0; attempt < PLAYBOOK_ATTEMPTS; attempt++) {
      Optional<Playbook> existing = playbooks.find(draft.id());
      if (existing.isEmpty()) {
        try {
          return playbooks.create(rejected);
        } catch (PlaybookAlreadyExistsException e) {
          continue;
        }
      }
      // The stored version stays as it was: a rejected draft never replaces it. The incident points
      // at the rejected version, which is not in the store, so the decision refuses it.
      Playbook existingVersion = existing.get();
      notes.add("stored version " + existingVersion.version() + " (" + wire(existingVersion.status())
          + ") left unchanged");
      return withVersion(rejected, nextMinor(existingVersion.version()));
    }
    throw new ConcurrentUpdateException("playbook " + draft.id() + " kept changing while the draft was stored");
  }

  private Playbook propose(Playbook draft, Incident incident, Remediation remediation, List<String> notes) {
    for (int attempt = 0; attempt < PLAYBOOK_ATTEMPTS; attempt++) {
      Optional<Playbook> found = playbooks.find(draft.id());
      if (found.isEmpty()) {
        Playbook committed = commit(draft, incident, remediation, notes);
        try {
          return playbooks.create(committed);
        } catch (PlaybookAlreadyExistsException e) {
          continue;
        }
      }
      Playbook existing = found.get();
      if (existing.status() == PlaybookStatus.REJECTED || existing.status() == PlaybookStatus.DISABLED) {
        notes.add("playbook " + existing.id() + "@" + existing.version() + " was " + wire(existing.status())
            + " by a person; the new draft is not proposed");
        return existing;
      }
      Set<String> supporting = new LinkedHashSet<>(existing.supportingIncidents());
      supporting.add(incident.id());
      Playbook bumped = new Playbook(existing.id(), nextMinor(existing.version()), draft.title(), draft.source(),
          PlaybookStatus.PENDING_REVIEW, draft.anomalyTypes(), draft.signaturePatterns(), draft.signature(),
          draft.description(), draft.guidance(), draft.parameters(), draft.steps(), draft.verification(),
          existing.stats(), List.copyOf(supporting), draft.evidenceText(), null, null, existing.revision());
      Playbook committed = commit(bumped, incident, remediation, notes);
      try {
        return playbooks.update(committed);
      } catch (ConcurrentUpdateException e) {
        // someone else changed it meanwhile: read again
      }
    }
    throw new ConcurrentUpdateException("playbook " + draft.id() + " kept changing while the draft was stored");
  }

  private Playbook commit(Playbook draft, Incident incident, Remediation remediation, List<String> notes) {
    PlaybookRepository.CommitRef ref = repository.proposeDraft(draft, commitMessage(draft, incident, remediation));
    notes.add("proposed " + draft.id() + "@" + draft.version() + " for review on branch " + ref.branch()
        + " (commit " + shortSha(ref.commitSha()) + ")");
    return draft.withCommit(ref.branch(), ref.commitSha());
  }

  static String commitMessage(Playbook draft, Incident incident, Remediation remediation) {
    return "Draft playbook " + draft.id() + " " + draft.version() + " for " + draft.signature() + "\n\n"
        + "Incident: " + incident.id() + "\n"
        + "Signature: " + draft.signature() + "\n"
        + "Alert: " + Incidents.clean(incident.alert().describe(), 500) + "\n"
        + "Diagnosis: " + Incidents.clean(remediation.diagnosis(), 1000) + "\n"
        + "Consultant: " + Incidents.clean(remediation.consultant(), 80) + "\n";
  }

  private static Playbook withVersion(Playbook p, String version) {
    return new Playbook(p.id(), version, p.title(), p.source(), p.status(), p.anomalyTypes(), p.signaturePatterns(),
        p.signature(), p.description(), p.guidance(), p.parameters(), p.steps(), p.verification(), p.stats(),
        p.supportingIncidents(), p.evidenceText(), p.branch(), p.commitSha(), p.revision());
  }

  static String nextMinor(String version) {
    String[] parts = version.split("\\.");
    return parts[0] + "." + (Integer.parseInt(parts[1]) + 1) + ".0";
  }

  private static String shortSha(String sha) {
    return sha == null ? "none" : sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  private static String wire(PlaybookStatus status) {
    return status.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
