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
import dev.reflex.lambda.aws.LogApprovalNotifier;
import dev.reflex.lambda.aws.SecretsManagerSecretsProvider;
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
      @ConfigProperty(name = "reflex.secrets.prefix", defaultValue = "reflex/") String secretsPrefix) {
    DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    SfnClient sfn = SfnClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    SecretsManagerClient secrets =
        SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    TableNames tables = TableNames.withPrefix(tablePrefix);
    SfnWorkflowCallbacks callbacks = new SfnWorkflowCallbacks(sfn);
    SecretsManagerSecretsProvider secretsProvider = new SecretsManagerSecretsProvider(secrets, secretsPrefix);
    Path checkout = Path.of(System.getProperty("java.io.tmpdir"), "reflex-playbooks");
    // Git HTTPS credentials come from Secrets Manager at each fetch and push (review provider's token)
    JGitPlaybookRepository repository = new JGitPlaybookRepository(new GitRepositoryConfig(checkout, repoUri,
        repoBranch, dev.reflex.lambda.review.ReviewBeans.gitCredentials(secretsProvider)));
    DynamoDbIncidentStore incidents = new DynamoDbIncidentStore(dynamo, tables.incidents());
    Clock clock = Clock.systemUTC();
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
    return new ReflexServices.Ports(
        incidents,
        new DynamoDbPlaybookStore(dynamo, tables.playbooks()),
        new DynamoDbApprovalStore(dynamo, tables.approvals()),
        new FilePlaybookCatalog(cloneCatalog(repoUri, repoBranch)),
        repository,
        consultant,
        new DryRunExecutor(),
        callbacks,
        new SfnWorkflowStarter(sfn, stateMachineArn),
        new LogApprovalNotifier(),
        secretsProvider,
        clock);
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

  @Produces
  @Singleton
  ReflexServices services(
      ReflexServices.Ports ports,
      @ConfigProperty(name = "reflex.match.threshold", defaultValue = "0.8") double matchThreshold,
      @ConfigProperty(name = "reflex.auto-remediation.enabled", defaultValue = "false") boolean autoRemediation,
      @ConfigProperty(name = "reflex.approval.auto-approve-min-confidence", defaultValue = "0.9") double minConfidence,
      @ConfigProperty(name = "reflex.approval.base-url", defaultValue = "http://127.0.0.1:8080") String baseUrl,
      ReflexServices.Review review) {
    return new ReflexServices(ports, new ReflexServices.Settings(matchThreshold, autoRemediation, minConfidence, baseUrl),
        null, review);
  }

  @Produces DetectAnomaly detectAnomaly(ReflexServices s) { return s.detectAnomaly(); }
  @Produces MatchPlaybook matchPlaybook(ReflexServices s) { return s.matchPlaybook(); }
  @Produces ConsultForPlaybook consultForPlaybook(ReflexServices s) { return s.consultForPlaybook(); }
  @Produces DecideRemediation decideRemediation(ReflexServices s) { return s.decideRemediation(); }
  @Produces RequestApproval requestApproval(ReflexServices s) { return s.requestApproval(); }
  @Produces ExecutePlaybook executePlaybook(ReflexServices s) { return s.executePlaybook(); }
  @Produces LearnFromOutcome learnFromOutcome(ReflexServices s) { return s.learnFromOutcome(); }
  @Produces dev.reflex.domain.service.CheckAlertResolution checkAlertResolution(ReflexServices s) {
    return s.checkAlertResolution();
  }
  @Produces CloseIncident closeIncident(ReflexServices s) { return s.closeIncident(); }
  @Produces AlertIntake alertIntake(ReflexServices s) { return s.intake(); }
}
