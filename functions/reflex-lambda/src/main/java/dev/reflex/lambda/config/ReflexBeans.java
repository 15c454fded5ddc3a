package dev.reflex.lambda.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.adapters.dynamodb.DynamoDbApprovalStore;
import dev.reflex.adapters.dynamodb.DynamoDbIncidentStore;
import dev.reflex.adapters.dynamodb.DynamoDbPlaybookStore;
import dev.reflex.adapters.dynamodb.TableNames;
import dev.reflex.adapters.aws.LoggingSecretAccessAudit;
import dev.reflex.adapters.aws.SecretsManagerSecretsProvider;
import dev.reflex.adapters.aws.SesApprovalNotifier;
import dev.reflex.adapters.aws.SourceLocation;
import dev.reflex.adapters.aws.SsmExecutor;
import dev.reflex.adapters.aws.SsmExecutorConfig;
import dev.reflex.adapters.aws.TargetResolver;
import dev.reflex.adapters.files.DryRunExecutor;
import dev.reflex.domain.port.ApprovalNotifier;
import dev.reflex.domain.port.Executor;
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
import dev.reflex.lambda.aws.LogApprovalNotifier;
import dev.reflex.lambda.aws.SfnWorkflowCallbacks;
import dev.reflex.lambda.aws.SfnWorkflowStarter;
import dev.reflex.lambda.intake.AlertIntake;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Wires Reflex for AWS Lambda: DynamoDB tables, Step Functions callbacks, Secrets Manager, and the
 * playbook repository cloned into the function's /tmp. Tests replace {@link ReflexServices.Ports}
 * with in-memory fakes; nothing else changes.
 */
public class ReflexBeans {

