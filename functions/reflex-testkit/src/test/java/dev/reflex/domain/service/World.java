package dev.reflex.domain.service;

import dev.reflex.domain.approval.ApprovalEvidence;
import dev.reflex.domain.approval.ApprovalLinks;
import dev.reflex.domain.approval.ApprovalRequirement;
import dev.reflex.domain.approval.Rehearsal;
import dev.reflex.domain.approval.SimilarIncidents;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.detection.AnomalyDetector;
import dev.reflex.domain.execution.StepPreCheck;
import dev.reflex.domain.matching.PlaybookMatcher;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.policy.RemediationPolicy;
import dev.reflex.domain.port.Executor;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.risk.RiskClassifier;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.Detection;
import dev.reflex.testkit.InMemoryApprovalStore;
import dev.reflex.testkit.InMemoryIncidentStore;
import dev.reflex.testkit.InMemoryPlaybookStore;
import dev.reflex.testkit.MutableClock;
import dev.reflex.testkit.RecordingApprovalNotifier;
import dev.reflex.testkit.RecordingExecutor;
import dev.reflex.testkit.RecordingOnCallNotifier;
import dev.reflex.testkit.RecordingPlaybookRepository;
import dev.reflex.testkit.RecordingWorkflowCallbacks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Every use case wired to the test kit's fakes. */
final class World {

  static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.UTF_8);

  final MutableClock clock = new MutableClock();
  final InMemoryIncidentStore incidents = new InMemoryIncidentStore();
  final InMemoryPlaybookStore playbooks = new InMemoryPlaybookStore();
  final InMemoryApprovalStore approvals = new InMemoryApprovalStore();
  final RecordingPlaybookRepository repository = new RecordingPlaybookRepository();
  final RecordingApprovalNotifier notifier = new RecordingApprovalNotifier();
  final RecordingWorkflowCallbacks callbacks = new RecordingWorkflowCallbacks();
  final RecordingExecutor executor = RecordingExecutor.succeeding(clock);
  final AnomalyDetector detector = new AnomalyDetector(Detection.rules());
  final RiskClassifier classifier = new RiskClassifier();
  final ForbiddenCommands forbidden = ForbiddenCommands.defaults();
  final ApprovalLinks links = new ApprovalLinks(KEY, "https://reflex.example");
  final AtomicInteger sequence = new AtomicInteger();
  final Supplier<String> incidentIds = () -> "inc-20250314-" + String.format("%012d", sequence.incrementAndGet());

  final IngestAlerts ingest = new IngestAlerts(incidents, detector, clock, incidentIds);
  final DetectAnomaly detect = new DetectAnomaly(incidents, detector, clock);
  final MatchPlaybook match = new MatchPlaybook(incidents, playbooks, new PlaybookMatcher(0.7), clock);
  final LearnFromOutcome learn = new LearnFromOutcome(incidents, playbooks, clock);
  final CloseIncident close = new CloseIncident(incidents, clock);
  final RecordingOnCallNotifier onCall = new RecordingOnCallNotifier();
  final ExecutePlaybook execute = new ExecutePlaybook(incidents, playbooks, executor, new ParameterBinder(),
      List.of(new dev.reflex.domain.execution.TargetHealthPreCheck(executor)), onCall,
      ExecutePlaybook.DEFAULT_RUN_TIMEOUT, clock);
  final CheckAlertResolution resolution = new CheckAlertResolution(incidents);
  /** Who approves: three people, one of whom must say yes; tests change it for M of N. */
  volatile ApprovalRequirement requirement = new ApprovalRequirement(
      List.of("alice@example.com", "bob@example.com", "carol@example.com"), 1, "test policy");
  /** The dry run before approval: says the restart step cannot be simulated. */
  final Rehearsal rehearsal = (incidentId, playbook, parameters) -> new ExecutionReport("dry-run",
      ExecutionReport.Mode.DRY_RUN, playbook.id(), playbook.version(), null, true,
      playbook.steps().stream().map(step -> new ExecutionReport.StepResult(step.name(), step.declaredRisk(),
          ExecutionReport.StepResult.Status.NOT_SIMULATED, "would run it with " + parameters)).toList(),
      playbook.steps().stream().map(step -> step.name()).toList(), clock.instant(), clock.instant(),
      "Dry run of " + playbook.id() + ": nothing was executed");
  final RequestApproval requestApproval = new RequestApproval(incidents, approvals, notifier, links,
      incident -> requirement, new ApprovalEvidence.Collector(playbooks, classifier, rehearsal,
          new SimilarIncidents(incidents, 200)), clock, Ids.approvalIds());
  final ResolveApproval resolveApproval = new ResolveApproval(approvals, incidents, callbacks, links, clock);

  DecideRemediation decide(RemediationPolicy policy) {
    return new DecideRemediation(incidents, playbooks, policy, classifier, forbidden, clock);
  }

  /** The execute use case over another executor and other pre-checks than {@link #execute}'s. */
  ExecutePlaybook executing(Executor executor, List<StepPreCheck> checks) {
    return new ExecutePlaybook(incidents, playbooks, executor, new ParameterBinder(), checks, onCall,
        ExecutePlaybook.DEFAULT_RUN_TIMEOUT, clock);
  }

  /** Ingests a firing alert and detects its anomaly; returns the incident. */
  Incident detected(Alert alert) {
    String id = ingest.ingest(List.of(alert)).get(0).incidentId();
    return detect.detect(id);
  }

  /**
   * Stores the playbook, then a high-latency incident goes the whole way to an approved plan:
   * detected, matched, decided under the default policy, approval requested, the operator says
   * yes. Returns the incident id.
   */
  String approved(Playbook playbook) {
    playbooks.create(playbook);
    Incident incident = detected(Alerts.highLatency());
    match.match(incident.id());
    decide(RemediationPolicy.defaults()).decide(incident.id());
    Approval approval = requestApproval.request(incident.id(), "token-" + incident.id(), Duration.ofHours(1));
    resolveApproval.decideAsOperator(approval.id(), true, "operator", "");
    return incident.id();
  }

  /** Alertmanager's "resolved" notification for the incident's alert. */
  void alertResolves(String id) {
    Alert firing = incident(id).alert();
    ingest.ingest(List.of(new Alert(firing.source(), firing.fingerprint(), dev.reflex.domain.model.AlertStatus.RESOLVED,
        firing.labels(), firing.annotations(), firing.startsAt(), clock.instant(), firing.generatorUrl())));
  }

  Incident incident(String id) {
    return incidents.find(id).orElseThrow();
  }
}
