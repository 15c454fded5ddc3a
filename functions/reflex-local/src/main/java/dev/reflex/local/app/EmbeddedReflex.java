package dev.reflex.local.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.reflex.adapters.dynamodb.DynamoDbApprovalStore;
import dev.reflex.adapters.dynamodb.DynamoDbConsultationLease;
import dev.reflex.adapters.dynamodb.DynamoDbConsultationLog;
import dev.reflex.adapters.dynamodb.DynamoDbIncidentStore;
import dev.reflex.adapters.dynamodb.DynamoDbPlaybookStore;
import dev.reflex.adapters.dynamodb.ReflexTables;
import dev.reflex.adapters.dynamodb.TableNames;
import dev.reflex.adapters.dynamodb.stepfunctions.DynamoDbExecutionStore;
import dev.reflex.adapters.files.AnsibleExecutor;
import dev.reflex.adapters.files.ConsoleApprovalNotifier;
import dev.reflex.adapters.files.DryRunExecutor;
import dev.reflex.adapters.files.FilePlaybookCatalog;
import dev.reflex.adapters.files.FileSecretsProvider;
import dev.reflex.adapters.files.OfflineCatalogConsultant;
import dev.reflex.adapters.git.JGitPlaybookRepository;
import dev.reflex.adapters.llm.ConsultantFactory;
import dev.reflex.domain.consult.HistoryAwareConsultant;
import dev.reflex.domain.consult.MeteringConsultant;
import dev.reflex.domain.consult.ReportLlmUsage;
import dev.reflex.domain.consult.SingleFlightConsultant;
import dev.reflex.domain.error.ApprovalNotFoundException;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.port.Consultant;
import dev.reflex.domain.port.Executor;
import dev.reflex.domain.port.PlaybookStore;
import dev.reflex.lambda.config.ReflexServices;
import dev.reflex.lambda.functions.Dto;
import dev.reflex.lambda.approval.ApprovalView;
import dev.reflex.lambda.functions.WorkflowFunctions;
import dev.reflex.lambda.intake.AlertIntake;
import dev.reflex.lambda.operator.FeedbackRequest;
import dev.reflex.stepfunctions.ExecutionDescription;
import dev.reflex.stepfunctions.ExecutionDoesNotExistException;
import dev.reflex.stepfunctions.HistoryEvent;
import dev.reflex.stepfunctions.LocalStepFunctions;
import dev.reflex.stepfunctions.TimerService;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Reflex on one machine: DynamoDB Local in process, the playbook repository as a local Git
 * repository, the real remediation.asl.json run by the local Step Functions runtime, and the
 * dry-run (or local Ansible) executor. Everything a production deployment does, with adapters
 * that need no cloud account.
 */
public final class EmbeddedReflex implements ReflexApi, AutoCloseable {

