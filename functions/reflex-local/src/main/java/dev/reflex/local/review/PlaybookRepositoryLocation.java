package dev.reflex.local.review;

import dev.reflex.adapters.git.GitRepositoryConfig;
import dev.reflex.adapters.git.PlaybookRepositories;
import dev.reflex.domain.port.SecretsProvider;
import dev.reflex.lambda.review.ReviewWiring;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Which playbook repository the embedded default works with. By default a local bare repository,
 * {@code <data>/playbooks.git}, created from {@code playbook-repo-template/} at first start; with
 * {@value #URI} (system property, else {@code REFLEX_PLAYBOOK_REPO_URI}) the repository a user
 * copied the template into, e.g. {@code file:///srv/git/playbooks.git} or an HTTPS URL whose
 * credentials come through the secrets port ({@value ReviewWiring#GIT_USER} and the secret named by
 * {@value ReviewWiring#TOKEN_SECRET}: a file in {@code <data>/secrets/} or
 * {@code REFLEX_SECRET_<NAME>}).
 *
 * @param config where drafts are pushed and what sync reads
 * @param catalog the folder the catalog, detection rules and policies are read from: the template
 *     for the local bare repository, else a checkout of the configured repository's target branch
 */
public record PlaybookRepositoryLocation(GitRepositoryConfig config, Path catalog) {

  public static final String URI = "reflex.playbook-repo.uri";
  public static final String BRANCH = "reflex.playbook-repo.branch";

  /**
   * @param workDir the clone this process commits in (one per process)
   */
  public static PlaybookRepositoryLocation resolve(Path home, Path data, Path workDir, SecretsProvider secrets) {
    Optional<String> uri = setting(URI);
    if (uri.isEmpty()) {
      Path bare = data.resolve("playbooks.git");
      Path template = home.resolve("playbook-repo-template");
      PlaybookRepositories.initBare(bare, template);
      return new PlaybookRepositoryLocation(GitRepositoryConfig.anonymous(workDir, bare.toUri().toString(),
          PlaybookRepositories.MAIN), template);
    }
    String branch = setting(BRANCH).orElse(PlaybookRepositories.MAIN);
    GitRepositoryConfig config = new GitRepositoryConfig(workDir, uri.get(), branch,
        new ReviewWiring(PlaybookRepositoryLocation::setting, secrets).gitCredentials());
    Path catalog = data.resolve("playbooks-catalog");
    PlaybookRepositories.checkoutTarget(config, catalog);
    return new PlaybookRepositoryLocation(config, catalog);
  }

  /** A system property, else the environment variable of the same name in upper case with {@code _}. */
  static Optional<String> setting(String key) {
    String value = System.getProperty(key);
    if (value == null) {
      value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
  }
}