  @Produces
  @Singleton
  ReflexServices.Ports ports(
      @ConfigProperty(name = "reflex.tables.prefix", defaultValue = "reflex-") String tablePrefix,
      @ConfigProperty(name = "reflex.state-machine-arn", defaultValue = "arn:aws:states:us-east-1:000000000000:stateMachine:reflex-remediation") String stateMachineArn,
      @ConfigProperty(name = "reflex.playbook-repo.uri", defaultValue = "file:///var/task/playbooks.git") String repoUri,
      @ConfigProperty(name = "reflex.playbook-repo.branch", defaultValue = "main") String repoBranch,
      @ConfigProperty(name = "reflex.secrets.prefix", defaultValue = "reflex/") String secretsPrefix,
      @ConfigProperty(name = "reflex.executor", defaultValue = "dry-run") String executorKind,
      @ConfigProperty(name = "reflex.ssm.source.s3.bucket") Optional<String> playbookBucket,
      @ConfigProperty(name = "reflex.ssm.source.s3.key-prefix", defaultValue = "playbooks") String playbookPrefix,
      @ConfigProperty(name = "reflex.ssm.check", defaultValue = "true") boolean ssmCheck,
      @ConfigProperty(name = "reflex.approval.notifier", defaultValue = "log") String notifierKind,
      @ConfigProperty(name = "reflex.approval.ses.from") Optional<String> sesFrom,
      @ConfigProperty(name = "reflex.approval.ses.approvers") Optional<java.util.List<String>> sesApprovers) {
    DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    SfnClient sfn = SfnClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    SecretsManagerClient secrets =
        SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    TableNames tables = TableNames.withPrefix(tablePrefix);
    Path checkout = Path.of(System.getProperty("java.io.tmpdir"), "reflex-playbooks");
    JGitPlaybookRepository repository =
        new JGitPlaybookRepository(new GitRepositoryConfig(checkout, repoUri, repoBranch, Optional.empty()));
    SfnWorkflowCallbacks callbacks = new SfnWorkflowCallbacks(sfn);
    Path catalogDir = cloneCatalog(repoUri, repoBranch);
    Executor executor = switch (executorKind) {
      case "dry-run" -> new DryRunExecutor();
      case "ssm" -> new SsmExecutor(software.amazon.awssdk.services.ssm.SsmClient.builder()
              .httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
          SsmExecutorConfig.checkMode(
                  new SourceLocation.S3(playbookBucket.orElseThrow(() -> new IllegalStateException(
                      "reflex.ssm.source.s3.bucket is required with reflex.executor=ssm")), playbookPrefix,
                      System.getenv().getOrDefault("AWS_REGION", "us-east-1"), "."),
                  TargetResolver.load(catalogDir.resolve("targets.yml")))
              .withCheck(ssmCheck));
      default -> throw new IllegalStateException("reflex.executor must be dry-run or ssm: " + executorKind);
    };
    ApprovalNotifier notifier = switch (notifierKind) {
      case "log" -> new LogApprovalNotifier();
      case "ses" -> new SesApprovalNotifier(software.amazon.awssdk.services.sesv2.SesV2Client.builder()
              .httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
          new SesApprovalNotifier.Config(sesFrom.orElseThrow(() -> new IllegalStateException(
              "reflex.approval.ses.from is required with reflex.approval.notifier=ses")),
              sesApprovers.orElse(java.util.List.of()), null));
      default -> throw new IllegalStateException("reflex.approval.notifier must be log or ses: " + notifierKind);
    };
    return new ReflexServices.Ports(
        new DynamoDbIncidentStore(dynamo, tables.incidents()),
        new DynamoDbPlaybookStore(dynamo, tables.playbooks()),
        new DynamoDbApprovalStore(dynamo, tables.approvals()),
        new FilePlaybookCatalog(catalogDir),
        repository,
        new OfflineCatalogConsultant(),
        executor,
        callbacks,
        new SfnWorkflowStarter(sfn, stateMachineArn),
        notifier,
        new PrefixedSecrets(new SecretsManagerSecretsProvider(secrets, new LoggingSecretAccessAudit()), secretsPrefix),
        Clock.systemUTC());
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

  /** Secrets of one deployment live under its prefix (the stack name) in Secrets Manager. */
  record PrefixedSecrets(dev.reflex.domain.port.SecretsProvider delegate, String prefix)
      implements dev.reflex.domain.port.SecretsProvider {
    @Override
    public byte[] secret(String name) {
      return delegate.secret(prefix + name);
    }
  }

  @Produces
  @Singleton
  ReflexServices services(
      ReflexServices.Ports ports,
      @ConfigProperty(name = "reflex.match.threshold", defaultValue = "0.8") double matchThreshold,
      @ConfigProperty(name = "reflex.auto-remediation.enabled", defaultValue = "false") boolean autoRemediation,
      @ConfigProperty(name = "reflex.approval.auto-approve-min-confidence", defaultValue = "0.9") double minConfidence,
      @ConfigProperty(name = "reflex.approval.base-url", defaultValue = "http://127.0.0.1:8080") String baseUrl) {
    return new ReflexServices(ports, new ReflexServices.Settings(matchThreshold, autoRemediation, minConfidence, baseUrl));
  }

  @Produces DetectAnomaly detectAnomaly(ReflexServices s) { return s.detectAnomaly(); }
  @Produces MatchPlaybook matchPlaybook(ReflexServices s) { return s.matchPlaybook(); }
  @Produces ConsultForPlaybook consultForPlaybook(ReflexServices s) { return s.consultForPlaybook(); }
  @Produces DecideRemediation decideRemediation(ReflexServices s) { return s.decideRemediation(); }
  @Produces RequestApproval requestApproval(ReflexServices s) { return s.requestApproval(); }
  @Produces ExecutePlaybook executePlaybook(ReflexServices s) { return s.executePlaybook(); }
  @Produces LearnFromOutcome learnFromOutcome(ReflexServices s) { return s.learnFromOutcome(); }
  @Produces CloseIncident closeIncident(ReflexServices s) { return s.closeIncident(); }
  @Produces AlertIntake alertIntake(ReflexServices s) { return s.intake(); }
}