  /**
   * @param home the Reflex checkout: holds {@code statemachines/} and {@code playbook-repo-template/}
   * @param dataDir where tables, the playbook repository, secrets and the outbox live
   * @param inMemoryTables keep DynamoDB tables in memory (benchmarks); otherwise on disk in dataDir
   * @param baseUrl where approval links point (the HTTP server's address)
   * @param executor {@code dry-run} or {@code ansible}
   */
  public record Options(
      Path home,
      Path dataDir,
      boolean inMemoryTables,
      String baseUrl,
      String executor,
      Duration approvalTimeout,
      Clock clock,
      PrintStream console,
      boolean startWorkflows,
      Duration resolutionCheck,
      int resolutionChecks,
      TimerService timers) {

    /** Between two checks that an alert resolved after its remediation, on the embedded default. */
    public static final Duration RESOLUTION_CHECK = Duration.ofSeconds(2);
    /** Checks before an unresolved alert makes the remediation a failure: 150 x 2 s = 5 minutes. */
    public static final int RESOLUTION_CHECKS = 150;

    public Options {
      if (resolutionCheck == null || resolutionCheck.toSeconds() < 1 || resolutionCheck.toNanos() % 1_000_000_000L != 0) {
        throw new IllegalArgumentException("resolutionCheck must be a whole number of seconds, at least 1: "
            + resolutionCheck);
      }
      if (resolutionChecks < 1) {
        throw new IllegalArgumentException("resolutionChecks must be at least 1: " + resolutionChecks);
      }
    }

    public static Options defaults(Path home, Path dataDir, String baseUrl) {
      return new Options(home, dataDir, false, baseUrl, "dry-run", Duration.ofDays(1), Clock.systemUTC(), System.out,
          true, RESOLUTION_CHECK, RESOLUTION_CHECKS, null);
    }

    /** Benchmarks drive the functions directly; ingest then opens incidents without a workflow. */
    public Options withoutWorkflows() {
      return new Options(home, dataDir, inMemoryTables, baseUrl, executor, approvalTimeout, clock, console, false,
          resolutionCheck, resolutionChecks, timers);
    }

    public Options withApprovalTimeout(Duration value) {
      return new Options(home, dataDir, inMemoryTables, baseUrl, executor, value, clock, console, startWorkflows,
          resolutionCheck, resolutionChecks, timers);
    }

    public Options withInMemoryTables(boolean value) {
      return new Options(home, dataDir, value, baseUrl, executor, approvalTimeout, clock, console, startWorkflows,
          resolutionCheck, resolutionChecks, timers);
    }

    public Options withExecutor(String value) {
      return new Options(home, dataDir, inMemoryTables, baseUrl, value, approvalTimeout, clock, console, startWorkflows,
          resolutionCheck, resolutionChecks, timers);
    }

    public Options withBaseUrl(String value) {
      return new Options(home, dataDir, inMemoryTables, value, executor, approvalTimeout, clock, console, startWorkflows,
          resolutionCheck, resolutionChecks, timers);
    }

    public Options withConsole(PrintStream value) {
      return new Options(home, dataDir, inMemoryTables, baseUrl, executor, approvalTimeout, clock, value, startWorkflows,
          resolutionCheck, resolutionChecks, timers);
    }

    /**
     * How long, after its commands succeed, a remediation waits for its alert to resolve: {@code checks}
     * checks {@code interval} apart (whole seconds, as a Wait state counts them).
     */
    public Options withResolutionChecks(Duration interval, int checks) {
      return new Options(home, dataDir, inMemoryTables, baseUrl, executor, approvalTimeout, clock, console,
          startWorkflows, interval, checks, timers);
    }

    /**
     * One time source for everything: the workflow runtime's timers (Wait states, retries,
     * timeouts) and the use cases' clock. Tests pass a {@code ManualTimerService} and move time.
     */
    public Options withTimers(TimerService value) {
      return new Options(home, dataDir, inMemoryTables, baseUrl, executor, approvalTimeout,
          value.withZone(java.time.ZoneOffset.UTC), console, startWorkflows, resolutionCheck, resolutionChecks, value);
    }
  }

  /** Between two looks at running commands; the dry-run and local Ansible executors finish at once. */
  static final Duration COMMAND_POLL = Duration.ofSeconds(1);
  /** Looks at running commands before the incident is marked failed (over ExecutePlaybook's pass timeout). */
  static final int COMMAND_POLLS = 1200;

  private static final Map<String, String> FUNCTION_ARNS = Map.ofEntries(
      Map.entry("DetectFunctionArn", "detect"),
      Map.entry("MatchFunctionArn", "match"),
      Map.entry("ConsultFunctionArn", "consult"),
      Map.entry("DecideFunctionArn", "decide"),
      Map.entry("RequestApprovalFunctionArn", "requestApproval"),
      Map.entry("ExecuteFunctionArn", "execute"),
      Map.entry("CheckExecutionFunctionArn", "checkExecution"),
      Map.entry("StopExecutionFunctionArn", "stopExecution"),
      Map.entry("CheckResolutionFunctionArn", "checkResolution"),
      Map.entry("LearnFunctionArn", "learn"),
      Map.entry("EscalateFunctionArn", "escalate"),
      Map.entry("MarkFailedFunctionArn", "markFailed"));

