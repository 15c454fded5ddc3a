package dev.reflex.lambda.review;

import dev.reflex.adapters.git.GitRepositoryConfig;
import dev.reflex.adapters.git.JGitPlaybookRepository;
import dev.reflex.adapters.git.JGitReviewedPlaybooks;
import dev.reflex.adapters.pullrequests.CodeCommitPullRequestProvider;
import dev.reflex.domain.port.SecretsProvider;
import dev.reflex.lambda.config.ReflexServices;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Wires review on AWS: the pull-request provider chosen by {@value ReviewWiring#PROVIDER}, sync's
 * view of the target branch (its own clone in /tmp), and the webhook's verifier, every secret
 * read through the secrets port ({@link ReviewWiring}).
 */
public class ReviewBeans {

  /** A configuration key's value, as MicroProfile Config resolves it (system property, then environment). */
  public static Optional<String> config(String key) {
    return ConfigProvider.getConfig().getOptionalValue(key, String.class);
  }

  /** Git HTTPS credentials for the playbook repository, read through {@code secrets} at each fetch and push. */
  public static Optional<java.util.function.Supplier<GitRepositoryConfig.Credentials>> gitCredentials(
      SecretsProvider secrets) {
    return new ReviewWiring(ReviewBeans::config, secrets).gitCredentials();
  }

  @Produces
  @Singleton
  ReflexServices.Review review(
      ReflexServices.Ports ports,
      @ConfigProperty(name = "reflex.playbook-repo.uri", defaultValue = "file:///var/task/playbooks.git") String repoUri,
      @ConfigProperty(name = "reflex.playbook-repo.branch", defaultValue = "main") String repoBranch) {
    ReviewWiring wiring = new ReviewWiring(ReviewBeans::config, ports.secrets());
    Path clone = Path.of(System.getProperty("java.io.tmpdir"), "reflex-review");
    JGitPlaybookRepository target = new JGitPlaybookRepository(
        new GitRepositoryConfig(clone, repoUri, repoBranch, wiring.gitCredentials()));
    return new ReflexServices.Review(new JGitReviewedPlaybooks(target),
        wiring.pullRequests(ReviewWiring.http(), () -> CodeCommitPullRequestProvider.clientBuilder(
            new DefaultAwsRegionProviderChain().getRegion()).build()).orElse(null),
        repoBranch);
  }

  @Produces
  @Singleton
  ReviewWebhook webhook(
      ReflexServices.Ports ports,
      @ConfigProperty(name = "reflex.playbook-repo.branch", defaultValue = "main") String repoBranch) {
    ReviewWiring wiring = new ReviewWiring(ReviewBeans::config, ports.secrets());
    return new ReviewWebhook(wiring.provider(), wiring.webhookSecret(), repoBranch);
  }
}
