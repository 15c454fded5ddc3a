package dev.reflex.lambda.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.adapters.dynamodb.DynamoDbApprovalStore;
import dev.reflex.adapters.dynamodb.DynamoDbIncidentStore;
import dev.reflex.adapters.dynamodb.DynamoDbPlaybookStore;
import dev.reflex.adapters.dynamodb.TableNames;
import dev.reflex.adapters.files.DryRunExecutor;
import dev.reflex.adapters.files.FilePlaybookCatalog;
import dev.reflex.adapters.files.OfflineCatalogConsultant;
import dev.reflex.adapters.git.GitRepositoryConfig;
import dev.reflex.adapters.git.JGitPlaybookRepository;
import dev.reflex.domain.service.CloseIncident;
import dev.reflex.domain.service.ConsultForPlaybook;
import dev.reflex.domain.service.DecideRemediation;
import dev.reflex.domain.service.DetectAnomaly;
import dev.reflex.domain.service.ExecutePlaybook;
import dev.reflex.domain.service.LearnFromOutcome;
import dev.reflex.domain.service.MatchPlaybook;
import dev.reflex.domain.service.RequestApproval;
import dev.reflex.adapters.aws.SecretsManagerSecretsProvider;
import dev.reflex.adapters.aws.SesApprovalNotifier;
import dev.reflex.adapters.aws.SourceLocation;
import dev.reflex.adapters.aws.SsmExecutor;
import dev.reflex.adapters.aws.SsmExecutorConfig;
import dev.reflex.adapters.aws.TargetResolver;
import dev.reflex.adapters.aws.WebhookApprovalNotifier;
import dev.reflex.adapters.dynamodb.DynamoDbAuditLog;
import dev.reflex.domain.port.ApprovalNotifier;
import dev.reflex.domain.port.ApprovalStore;
import dev.reflex.domain.port.AuditLog;
import dev.reflex.domain.port.Executor;
import dev.reflex.domain.port.SecretsProvider;
import dev.reflex.domain.port.WorkflowCallbacks;
import dev.reflex.domain.service.ResolveApproval;
import dev.reflex.lambda.audit.AuditTrailSecretAccess;
import dev.reflex.lambda.audit.AuditingApprovalStore;
import dev.reflex.lambda.audit.AuditingExecutor;
import dev.reflex.lambda.audit.AuditingWorkflowCallbacks;
import dev.reflex.lambda.aws.LogApprovalNotifier;
import dev.reflex.lambda.aws.SfnWorkflowCallbacks;
import dev.reflex.lambda.aws.SfnWorkflowStarter;
import dev.reflex.lambda.intake.AlertIntake;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Wires Reflex for AWS Lambda: DynamoDB tables, Step Functions callbacks, audited Secrets Manager
 * reads, SES approval e-mails, the append-only audit table, the executor chosen by configuration
 * (every pass audited), and the playbook repository cloned into the function's /tmp. Tests
 * replace {@link ReflexServices.Ports} with in-memory fakes; nothing else changes.
 */
public class ReflexBeans {

