package dev.reflex.lambda.config;

import dev.reflex.domain.approval.ApprovalLinks;
import dev.reflex.domain.detection.AnomalyDetector;
import dev.reflex.domain.matching.PlaybookMatcher;
import dev.reflex.domain.policy.RemediationPolicy;
import dev.reflex.domain.port.ApprovalNotifier;
import dev.reflex.domain.port.ApprovalStore;
import dev.reflex.domain.port.Consultant;
import dev.reflex.domain.port.Executor;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.PlaybookCatalog;
import dev.reflex.domain.port.PlaybookRepository;
import dev.reflex.domain.port.PlaybookStore;
import dev.reflex.domain.port.SecretsProvider;
import dev.reflex.domain.port.WorkflowCallbacks;
import dev.reflex.domain.port.WorkflowStarter;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.risk.RiskClassifier;
import dev.reflex.domain.service.CheckAlertResolution;
import dev.reflex.domain.service.CloseIncident;
import dev.reflex.domain.service.ConsultForPlaybook;
import dev.reflex.domain.service.DecideRemediation;
import dev.reflex.domain.service.DetectAnomaly;
import dev.reflex.domain.service.ExecutePlaybook;
import dev.reflex.domain.service.Ids;
import dev.reflex.domain.service.IngestAlerts;
import dev.reflex.domain.service.LearnFromOutcome;
import dev.reflex.domain.service.MatchPlaybook;
import dev.reflex.domain.service.ParameterBinder;
import dev.reflex.domain.service.RequestApproval;
import dev.reflex.domain.service.ResolveApproval;
import dev.reflex.lambda.functions.WorkflowFunctions;
import dev.reflex.lambda.ingest.AlertmanagerWebhookParser;
import dev.reflex.lambda.intake.AlertIntake;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds Reflex's use cases from a set of adapters. The same composition serves the Lambda
 * functions on AWS (through CDI producers) and the embedded runtime on one machine: switching
 * between them changes which adapters are passed in, not the code.
 */
public final class ReflexServices {

  /** Write steps per hour per service when the policy sets no per-service limit. */
  public static final int WRITE_STEPS_PER_HOUR = 20;

  /** How many recent incidents the search for similar past incidents reads. */
  static final int SIMILAR_CANDIDATES = 200;

  /** The secret that keys approval-link signatures. */
  public static final String APPROVAL_KEY_SECRET = "approval-signing-key";

  /** Every adapter Reflex needs. */
  public record Ports(
      IncidentStore incidents,
      PlaybookStore playbooks,
      ApprovalStore approvals,
      PlaybookCatalog catalog,
      PlaybookRepository repository,
      Consultant consultant,
      Executor executor,
      WorkflowCallbacks callbacks,
      WorkflowStarter workflows,
      ApprovalNotifier notifier,
      SecretsProvider secrets,
      Clock clock) {}

  /**
   * @param matchThreshold the confidence a match needs (0.8)
   * @param autoRemediation whether a plan may ever run without a person approving it (off)
   * @param autoApproveMinConfidence the confidence under which approval is always required (0.9)
   * @param approvalBaseUrl where approval links point, e.g. {@code http://127.0.0.1:8080}
   * @param approvers who approves when the policy names nobody ({@code reflex.approval.approvers})
   */
  public record Settings(
      double matchThreshold, boolean autoRemediation, double autoApproveMinConfidence, String approvalBaseUrl,
      java.util.List<String> approvers) {

    public Settings {
      approvers = java.util.List.copyOf(Objects.requireNonNullElse(approvers, java.util.List.of()));
    }

    public Settings(double matchThreshold, boolean autoRemediation, double autoApproveMinConfidence,
        String approvalBaseUrl) {
      this(matchThreshold, autoRemediation, autoApproveMinConfidence, approvalBaseUrl, java.util.List.of());
    }

    public static Settings defaults(String approvalBaseUrl) {
      return new Settings(0.8, false, 0.9, approvalBaseUrl);
    }
  }

  /**
   * The policy engine's inputs: reviewed policies, atomic action counters (rate limits,
   * cooldowns), human feedback and outcome history, and how a decision gathers its evidence from
   * them ({@code null}: from each port in turn). Without them decide applies the minimal built-in
   * policy (auto-remediation off, approval for any write, confidence and review checks).
   */
  public record Governance(
      dev.reflex.domain.port.PolicySource policies,
      dev.reflex.domain.port.ActionCounters counters,
      dev.reflex.domain.port.FeedbackStore feedback,
      dev.reflex.domain.port.OutcomeHistory history,
      dev.reflex.domain.port.DecisionEvidence evidence) {

    /** Evidence gathered from each port in turn. */
    public Governance(dev.reflex.domain.port.PolicySource policies, dev.reflex.domain.port.ActionCounters counters,
        dev.reflex.domain.port.FeedbackStore feedback, dev.reflex.domain.port.OutcomeHistory history) {
      this(policies, counters, feedback, history, null);
    }
  }

