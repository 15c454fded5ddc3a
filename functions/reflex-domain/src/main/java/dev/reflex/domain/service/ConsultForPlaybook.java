package dev.reflex.domain.service;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.DraftNotPublishedException;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.error.PlaybookAlreadyExistsException;
import dev.reflex.domain.gate.Finding;
import dev.reflex.domain.gate.GateResult;
import dev.reflex.domain.gate.PlaybookGate;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.Consultant;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.PlaybookRepository;
import dev.reflex.domain.port.PlaybookStore;
import dev.reflex.domain.port.PullRequestProvider;
import dev.reflex.domain.review.ReviewPage;
import dev.reflex.domain.review.SemanticVersions;
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
 * playbook: risk classes recomputed (raised where the consultant claimed less), then the
 * validation gate ({@link PlaybookGate}: forbidden commands, undeclared variables, rollbacks,
 * verification), then proposed on a review branch of the playbook repository and stored as
 * PENDING_REVIEW. A draft the gate fails is stored as REJECTED_BY_GATE with the reasons on the
 * incident's timeline and never proposed. With a {@link PullRequestProvider}, a proposed draft
 * gets a pull request whose body is the {@link ReviewPage}; while one is open for the review
 * branch, a new draft adds a commit and a comment to it instead of opening another. A draft for a
 * signature drafted before becomes a new version of the same playbook, numbered by
 * {@link SemanticVersions} from what changed (major: a step added, removed or its risk raised;
 * minor: a step changed; patch: metadata only), unless a person rejected it: then it stays
 * rejected. Each commit carries a test case ({@code tests/<incident>/}: the incident's alert and
 * the match it must produce) for the repository's offline tester.
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
  private final PlaybookGate gate;
  private final PullRequestProvider pullRequests;

  /**
   * Without pull requests, and with the gate in {@link PlaybookGate.Mode#FORBIDDEN_COMMANDS_ONLY}
   * mode: only a forbidden command rejects a draft (the other findings are noted on the timeline).
   */
  public ConsultForPlaybook(IncidentStore incidents, PlaybookStore playbooks, Consultant consultant,
      PlaybookRepository repository, RiskClassifier classifier, ForbiddenCommands forbidden, Clock clock) {
    this(incidents, playbooks, consultant, repository, classifier, forbidden, clock,
        new PlaybookGate(classifier, forbidden, PlaybookGate.Mode.FORBIDDEN_COMMANDS_ONLY), null);
  }

  /**
   * @param gate what a draft must pass before it is committed (usually {@link PlaybookGate#defaults()}
   *     or one built with the policy's forbidden commands)
   * @param pullRequests where proposed drafts are reviewed; {@code null} for branches only
   */
  public ConsultForPlaybook(IncidentStore incidents, PlaybookStore playbooks, Consultant consultant,
      PlaybookRepository repository, RiskClassifier classifier, ForbiddenCommands forbidden, Clock clock,
      PlaybookGate gate, PullRequestProvider pullRequests) {
    this.gate = Objects.requireNonNull(gate, "gate");
    this.pullRequests = pullRequests;
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
    GateResult checked = gate.check(draft);
    List<PlaybookRepository.CommitRef> commits = new ArrayList<>();
    Playbook stored = checked.passes() ? propose(draft, incident, remediation, notes, commits)
        : reject(draft, checked, notes);
    if (checked.passes() && !checked.findings().isEmpty()) {
      notes.add("validation gate " + Incidents.clean(checked.summary(), 100) + ": " + Incidents.clean(String.join("; ",
          checked.findings().stream().map(Finding::toString).toList()), 1000));
    }
    if (pullRequests != null && !commits.isEmpty() && stored.status() == PlaybookStatus.PENDING_REVIEW) {
      notes.add(pullRequest(stored, incident, remediation, checked, commits.get(commits.size() - 1)));
    }

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
        steps.add(new PlaybookStep(step.action(), computed, step.rollback(), step.verification()));
      } else {
        steps.add(step);
      }
    }
    Signature signature = anomaly.signature();
    return new Playbook(learnedId(signature), "1.0.0", remediation.playbookName(), provenance(remediation),
        PlaybookStatus.PENDING_REVIEW, List.of(anomaly.anomalyType()), List.of(signature.toString()), signature,
        remediation.diagnosis(), remediation.rootCause(), remediation.parameters(), steps,
        remediation.verification(), PlaybookStats.initial(INITIAL_CONFIDENCE), List.of(incident.id()),
        incident.alert().describe(), null, null, 0);
  }

  /**
   * Who drafted it: the deterministic offline catalog (also when a model answer was refused and
   * the offline consultant stood in) makes a LEARNED draft; anything else is a model's, LLM.
   */
  static PlaybookSource provenance(Remediation remediation) {
    return remediation.consultant().startsWith("offline_catalog") ? PlaybookSource.LEARNED : PlaybookSource.LLM;
  }

  private Playbook reject(Playbook draft, GateResult checked, List<String> notes) {
    boolean forbiddenCommand = checked.errors().stream().anyMatch(e -> e.message().startsWith("forbidden command"));
    notes.add("draft rejected by the " + (forbiddenCommand ? "forbidden-command gate" : "validation gate")
        + ", not proposed: " + Incidents.clean(String.join("; ",
            checked.errors().stream().map(e -> e.location() + ": " + e.message()).toList()), 2000));
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
      return withVersion(rejected, nextVersion(existingVersion, rejected));
    }
    throw new ConcurrentUpdateException("playbook " + draft.id() + " kept changing while the draft was stored");
  }

  private Playbook propose(Playbook draft, Incident incident, Remediation remediation, List<String> notes,
      List<PlaybookRepository.CommitRef> commits) {
    for (int attempt = 0; attempt < PLAYBOOK_ATTEMPTS; attempt++) {
      Optional<Playbook> found = playbooks.find(draft.id());
      if (found.isEmpty()) {
        Playbook committed = commit(draft, incident, remediation, notes, commits);
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
      Playbook redrafted = new Playbook(existing.id(), existing.version(), draft.title(), draft.source(),
          PlaybookStatus.PENDING_REVIEW, draft.anomalyTypes(), draft.signaturePatterns(), draft.signature(),
          draft.description(), draft.guidance(), draft.parameters(), draft.steps(), draft.verification(),
          existing.stats(), List.copyOf(supporting), draft.evidenceText(), null, null, existing.revision());
      Playbook bumped = withVersion(redrafted, nextVersion(existing, redrafted));
      Playbook committed = commit(bumped, incident, remediation, notes, commits);
      try {
        return playbooks.update(committed);
      } catch (ConcurrentUpdateException e) {
        // someone else changed it meanwhile: read again
      }
    }
    throw new ConcurrentUpdateException("playbook " + draft.id() + " kept changing while the draft was stored");
  }

  private Playbook commit(Playbook draft, Incident incident, Remediation remediation, List<String> notes,
      List<PlaybookRepository.CommitRef> commits) {
    PlaybookRepository.CommitRef ref;
    try {
      ref = repository.proposeDraft(draft, commitMessage(draft, incident, remediation),
          List.of(testCase(draft, incident)));
    } catch (DraftNotPublishedException e) {
      // branch protection or a hook: no pull request, but the draft is stored and the commit kept
      notes.add("the playbook repository refused branch " + Incidents.clean(e.branch(), 200) + ": "
          + Incidents.clean(e.getMessage(), 500) + "; " + draft.id() + "@" + draft.version()
          + " is stored for review and its commit " + shortSha(e.commitSha())
          + " is kept, to be pushed with the next proposal on the branch; no pull request was opened");
      return draft.withCommit(e.branch(), e.commitSha());
    }
    commits.add(ref);
    notes.add("proposed " + draft.id() + "@" + draft.version() + " for review on branch " + ref.branch()
        + " (commit " + shortSha(ref.commitSha()) + ")");
    return draft.withCommit(ref.branch(), ref.commitSha());
  }

  /**
   * Opens the review branch's pull request, or comments on the open one; a provider failure is
   * reported on the incident and loses nothing (the draft stays committed on its branch).
   */
  private String pullRequest(Playbook stored, Incident incident, Remediation remediation, GateResult checked,
      PlaybookRepository.CommitRef ref) {
    try {
      String body = new ReviewPage(classifier).render(stored, incident, remediation, checked, null);
      Optional<PullRequest> open = pullRequests.findOpen(ref.branch());
      String why = "Reflex added version " + stored.version() + " (commit " + shortSha(ref.commitSha())
          + ") to this branch: incident " + incident.id() + " has the same signature " + stored.signature()
          + " and nothing matched it while this pull request is open, so the draft was updated here instead of"
          + " opening another pull request.";
      if (open.isPresent()) {
        pullRequests.comment(open.get(), why + "\n\n" + body);
        return "updated " + Incidents.clean(open.get().describe(), 300) + " with " + stored.id() + "@"
            + stored.version() + " (comment added)";
      }
      PullRequest opened = pullRequests.open(new PullRequestProvider.PullRequestRequest(ref.branch(), null,
          "Learned playbook " + stored.id() + " " + stored.version() + " for " + stored.signature(), body, why));
      return "opened " + Incidents.clean(opened.describe(), 300) + " for review of " + stored.id() + "@"
          + stored.version();
    } catch (RuntimeException e) {
      return "could not open a pull request for " + ref.branch() + " (" + pullRequests.name() + ": "
          + Incidents.clean(e.getMessage(), 300) + "); the draft is committed on the branch, nothing is lost";
    }
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

  /**
   * The version a new draft of a stored playbook carries: {@link SemanticVersions} from what
   * changed, and at least a patch, so that every commit of a draft has its own version.
   */
  static String nextVersion(Playbook stored, Playbook redrafted) {
    SemanticVersions.Change change = SemanticVersions.change(stored, withVersion(redrafted, stored.version()));
    return SemanticVersions.bump(stored.version(),
        change == SemanticVersions.Change.NONE ? SemanticVersions.Change.PATCH : change);
  }

  /** The incident as a test case: its alert must be detected as its anomaly and matched to the draft. */
  static PlaybookRepository.TestCase testCase(Playbook draft, Incident incident) {
    return new PlaybookRepository.TestCase(PlaybookRepository.TestCase.nameOf(incident.id()), incident.alert(),
        incident.anomaly().anomalyType(), incident.anomaly().signature(), draft.id());
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