  private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ReflexBeans.class);

  /**
   * The adapters on AWS, chosen by configuration: {@code reflex.approval.notifier} ({@code log} or
   * {@code ses}, plus the chat heads-up when {@code reflex.approval.webhook.url-secret} is set),
   * {@code reflex.executor} ({@code dry-run} or {@code ssm}). Approvals, task releases and secret
   * reads are written to the append-only audit table {@code reflex.audit.table}.
   */
  /**
   * The append-only audit trail ({@code reflex.audit.table}, else {@code <prefix>audit}): approvals,
   * task releases, secret reads, commands and configuration changes (syncs of the playbook
   * repository) are appended to it; nothing updates or deletes.
   */
  @Produces
  @Singleton
  AuditLog auditLog(
      @ConfigProperty(name = "reflex.tables.prefix", defaultValue = "reflex-") String tablePrefix,
      @ConfigProperty(name = "reflex.audit.table") Optional<String> auditTable) {
    return new DynamoDbAuditLog(DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
        auditTable.orElse(tablePrefix + "audit"));
  }

  @Produces
  @Singleton
  ReflexServices.Ports ports(
      @ConfigProperty(name = "reflex.tables.prefix", defaultValue = "reflex-") String tablePrefix,
      @ConfigProperty(name = "reflex.state-machine-arn", defaultValue = "arn:aws:states:us-east-1:000000000000:stateMachine:reflex-remediation") String stateMachineArn,
      @ConfigProperty(name = "reflex.playbook-repo.uri", defaultValue = "file:///var/task/playbooks.git") String repoUri,
      @ConfigProperty(name = "reflex.playbook-repo.branch", defaultValue = "main") String repoBranch,
      @ConfigProperty(name = "reflex.secrets.prefix", defaultValue = "reflex/") String secretsPrefix,
      @ConfigProperty(name = "reflex.approval.notifier", defaultValue = "log") String notifierKind,
      @ConfigProperty(name = "reflex.approval.ses.from") Optional<String> sesFrom,
      @ConfigProperty(name = "reflex.approval.ses.configuration-set") Optional<String> sesConfigurationSet,
      @ConfigProperty(name = "reflex.approval.webhook.url-secret") Optional<String> webhookSecret,
      @ConfigProperty(name = "reflex.approval.webhook.flavor", defaultValue = "slack") String webhookFlavor,
      @ConfigProperty(name = "reflex.executor", defaultValue = "dry-run") String executorKind,
      @ConfigProperty(name = "reflex.ssm.source.s3.bucket") Optional<String> playbookBucket,
      @ConfigProperty(name = "reflex.ssm.source.s3.key-prefix", defaultValue = "") String playbookPrefix,
      @ConfigProperty(name = "reflex.ssm.check", defaultValue = "true") boolean ssmCheck,
      @ConfigProperty(name = "reflex.ssm.document-pass") Optional<String> ssmPassDocument,
      AuditLog audit) {
    DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    SfnClient sfn = SfnClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    SecretsManagerClient secretsManager =
        SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    TableNames tables = TableNames.withPrefix(tablePrefix);
    Clock clock = Clock.systemUTC();
    ApprovalStore approvals = new AuditingApprovalStore(new DynamoDbApprovalStore(dynamo, tables.approvals()), audit,
        clock);
    WorkflowCallbacks callbacks = new AuditingWorkflowCallbacks(new SfnWorkflowCallbacks(sfn), audit,
        approvalId -> approvals.find(approvalId).map(dev.reflex.domain.model.Approval::incidentId), clock);
    SecretsProvider secretsProvider = new PrefixedSecrets(
        new SecretsManagerSecretsProvider(secretsManager, new AuditTrailSecretAccess(audit), clock), secretsPrefix);
    Path checkout = Path.of(System.getProperty("java.io.tmpdir"), "reflex-playbooks");
    // Git HTTPS credentials come from Secrets Manager at each fetch and push (review provider's token)
    JGitPlaybookRepository repository = new JGitPlaybookRepository(new GitRepositoryConfig(checkout, repoUri,
        repoBranch, dev.reflex.lambda.review.ReviewBeans.gitCredentials(secretsProvider)));
    DynamoDbIncidentStore incidents = new DynamoDbIncidentStore(dynamo, tables.incidents());
    dev.reflex.adapters.dynamodb.DynamoDbConsultationLog ledger =
        new dev.reflex.adapters.dynamodb.DynamoDbConsultationLog(dynamo, tables.consultations());
    // offline unless reflex.consultant.provider (REFLEX_CONSULTANT_PROVIDER) names bedrock or openai-compatible
    dev.reflex.domain.port.Consultant chosen = dev.reflex.adapters.llm.ConsultantFactory.fromConfig(
        dev.reflex.adapters.llm.ConsultantFactory.configFrom(System.getProperties(), System.getenv()),
        secretsProvider, new OfflineCatalogConsultant());
    dev.reflex.domain.port.Consultant consultant = new dev.reflex.domain.consult.HistoryAwareConsultant(
        new dev.reflex.domain.consult.SingleFlightConsultant(
            new dev.reflex.domain.consult.MeteringConsultant(chosen, ledger, clock),
            new dev.reflex.adapters.dynamodb.DynamoDbConsultationLease(dynamo, tables.consultations(), clock),
            ledger, clock, java.time.Duration.ofMinutes(3), java.time.Duration.ofMinutes(4)),
        incidents, 200);
    Path catalogDir = cloneCatalog(repoUri, repoBranch);
    return new ReflexServices.Ports(
        incidents,
        new DynamoDbPlaybookStore(dynamo, tables.playbooks()),
        approvals,
        new FilePlaybookCatalog(catalogDir),
        repository,
        consultant,
        // every pass is audited: the commands sent and their output, redacted and truncated
        new AuditingExecutor(
            executor(executorKind, catalogDir, playbookBucket, playbookPrefix, ssmCheck, ssmPassDocument, incidents,
                playbook -> repository.readFile(playbook.commitSha(),
                    SourceLocation.playbookFolder(playbook) + "/" + SsmExecutor.PLAYBOOK_FILE).orElse(null)),
            audit, clock),
        callbacks,
        new SfnWorkflowStarter(sfn, stateMachineArn),
        notifier(notifierKind, sesFrom, sesConfigurationSet, webhookSecret, webhookFlavor, secretsProvider),
        secretsProvider,
        clock);
  }

  /**
   * {@code dry-run} (default) or {@code ssm}: Systems Manager runs the reviewed playbook from S3 at
   * its commit, in check mode unless {@code reflex.ssm.check=false}, on the instances the catalog's
   * {@code targets.yml} names, at the rate its policy for the incident sets ({@code max_concurrency},
   * {@code max_errors}). With {@code reflex.ssm.document-pass} (the stack's own document) each pass
   * is a command of its own selecting its tasks by tag, rollbacks included; {@code playbookContent}
   * is the play at its commit, read so that a rollback pass selects its per-step tags.
   */
  static Executor executor(String kind, Path catalogDir, Optional<String> bucket, String keyPrefix, boolean check,
      Optional<String> passDocument, dev.reflex.domain.port.IncidentStore incidents,
      java.util.function.Function<dev.reflex.domain.model.Playbook, String> playbookContent) {
    return switch (kind) {
      case "dry-run" -> new DryRunExecutor();
      case "ssm" -> new SsmExecutor(SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
          SsmExecutorConfig.checkMode(new SourceLocation.S3(bucket.orElseThrow(() -> new IllegalStateException(
                  "reflex.ssm.source.s3.bucket is required with reflex.executor=ssm")), keyPrefix,
                  System.getenv().getOrDefault("AWS_REGION", "us-east-1"), ""),
              TargetResolver.load(catalogDir.resolve("targets.yml"))).withCheck(check)
              .withPassDocument(passDocument.filter(name -> !name.isBlank()).orElse(null)))
          .withRateControl(new dev.reflex.adapters.aws.PolicyRateControl(
              new dev.reflex.adapters.files.FilePolicySource(catalogDir), incidents))
          .withPlaybookContent(playbookContent);
      default -> throw new IllegalStateException("reflex.executor must be dry-run or ssm: " + kind);
    };
  }

  /**
   * {@code log} (default: names the approval and its approvers, never a link) or {@code ses} (one
   * e-mail per approver with their own link); with {@code reflex.approval.webhook.url-secret} a
   * Slack or Teams channel also gets a heads-up without links.
   */
  static ApprovalNotifier notifier(String kind, Optional<String> sesFrom, Optional<String> configurationSet,
      Optional<String> webhookSecret, String flavor, SecretsProvider secrets) {
    ApprovalNotifier primary = switch (kind) {
      case "log" -> new LogApprovalNotifier();
      case "ses" -> new SesApprovalNotifier(
          SesV2Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
          new SesApprovalNotifier.Config(sesFrom.orElseThrow(() -> new IllegalStateException(
              "reflex.approval.ses.from is required with reflex.approval.notifier=ses")),
              configurationSet.orElse(null)));
      default -> throw new IllegalStateException("reflex.approval.notifier must be log or ses: " + kind);
    };
    if (webhookSecret.isEmpty()) {
      return primary;
    }
    ApprovalNotifier channel = new WebhookApprovalNotifier(java.net.http.HttpClient.newHttpClient(), secrets,
        webhookSecret.get(), WebhookApprovalNotifier.Flavor.valueOf(flavor.toUpperCase(java.util.Locale.ROOT)),
        java.time.Duration.ofSeconds(10));
    return notice -> {
      primary.approvalRequested(notice);
      try {
        channel.approvalRequested(notice);
      } catch (RuntimeException e) {
        // the heads-up is a courtesy: the approvers have their links, the workflow waits for them
        LOG.warnf("the approval heads-up for %s could not be posted: %s", notice.approvalId(),
            e.getClass().getSimpleName());
      }
    };
  }

  /** Secrets of one deployment live under its prefix (the stack name) in Secrets Manager. */
  record PrefixedSecrets(SecretsProvider delegate, String prefix) implements SecretsProvider {
    @Override
    public byte[] secret(String name) {
      return delegate.secret(prefix + name);
    }
  }

  /**
   * The reviewed catalog is what the target branch holds: a shallow clone of it into /tmp at cold
   * start (drafts on learned/ branches are never read as catalog).
   */
  static Path cloneCatalog(String uri, String branch) {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "reflex-catalog");
    if (java.nio.file.Files.isDirectory(dir.resolve(".git"))) {
      return dir;
    }
    try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.cloneRepository()
        .setURI(uri).setBranch(branch).setDepth(1).setDirectory(dir.toFile()).call()) {
      return dir;
    } catch (org.eclipse.jgit.api.errors.GitAPIException e) {
      throw new IllegalStateException("cannot clone the playbook repository's " + branch + " branch", e);
    }
  }

  /**
   * Whether decisions go through the policy engine, and its inputs when they do. {@code null}
   * governance: the minimal built-in policy applies (auto-remediation off, approval for any write).
   */
  public record GovernanceChoice(ReflexServices.Governance governance) {

    public static GovernanceChoice off() {
      return new GovernanceChoice(null);
    }

    public boolean on() {
      return governance != null;
    }
  }

  /** The three tables the policy engine keeps its state in. */
  public record GovernanceTables(String counters, String feedback, String outcomes) {}

  /**
   * The policy engine on AWS, on by default once its tables are configured ({@code reflex.counters.table},
   * {@code reflex.feedback.table}, {@code reflex.outcomes.table}); {@code reflex.governance.enabled=false}
   * turns it off. Policies are the reviewed {@code policies/*.yml} of the playbook repository's
   * target branch, as cloned at cold start (the catalog's checkout).
   */
  @Produces
  @Singleton
  GovernanceChoice governance(
      @ConfigProperty(name = "reflex.governance.enabled", defaultValue = "true") boolean enabled,
      @ConfigProperty(name = "reflex.counters.table") Optional<String> countersTable,
      @ConfigProperty(name = "reflex.feedback.table") Optional<String> feedbackTable,
      @ConfigProperty(name = "reflex.outcomes.table") Optional<String> outcomesTable,
      @ConfigProperty(name = "reflex.playbook-repo.uri", defaultValue = "file:///var/task/playbooks.git") String repoUri,
      @ConfigProperty(name = "reflex.playbook-repo.branch", defaultValue = "main") String repoBranch,
      ReflexServices.Ports ports) {
    return governance(enabled, countersTable, feedbackTable, outcomesTable).map(tables -> {
      DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
      return new GovernanceChoice(governance(tables, dynamo, cloneCatalog(repoUri, repoBranch), ports.clock()));
    }).orElseGet(GovernanceChoice::off);
  }

  /**
   * The governance tables when the policy engine is on: all three named, or none (off).
   *
   * @throws IllegalStateException naming the missing property when only some tables are configured
   */
  public static Optional<GovernanceTables> governance(boolean enabled, Optional<String> counters, Optional<String> feedback,
      Optional<String> outcomes) {
    List<Optional<String>> named = List.of(counters, feedback, outcomes);
    if (!enabled || named.stream().allMatch(table -> table.filter(t -> !t.isBlank()).isEmpty())) {
      return Optional.empty();
    }
    String[] properties = {"reflex.counters.table", "reflex.feedback.table", "reflex.outcomes.table"};
    for (int i = 0; i < properties.length; i++) {
      if (named.get(i).filter(t -> !t.isBlank()).isEmpty()) {
        throw new IllegalStateException(properties[i] + " is required once any governance table is configured"
            + " (or set reflex.governance.enabled=false)");
      }
    }
    return Optional.of(new GovernanceTables(counters.get(), feedback.get(), outcomes.get()));
  }

  /** The policy engine's adapters: policies from {@code policyRoot}/policies, state in DynamoDB. */
  static ReflexServices.Governance governance(GovernanceTables tables, DynamoDbClient dynamo, Path policyRoot,
      Clock clock) {
    return new ReflexServices.Governance(
        new dev.reflex.adapters.files.FilePolicySource(policyRoot),
        new dev.reflex.adapters.dynamodb.DynamoDbActionCounters(dynamo, tables.counters(), clock),
        new dev.reflex.adapters.dynamodb.DynamoDbFeedbackStore(dynamo, tables.feedback()),
        new dev.reflex.adapters.dynamodb.DynamoDbOutcomeHistory(dynamo, tables.outcomes()));
  }

  @Produces
  @Singleton
  ReflexServices services(
      ReflexServices.Ports ports,
      GovernanceChoice governance,
      @ConfigProperty(name = "reflex.match.threshold", defaultValue = "0.8") double matchThreshold,
      @ConfigProperty(name = "reflex.auto-remediation.enabled", defaultValue = "false") boolean autoRemediation,
      @ConfigProperty(name = "reflex.approval.auto-approve-min-confidence", defaultValue = "0.9") double minConfidence,
      @ConfigProperty(name = "reflex.approval.base-url", defaultValue = "http://127.0.0.1:8080") String baseUrl,
      @ConfigProperty(name = "reflex.approval.approvers") Optional<List<String>> approvers,
      ReflexServices.Review review) {
    return new ReflexServices(ports, new ReflexServices.Settings(matchThreshold, autoRemediation, minConfidence, baseUrl,
        approvers.orElse(List.of())), governance.governance(), review);
  }

  @Produces DetectAnomaly detectAnomaly(ReflexServices s) { return s.detectAnomaly(); }
  @Produces MatchPlaybook matchPlaybook(ReflexServices s) { return s.matchPlaybook(); }
  @Produces ConsultForPlaybook consultForPlaybook(ReflexServices s) { return s.consultForPlaybook(); }
  @Produces DecideRemediation decideRemediation(ReflexServices s) { return s.decideRemediation(); }
  @Produces RequestApproval requestApproval(ReflexServices s) { return s.requestApproval(); }
  @Produces ResolveApproval resolveApproval(ReflexServices s) { return s.approvals(); }
  @Produces ExecutePlaybook executePlaybook(ReflexServices s) { return s.executePlaybook(); }
  @Produces LearnFromOutcome learnFromOutcome(ReflexServices s) { return s.learnFromOutcome(); }
  @Produces dev.reflex.domain.service.CheckAlertResolution checkAlertResolution(ReflexServices s) {
    return s.checkAlertResolution();
  }
  @Produces CloseIncident closeIncident(ReflexServices s) { return s.closeIncident(); }
  @Produces AlertIntake alertIntake(ReflexServices s) { return s.intake(); }
}