  /** How long a concurrent incident waits for the first draft of its signature. */
  static final Duration CONSULTATION_WAIT = Duration.ofMinutes(3);
  /** How long a consultation lease lasts if its holder dies: over one model call's budget. */
  static final Duration CONSULTATION_LEASE = Duration.ofMinutes(4);
  /** How many recent incidents the search for similar past incidents reads. */
  static final int SIMILAR_CANDIDATES = 200;

  private final Options options;
  private final LocalDynamoDb dynamo;
  private final DynamoDbClient client;
  private final LocalStepFunctions runtime;
  private final ReflexServices services;
  private final ObjectMapper json;
  private final CountingConsultant consultant;
  private final DynamoDbConsultationLog ledger;
  private final dev.reflex.local.review.LocalReview review;
  private final ReportLlmUsage llmUsage;
  private final dev.reflex.domain.port.AuditLog audit;

  private EmbeddedReflex(Options options) {
    this.options = options;
    this.json = mapper();
    Path data = createDirs(options.dataDir());
    this.dynamo = LocalDynamoDb.start(options.inMemoryTables() ? null : data.resolve("dynamodb"));
    try {
      this.client = dynamo.client();
      new ReflexTables(client, TableNames.defaults()).createIfMissing();
      DynamoDbExecutionStore executions = new DynamoDbExecutionStore(client, "reflex-executions");
      executions.createTableIfMissing();

      // the audit trail comes first, so that the Git token read to set up the repository is audited too
      this.audit = auditLog(client);
      dev.reflex.domain.port.SecretsProvider secrets = new dev.reflex.lambda.audit.AuditingSecretsProvider(
          new FileSecretsProvider(data.resolve("secrets")), audit, options.clock());
      // the local bare repository made from the template, or the one reflex.playbook-repo.uri names
      dev.reflex.local.review.PlaybookRepositoryLocation location = dev.reflex.local.review.PlaybookRepositoryLocation
          .resolve(options.home(), data, data.resolve("playbooks-work"), secrets);
      Path template = location.catalog();
      JGitPlaybookRepository repository = new JGitPlaybookRepository(location.config());
      FilePlaybookCatalog catalog = new FilePlaybookCatalog(template);
      DynamoDbPlaybookStore playbooks = new DynamoDbPlaybookStore(client);
      CatalogSync.sync(catalog.playbooks(), playbooks);
      this.review = new dev.reflex.local.review.LocalReview(client, TableNames.defaults().playbooks(), repository,
          playbooks, location.config().targetBranch(), options.clock());

      LocalStepFunctions.Builder runtimeBuilder = LocalStepFunctions.builder().executionStore(executions)
          .clock(options.clock());
      if (options.timers() != null) {
        runtimeBuilder.timers(options.timers());
      }
      this.runtime = runtimeBuilder.build();
      LocalWorkflow workflow = new LocalWorkflow(runtime);
      DynamoDbIncidentStore incidents = new DynamoDbIncidentStore(client);
      // audit trail: decorators around existing ports, the domain services are unchanged
      dev.reflex.domain.port.ApprovalStore approvals = new dev.reflex.lambda.audit.AuditingApprovalStore(
          new DynamoDbApprovalStore(client), audit, options.clock());
      dev.reflex.domain.port.WorkflowCallbacks callbacks = new dev.reflex.lambda.audit.AuditingWorkflowCallbacks(
          workflow, audit, approvalId -> approvals.find(approvalId).map(Approval::incidentId), options.clock());
      DynamoDbConsultationLog ledger = new DynamoDbConsultationLog(client);
      this.ledger = ledger;
      this.consultant = new CountingConsultant(consultant(client, secrets, incidents, ledger, options.clock()));
      this.llmUsage = new ReportLlmUsage(ledger, incidents, options.clock());
      ReflexServices.Ports ports = new ReflexServices.Ports(
          incidents,
          playbooks,
          approvals,
          catalog,
          repository,
          consultant,
          new dev.reflex.lambda.audit.AuditingExecutor(executor(options, catalog, repository), audit, options.clock()),
          callbacks,
          options.startWorkflows() ? workflow : incidentId -> "not-started:" + incidentId,
          new ConsoleApprovalNotifier(data, options.console()),
          secrets,
          options.clock());
      this.services = new ReflexServices(ports, ReflexServices.Settings.defaults(options.baseUrl()),
          governance(client, template, options.clock()),
          new ReflexServices.Review(null, review.pullRequests(), "main"),
          new dev.reflex.adapters.files.OutboxOnCallNotifier(data, options.console()));
      loadStateMachine(options);
      registerFunctions(services.functions());
      runtime.resume();
    } catch (RuntimeException | Error e) {
      dynamo.close();
      throw e;
    }
  }