  /**
   * Review of learned playbooks: where drafts are proposed and what sync reads.
   *
   * @param reviewed the playbook repository's target branch, as sync reads it; {@code null}: no sync
   * @param pullRequests where drafts are proposed; {@code null}: review branches only
   * @param targetBranch the reviewed branch, usually {@code main}
   */
  public record Review(
      dev.reflex.domain.port.ReviewedPlaybooks reviewed,
      dev.reflex.domain.port.PullRequestProvider pullRequests,
      String targetBranch) {

    public Review {
      targetBranch = targetBranch == null || targetBranch.isBlank() ? "main" : targetBranch;
    }

    /** Nothing to sync from and no pull requests. */
    public static Review none() {
      return new Review(null, null, "main");
    }
  }

  private final Ports ports;
  private final AnomalyDetector detector;
  private final RiskClassifier classifier = new RiskClassifier();
  private final ApprovalLinks links;
  private final DetectAnomaly detectAnomaly;
  private final MatchPlaybook matchPlaybook;
  private final ConsultForPlaybook consultForPlaybook;
  private final DecideRemediation decideRemediation;
  private final RequestApproval requestApproval;
  private final ExecutePlaybook executePlaybook;
  private final CheckAlertResolution checkAlertResolution;
  private final LearnFromOutcome learnFromOutcome;
  private final CloseIncident closeIncident;
  private final WorkflowFunctions functions;
  private final AlertIntake intake;
  private final ResolveApproval resolveApproval;
  private final Governance governance;
  private final dev.reflex.domain.service.RecordFeedback recordFeedback;
  private final dev.reflex.domain.service.ReenablePlaybook reenablePlaybook;
  private final dev.reflex.domain.review.SyncPlaybooks syncPlaybooks;

  public ReflexServices(Ports ports, Settings settings) {
    this(ports, settings, null);
  }

  public ReflexServices(Ports ports, Settings settings, Governance governance) {
    this(ports, settings, governance, Review.none());
  }

  /**
   * @param pullRequests where drafts are proposed for review; with one, every draft must pass the
   *     full validation gate before it is committed, and opens (or updates) a pull request
   */
  public ReflexServices(Ports ports, Settings settings, Governance governance,
      dev.reflex.domain.port.PullRequestProvider pullRequests) {
    this(ports, settings, governance, new Review(null, pullRequests, "main"));
  }

  /**
   * @param review where drafts are proposed (with a pull-request provider, every draft must pass
   *     the full validation gate before it is committed, and opens or updates a pull request) and
   *     what sync reads
   */
  public ReflexServices(Ports ports, Settings settings, Governance governance, Review review) {
    this(ports, settings, governance, review, new dev.reflex.lambda.aws.LogOnCallNotifier());
  }

  /**
   * @param onCall told when a remediation stops part way, fails or is refused before anything ran
   */
  public ReflexServices(Ports ports, Settings settings, Governance governance, Review review,
      dev.reflex.domain.port.OnCallNotifier onCall) {
    Objects.requireNonNull(review, "review");
    dev.reflex.domain.port.PullRequestProvider pullRequests = review.pullRequests();
    this.syncPlaybooks = review.reviewed() == null ? null
        : new dev.reflex.domain.review.SyncPlaybooks(review.reviewed(), ports.playbooks(), pullRequests,
            review.targetBranch());
    this.ports = Objects.requireNonNull(ports, "ports");
    this.governance = governance;
    Clock clock = ports.clock();
    ForbiddenCommands forbidden = ForbiddenCommands.defaults();
    this.detector = new AnomalyDetector(ports.catalog().detectionRules());
    this.links = new ApprovalLinks(ports.secrets().secret(APPROVAL_KEY_SECRET), settings.approvalBaseUrl());
    this.detectAnomaly = new DetectAnomaly(ports.incidents(), detector, clock);
    this.matchPlaybook = new MatchPlaybook(ports.incidents(), ports.playbooks(),
        new PlaybookMatcher(settings.matchThreshold()), ports.catalog(), clock);
    // every draft passes the full validation gate before it is committed or proposed
    this.consultForPlaybook = new ConsultForPlaybook(ports.incidents(), ports.playbooks(), ports.consultant(),
        ports.repository(), classifier, forbidden, clock, new dev.reflex.domain.gate.PlaybookGate(classifier, forbidden),
        pullRequests);
    this.decideRemediation = governance == null
        ? new DecideRemediation(ports.incidents(), ports.playbooks(),
            new RemediationPolicy(settings.autoRemediation(), settings.autoApproveMinConfidence()),
            classifier, forbidden, clock)
        : new DecideRemediation(ports.incidents(), ports.playbooks(), governance.policies(), classifier, forbidden,
            governance.counters(), governance.history(), governance.evidence() != null ? governance.evidence()
                : dev.reflex.domain.port.DecisionEvidence.of(ports.playbooks(), governance.feedback(),
                    governance.history(), governance.counters()),
            DecideRemediation.BlastRadius.fromLabel(), clock);
    // who approves: the governing policy's approvers (M of N for critical_write), else the configured ones;
    // approvers see the plan, a dry run of it, its score and similar past incidents
    this.requestApproval = new RequestApproval(ports.incidents(), ports.approvals(), ports.notifier(), links,
        governance == null ? dev.reflex.domain.approval.ApproverRule.fixed(settings.approvers())
            : dev.reflex.domain.approval.ApproverRule.fromPolicies(governance.policies(), settings.approvers()),
        new dev.reflex.domain.approval.ApprovalEvidence.Collector(ports.playbooks(), classifier,
            new dev.reflex.adapters.files.DryRunExecutor(clock)::execute,
            new dev.reflex.domain.approval.SimilarIncidents(ports.incidents(), SIMILAR_CANDIDATES)),
        clock, approvalIds());
    this.executePlaybook = new ExecutePlaybook(ports.incidents(), ports.playbooks(), ports.executor(),
        new ParameterBinder(), preChecks(ports, governance), Objects.requireNonNull(onCall, "onCall"),
        ExecutePlaybook.DEFAULT_RUN_TIMEOUT, clock);
    this.checkAlertResolution = new CheckAlertResolution(ports.incidents());
    this.learnFromOutcome = new LearnFromOutcome(ports.incidents(), ports.playbooks(),
        governance == null ? null : governance.history(), clock);
    this.recordFeedback = governance == null ? null
        : new dev.reflex.domain.service.RecordFeedback(ports.incidents(), governance.feedback(), clock);
    // with an outcome history, failures disable a playbook for one signature and re-enabling takes it
    this.reenablePlaybook = new dev.reflex.domain.service.ReenablePlaybook(ports.playbooks(),
        governance == null ? null : governance.history(), clock);
    this.closeIncident = new CloseIncident(ports.incidents(), executePlaybook, clock);
    this.functions = new WorkflowFunctions(detectAnomaly, matchPlaybook, consultForPlaybook, decideRemediation,
        requestApproval, executePlaybook, checkAlertResolution, learnFromOutcome, closeIncident);
    this.intake = new AlertIntake(new AlertmanagerWebhookParser(),
        new IngestAlerts(ports.incidents(), detector, clock, Ids.incidentIds(clock)), ports.workflows());
    this.resolveApproval = new ResolveApproval(ports.approvals(), ports.incidents(), ports.callbacks(), links, clock);
  }