  /**
   * The policy engine on the embedded default: the repository's reviewed policies and its tables
   * for rate-limit counters, feedback and outcome history in DynamoDB Local.
   */
  private static ReflexServices.Governance governance(DynamoDbClient client, Path repoRoot, Clock clock) {
    // the tables are created with the others (ReflexTables), counters with their TTL
    var counters = new dev.reflex.adapters.dynamodb.DynamoDbActionCounters(client, "reflex-counters", clock);
    var feedback = new dev.reflex.adapters.dynamodb.DynamoDbFeedbackStore(client, "reflex-feedback");
    var history = new dev.reflex.adapters.dynamodb.DynamoDbOutcomeHistory(client, "reflex-outcomes");
    // totals and scores of feedback and outcomes stored before they were kept
    feedback.backfillScores();
    history.backfillTotals();
    return new ReflexServices.Governance(new dev.reflex.adapters.files.FilePolicySource(repoRoot), counters,
        feedback, history, new dev.reflex.adapters.dynamodb.DynamoDbDecisionEvidence(client,
            new DynamoDbPlaybookStore(client), feedback, history, counters));
  }

  /** The append-only audit trail in its own table (created with the others by ReflexTables). */
  private static dev.reflex.domain.port.AuditLog auditLog(DynamoDbClient client) {
    return new dev.reflex.adapters.dynamodb.DynamoDbAuditLog(client, TableNames.defaults().audit());
  }

  public static EmbeddedReflex start(Options options) {
    return Quietly.run(() -> new EmbeddedReflex(options));
  }

  /**
   * The consultant named by {@code reflex.consultant.provider} (system property, else
   * {@code REFLEX_CONSULTANT_PROVIDER}; default offline), given similar past incidents, one
   * consultation per signature at a time, and every consultation metered into the ledger.
   */
  private static Consultant consultant(DynamoDbClient client, dev.reflex.domain.port.SecretsProvider secrets,
      DynamoDbIncidentStore incidents, DynamoDbConsultationLog ledger, Clock clock) {
    Consultant chosen = ConsultantFactory.fromConfig(
        ConsultantFactory.configFrom(System.getProperties(), System.getenv()), secrets, new OfflineCatalogConsultant());
    Consultant metered = new MeteringConsultant(chosen, ledger, clock);
    Consultant singleFlight = new SingleFlightConsultant(metered,
        new DynamoDbConsultationLease(client, TableNames.defaults().consultations(), clock), ledger, clock,
        CONSULTATION_WAIT, CONSULTATION_LEASE);
    return new HistoryAwareConsultant(singleFlight, incidents, SIMILAR_CANDIDATES);
  }