  /** Brings playbook metadata in line with the target branch; null when no reviewed repository is configured. */
  public dev.reflex.domain.review.SyncPlaybooks syncPlaybooks() {
    return syncPlaybooks;
  }

  /** Null when no governance (feedback store) is configured. */
  public dev.reflex.domain.service.RecordFeedback recordFeedback() {
    return recordFeedback;
  }

  public dev.reflex.domain.service.ReenablePlaybook reenablePlaybook() {
    return reenablePlaybook;
  }

  public Governance governance() {
    return governance;
  }

  public DetectAnomaly detectAnomaly() {
    return detectAnomaly;
  }

  public MatchPlaybook matchPlaybook() {
    return matchPlaybook;
  }

  public ConsultForPlaybook consultForPlaybook() {
    return consultForPlaybook;
  }

  public DecideRemediation decideRemediation() {
    return decideRemediation;
  }

  public RequestApproval requestApproval() {
    return requestApproval;
  }

  public ExecutePlaybook executePlaybook() {
    return executePlaybook;
  }

  public CheckAlertResolution checkAlertResolution() {
    return checkAlertResolution;
  }

  /**
   * Checks before forward steps: the executor's target health always; with governance also the
   * policy's time window for unapproved writes and a per-service rate of write steps.
   */
  private static java.util.List<dev.reflex.domain.execution.StepPreCheck> preChecks(Ports ports,
      Governance governance) {
    java.util.List<dev.reflex.domain.execution.StepPreCheck> checks = new java.util.ArrayList<>();
    checks.add(new dev.reflex.domain.execution.TargetHealthPreCheck(ports.executor()));
    if (governance != null) {
      checks.add(new dev.reflex.domain.execution.TimeWindowPreCheck(governance.policies()));
      checks.add(new dev.reflex.domain.execution.RateLimitPreCheck(governance.policies(), governance.counters(),
          WRITE_STEPS_PER_HOUR));
    }
    return java.util.List.copyOf(checks);
  }

  public LearnFromOutcome learnFromOutcome() {
    return learnFromOutcome;
  }

  public CloseIncident closeIncident() {
    return closeIncident;
  }

  public Ports ports() {
    return ports;
  }

  public WorkflowFunctions functions() {
    return functions;
  }

  public AlertIntake intake() {
    return intake;
  }

  public ResolveApproval approvals() {
    return resolveApproval;
  }

  public ApprovalLinks links() {
    return links;
  }

  public RiskClassifier classifier() {
    return classifier;
  }

  public AnomalyDetector detector() {
    return detector;
  }

  private static Supplier<String> approvalIds() {
    SecureRandom random = new SecureRandom();
    return () -> {
      byte[] bytes = new byte[16];
      random.nextBytes(bytes);
      return "apr-" + HexFormat.of().formatHex(bytes);
    };
  }
}