  /**
   * The Ansible executor runs what was reviewed: a shipped playbook's own file from the catalog,
   * a learned one's file at its commit; it renders from the model only when neither exists.
   */
  private static Executor executor(Options options, FilePlaybookCatalog catalog, JGitPlaybookRepository repository) {
    return switch (options.executor()) {
      case "dry-run" -> new DryRunExecutor();
      case "ansible" -> new AnsibleExecutor(AnsibleExecutor.Config.checkMode(),
          playbook -> (playbook.source() == dev.reflex.domain.model.PlaybookSource.CATALOG
              ? catalog.playbookFile(playbook.id())
              : repository.committedPlaybook(playbook)).orElse(null),
          options.clock());
      default -> throw new IllegalArgumentException("executor must be dry-run or ansible: " + options.executor());
    };
  }

  private void loadStateMachine(Options options) {
    Path asl = options.home().resolve("statemachines").resolve("remediation.asl.json");
    Map<String, String> substitutions = new java.util.HashMap<>();
    FUNCTION_ARNS.forEach((placeholder, function) ->
        substitutions.put(placeholder, "arn:aws:lambda:local:000000000000:function:" + function));
    substitutions.put("ApprovalTimeoutSeconds", String.valueOf(options.approvalTimeout().toSeconds()));
    substitutions.put("SsmPollSeconds", String.valueOf(COMMAND_POLL.toSeconds()));
    substitutions.put("MaxCommandPolls", String.valueOf(COMMAND_POLLS));
    substitutions.put("ResolutionCheckSeconds", String.valueOf(options.resolutionCheck().toSeconds()));
    substitutions.put("MaxResolutionChecks", String.valueOf(options.resolutionChecks()));
    try {
      runtime.loadStateMachine(LocalWorkflow.STATE_MACHINE, Files.readString(asl), substitutions);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + asl, e);
    }
  }

  private void registerFunctions(WorkflowFunctions functions) {
    register("detect", Dto.IncidentRef.class, functions::detect);
    register("match", Dto.IncidentRef.class, functions::match);
    register("consult", Dto.IncidentRef.class, functions::consult);
    register("decide", Dto.IncidentRef.class, ref -> auditDecision(ref.incidentId, functions.decide(ref)));
    register("requestApproval", Dto.ApprovalRequest.class, functions::requestApproval);
    register("execute", Dto.IncidentRef.class, functions::execute);
    register("checkExecution", Dto.IncidentRef.class, functions::checkExecution);
    register("stopExecution", Dto.FailureReport.class, functions::stopExecution);
    register("checkResolution", Dto.IncidentRef.class, functions::checkResolution);
    register("learn", Dto.IncidentRef.class, functions::learn);
    register("escalate", Dto.EscalationRequest.class, functions::escalate);
    register("markFailed", Dto.FailureReport.class, functions::markFailed);
  }

  /** Audits the decision the decide function returned (and recorded on the incident), with every reason. */
  private Dto.Decided auditDecision(String incidentId, Dto.Decided decided) {
    String verdict = !decided.allowed ? "refused" : decided.requiresApproval ? "needs approval" : "auto";
    audit.append(new dev.reflex.domain.model.AuditEntry(options.clock().instant(), incidentId,
        dev.reflex.domain.model.AuditEntry.REFLEX, "decision." + verdict.replace(' ', '_'),
        dev.reflex.adapters.files.Redactor.redactAndTruncate(verdict + ", risk " + decided.riskLevel + ": "
            + String.join("; ", decided.reasoning == null ? java.util.List.of() : decided.reasoning), 2000)));
    return decided;
  }

  /** Maps JSON in and out the way Funqy does on Lambda, so the same function code runs here. */
  private <I, O> void register(String name, Class<I> inputType, Function<I, O> function) {
    runtime.registerHandler(name, (input, context) -> json.valueToTree(function.apply(json.treeToValue(input, inputType))));
  }

  // ---- ReflexApi -------------------------------------------------------------------------------

  @Override
  public IngestOutcome ingest(byte[] body) {
    AlertIntake.Result result = services.intake().accept(body);
    ObjectNode response = json.createObjectNode();
    response.set("incidents", json.valueToTree(result.incidents()));
    return new IngestOutcome(result.created(), response);
  }

  @Override
  public List<JsonNode> incidents(int limit) {
    List<JsonNode> out = new ArrayList<>();
    for (Incident incident : services.ports().incidents().recent(Math.max(1, Math.min(limit, 500)))) {
      out.add(Views.incidentSummary(json, incident));
    }
    return out;
  }

  @Override
  public JsonNode incident(String id) {
    Incident incident = services.ports().incidents().find(id)
        .orElseThrow(() -> new IncidentNotFoundException("no incident " + id));
    ObjectNode view = Views.incidentDetail(json, incident);
    Optional<Approval> approval = services.ports().approvals().findByIncident(id);
    approval.ifPresent(a -> view.set("approval", Views.approvalState(json, a)));
    ArrayNode consultations = view.putArray("consultations");
    for (dev.reflex.domain.model.ConsultationRecord record : ledger.byIncident(id)) {
      ObjectNode c = consultations.addObject();
      c.put("consultant", record.consultant());
      c.put("model", record.model());
      c.put("calls", record.calls());
      c.put("inputTokens", record.inputTokens());
      c.put("outputTokens", record.outputTokens());
      c.put("cacheReadTokens", record.cacheReadTokens());
      c.put("cacheWriteTokens", record.cacheWriteTokens());
      c.put("latencyMs", record.latencyMs());
      c.put("stopReason", record.stopReason());
      c.put("costUsd", record.costUsd());
      c.put("fallbackReason", record.fallbackReason());
      c.put("reusedFrom", record.reusedFrom());
      c.put("at", record.at().toString());
    }
    view.set("workflow", workflowView(id));
    return view;
  }

  private JsonNode workflowView(String incidentId) {
    ObjectNode workflow = json.createObjectNode();
    String arn = LocalWorkflow.executionArn(incidentId);
    workflow.put("executionArn", arn);
    try {
      ExecutionDescription description = runtime.describeExecution(arn);
      workflow.put("status", description.status().name());
      ArrayNode history = workflow.putArray("history");
      for (HistoryEvent event : runtime.getExecutionHistory(arn)) {
        ObjectNode e = history.addObject();
        e.put("id", event.id());
        e.put("timestamp", event.timestamp().toString());
        e.put("type", event.type());
        JsonNode name = event.details() == null ? null : event.details().get("name");
        if (name != null) {
          e.put("state", name.asText());
        }
      }
    } catch (ExecutionDoesNotExistException e) {
      workflow.put("status", "NOT_STARTED");
    }
    return workflow;
  }

  @Override
  public List<JsonNode> playbooks() {
    List<JsonNode> out = new ArrayList<>();
    for (Playbook playbook : services.ports().playbooks().list()) {
      out.add(Views.playbookSummary(json, playbook));
    }
    out.sort(java.util.Comparator.comparing(n -> n.path("id").asText()));
    return out;
  }

  @Override
  public ApprovalView approval(String approvalId, String approver, String signature) {
    return approvalView(services.approvals().view(approvalId, approver, signature), approver);
  }

  @Override
  public ApprovalView decide(String approvalId, String approver, String signature, boolean approve, String reason,
      dev.reflex.domain.model.ApprovalVote.Source source) {
    return approvalView(services.approvals().decide(approvalId, approver, signature, approve, reason, source),
        approver);
  }

  @Override
  public ApprovalView decideAsOperator(String incidentOrApprovalId, boolean approve, String actor, String reason) {
    String approvalId = incidentOrApprovalId;
    if (!incidentOrApprovalId.startsWith("apr-")) {
      approvalId = services.ports().approvals().findByIncident(incidentOrApprovalId)
          .map(Approval::id)
          .orElseThrow(() -> new ApprovalNotFoundException("no approval requested for " + incidentOrApprovalId));
    }
    return approvalView(services.approvals().decideAsOperator(approvalId, approve, actor, reason), actor);
  }

  private ApprovalView approvalView(Approval approval, String approver) {
    ObjectNode plan = json.createObjectNode();
    Incident incident = services.ports().incidents().find(approval.incidentId()).orElse(null);
    if (incident != null) {
      plan.put("incidentId", incident.id());
      plan.put("alert", incident.alert().alertName());
      plan.put("signature", incident.signature() == null ? null : incident.signature().toString());
      if (incident.decision() != null) {
        plan.put("riskLevel", incident.decision().riskLevel().wireName());
        plan.set("reasoning", json.valueToTree(incident.decision().reasoning()));
      }
      if (incident.playbookId() != null) {
        services.ports().playbooks().find(incident.playbookId()).ifPresent(playbook -> {
          plan.put("playbookId", playbook.id());
          plan.put("version", playbook.version());
          plan.put("source", playbook.source().wireName());
          plan.put("pendingReview", playbook.pendingReview());
          plan.put("confidence", playbook.stats().confidence());
          ArrayNode steps = plan.putArray("steps");
          for (PlaybookStep step : playbook.steps()) {
            ObjectNode s = steps.addObject();
            s.put("name", step.name());
            s.put("module", step.action().module());
            s.put("risk", services.classifier().classify(step.action()).wireName());
            s.put("rollback", step.rollback() == null ? null : step.rollback().name());
            s.put("verification", step.verification() == null ? null : step.verification().name());
          }
        });
      }
    }
    return ApprovalView.of(approval, approver, plan);
  }

  @Override
  public JsonNode health() {
    ObjectNode health = json.createObjectNode();
    health.put("status", "UP");
    health.put("store", options.inMemoryTables() ? "dynamodb-local (in memory)" : "dynamodb-local " + options.dataDir().resolve("dynamodb"));
    health.put("consultant", consultant.name());
    health.put("executor", services.ports().executor().name());
    health.put("stateMachine", "statemachines/remediation.asl.json");
    return health;
  }

  @Override
  public JsonNode llmStats() {
    return json.valueToTree(llmUsage.lastDays());
  }

  // ---- feedback and re-enabling (issue 6) ------------------------------------------------------

  @Override
  public JsonNode feedback(String incidentId, JsonNode body) {
    dev.reflex.domain.service.RecordFeedback record = services.recordFeedback();
    if (record == null) {
      return ReflexApi.super.feedback(incidentId, body);
    }
    return operatorActions().feedback(record, FeedbackRequest.parse(incidentId, body));
  }

  @Override
  public JsonNode enablePlaybook(String playbookId, String signature, String actor, String reason) {
    dev.reflex.domain.model.Signature parsed = signature == null ? null
        : dev.reflex.domain.service.ReenablePlaybook.signature(signature);
    dev.reflex.domain.service.ReenablePlaybook.Reenabled done =
        operatorActions().reenable(services.reenablePlaybook(), playbookId, parsed, actor, reason);
    ObjectNode view = (ObjectNode) Views.playbookSummary(json, done.playbook());
    if (parsed != null) {
      view.put("signature", parsed.toString());
    }
    view.put("reenabledBy", done.actor());
    view.put("reason", done.reason());
    view.put("reenabledAt", done.at().toString());
    return view;
  }

  @Override
  public List<JsonNode> audit(String incidentId) {
    return List.copyOf(operatorActions().auditTrail(incidentId));
  }

  private dev.reflex.lambda.operator.OperatorActions operatorActions() {
    return new dev.reflex.lambda.operator.OperatorActions(services.ports().incidents(), audit, json);
  }

  // ---- review of learned playbooks (issue 4) ---------------------------------------------------

  @Override
  public List<JsonNode> pullRequests() {
    List<JsonNode> out = new ArrayList<>();
    review.pullRequests().list().forEach(record -> out.add(dev.reflex.local.review.PullRequestViews.summary(record)));
    return out;
  }

  @Override
  public JsonNode pullRequest(String id) {
    return dev.reflex.local.review.PullRequestViews.detail(review.pullRequests().record(id));
  }

  /** Who changes configuration through the admin-token routes and commands of the embedded default. */
  static final String OPERATOR = "operator";

  @Override
  public JsonNode mergePullRequest(String id) {
    dev.reflex.local.review.LocalReview.Merged merged = review.merge(id);
    auditConfiguration("review.merged", "pull request " + merged.pullRequest().id() + " ("
        + merged.pullRequest().branch() + " into " + merged.pullRequest().targetBranch() + ") merged; "
        + dev.reflex.lambda.review.SyncAudit.detail("sync", merged.sync()));
    return dev.reflex.local.review.PullRequestViews.merged(merged);
  }

  @Override
  public JsonNode closePullRequest(String id, String reason) {
    dev.reflex.local.review.LocalReview.Closed closed = review.close(id, reason);
    auditConfiguration("review.closed", "pull request " + closed.pullRequest().id() + " ("
        + closed.pullRequest().branch() + ") closed: " + Objects.requireNonNullElse(reason, "") + "; "
        + dev.reflex.lambda.review.SyncAudit.detail("sync", closed.sync()));
    return dev.reflex.local.review.PullRequestViews.closed(closed);
  }

  @Override
  public JsonNode syncPlaybooks() {
    dev.reflex.domain.review.SyncPlaybooks.Report report = review.sync();
    if (!report.changes().isEmpty() || !report.problems().isEmpty()) {
      auditConfiguration("config.synced", dev.reflex.lambda.review.SyncAudit.detail("sync", report));
    }
    return dev.reflex.local.review.PullRequestViews.sync(report);
  }

  /** A configuration change belongs to no incident: it is kept under {@code system}. */
  private void auditConfiguration(String action, String detail) {
    audit.append(new dev.reflex.domain.model.AuditEntry(options.clock().instant(),
        dev.reflex.domain.model.AuditEntry.SYSTEM, OPERATOR, action,
        dev.reflex.adapters.files.Redactor.redactAndTruncate(detail, 3000)));
  }

  // ---- for the demo, tests and benchmarks -------------------------------------------------------

  /**
   * Waits until the incident's workflow has finished or paused: for approval, or in a Wait state
   * (polling commands, waiting for the alert to resolve).
   */
  public ExecutionDescription awaitWorkflow(String incidentId, Duration max) {
    return runtime.awaitQuiescent(LocalWorkflow.executionArn(incidentId), max);
  }

  /** Waits until the incident's workflow has finished (through its Wait states), or {@code max} has passed. */
  public ExecutionDescription awaitWorkflowEnd(String incidentId, Duration max) throws InterruptedException {
    String arn = LocalWorkflow.executionArn(incidentId);
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      ExecutionDescription description = runtime.awaitQuiescent(arn, left);
      if (description.status().isFinished() || left.isZero()) {
        return description;
      }
      Thread.sleep(Math.min(50, Math.max(1, left.toMillis())));
    }
  }

  public LocalStepFunctions runtime() {
    return runtime;
  }

  public ReflexServices services() {
    return services;
  }

  public PlaybookStore playbookStore() {
    return services.ports().playbooks();
  }

  /** How many times the consultant was asked (the demo shows a recurrence asks none). */
  public int consultations() {
    return consultant.calls();
  }

  /** Local pull requests over the playbook repository: list, merge (with tag and sync), close. */
  public dev.reflex.local.review.LocalReview review() {
    return review;
  }

  /** The metadata store, for call counts in benchmarks. */
  public LocalDynamoDb dynamo() {
    return dynamo;
  }

  public ObjectMapper json() {
    return json;
  }

  public Options options() {
    return options;
  }

  @Override
  public void close() {
    try {
      runtime.close();
    } finally {
      dynamo.close();
    }
  }

  static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  private static Path createDirs(Path dir) {
    try {
      return Files.createDirectories(dir).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
