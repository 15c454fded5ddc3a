package dev.reflex.lambda.review;

import dev.reflex.adapters.git.GitRepositoryConfig;
import dev.reflex.adapters.pullrequests.CodeCommitPullRequestProvider;
import dev.reflex.adapters.pullrequests.GitHubConfig;
import dev.reflex.adapters.pullrequests.GitHubPullRequestProvider;
import dev.reflex.adapters.pullrequests.GitLabConfig;
import dev.reflex.adapters.pullrequests.GitLabMergeRequestProvider;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.error.SecretNotFoundException;
import dev.reflex.domain.port.PullRequestProvider;
import dev.reflex.domain.port.SecretsProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which hosting service reviews learned playbooks, from configuration, with every credential read
 * through the secrets port at the moment it is used (so a rotated secret applies at once) and
 * never kept in a field, a message or a {@code toString}.
 *
 * <table>
 *   <caption>Keys (environment variables: upper case with {@code _})</caption>
 *   <tr><td>{@value #PROVIDER}</td><td>{@code none} (default), {@code github}, {@code gitlab} or {@code codecommit}</td></tr>
 *   <tr><td>{@value #GITHUB_OWNER}, {@value #GITHUB_REPO}, {@value #GITHUB_API}</td><td>the GitHub repository</td></tr>
 *   <tr><td>{@value #GITLAB_PROJECT}, {@value #GITLAB_API}</td><td>the GitLab project (id or path)</td></tr>
 *   <tr><td>{@value #CODECOMMIT_REPOSITORY}</td><td>the CodeCommit repository name</td></tr>
 *   <tr><td>{@value #TOKEN_SECRET}</td><td>secret holding the API token, also the Git HTTPS password</td></tr>
 *   <tr><td>{@value #GIT_USER}</td><td>Git HTTPS user; default {@code x-access-token} (GitHub), {@code oauth2} (GitLab)</td></tr>
 *   <tr><td>{@value #WEBHOOK_SECRET}</td><td>secret holding the webhook's signing secret (GitHub) or token (GitLab)</td></tr>
 * </table>
 */
public final class ReviewWiring {

  public static final String PROVIDER = "reflex.review.provider";
  public static final String GITHUB_API = "reflex.review.github.api-base";
  public static final String GITHUB_OWNER = "reflex.review.github.owner";
  public static final String GITHUB_REPO = "reflex.review.github.repo";
  public static final String GITLAB_API = "reflex.review.gitlab.api-base";
  public static final String GITLAB_PROJECT = "reflex.review.gitlab.project";
  public static final String CODECOMMIT_REPOSITORY = "reflex.review.codecommit.repository";
  public static final String TOKEN_SECRET = "reflex.review.token-secret";
  public static final String GIT_USER = "reflex.playbook-repo.user";
  public static final String WEBHOOK_SECRET = "reflex.review.webhook-secret";

  public static final String DEFAULT_TOKEN_SECRET = "playbook-repo-token";
  public static final String DEFAULT_WEBHOOK_SECRET = "review-webhook-secret";

  /** The hosting services Reflex can open pull requests on. */
  public enum Provider { NONE, GITHUB, GITLAB, CODECOMMIT }

  private final Function<String, Optional<String>> config;
  private final SecretsProvider secrets;
  private final Provider provider;

  /**
   * @param config a configuration key to its value, if set
   * @throws InvalidInputException naming {@value #PROVIDER} when it names no known provider
   */
  public ReviewWiring(Function<String, Optional<String>> config, SecretsProvider secrets) {
    this.config = Objects.requireNonNull(config, "config");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    String name = value(PROVIDER).orElse("none").strip().toLowerCase(Locale.ROOT);
    this.provider = switch (name) {
      case "", "none" -> Provider.NONE;
      case "github" -> Provider.GITHUB;
      case "gitlab" -> Provider.GITLAB;
      case "codecommit" -> Provider.CODECOMMIT;
      default -> throw new InvalidInputException(PROVIDER, PROVIDER
          + " must be none, github, gitlab or codecommit, not '" + name + "'");
    };
  }

  public Provider provider() {
    return provider;
  }

  /**
   * The configured pull-request provider, empty for {@code none}.
   *
   * @param codeCommitClient builds the CodeCommit client when that provider is chosen
   * @throws InvalidInputException naming the missing or invalid key
   */
  public Optional<PullRequestProvider> pullRequests(HttpClient http,
      Supplier<software.amazon.awssdk.services.codecommit.CodeCommitClient> codeCommitClient) {
    return switch (provider) {
      case NONE -> Optional.empty();
      case GITHUB -> Optional.of(new GitHubPullRequestProvider(new GitHubConfig(
          uri(GITHUB_API, GitHubConfig.PUBLIC_API), required(GITHUB_OWNER), required(GITHUB_REPO),
          token()), http));
      case GITLAB -> Optional.of(new GitLabMergeRequestProvider(new GitLabConfig(
          uri(GITLAB_API, GitLabConfig.PUBLIC_API), required(GITLAB_PROJECT), token()), http));
      case CODECOMMIT -> Optional.of(new CodeCommitPullRequestProvider(codeCommitClient.get(),
          required(CODECOMMIT_REPOSITORY)));
    };
  }

  /** An HTTP client for the hosting services' REST APIs. */
  public static HttpClient http() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * Credentials for Git over HTTPS: with a GitHub or GitLab provider, or whenever
   * {@value #GIT_USER} is set; empty otherwise (a {@code file://} or SSH remote).
   */
  public Optional<Supplier<GitRepositoryConfig.Credentials>> gitCredentials() {
    Optional<String> user = value(GIT_USER).map(String::strip).filter(u -> !u.isEmpty()).or(() -> switch (provider) {
      case GITHUB -> Optional.of("x-access-token");
      case GITLAB -> Optional.of("oauth2");
      default -> Optional.empty();
    });
    if (user.isEmpty()) {
      return Optional.empty();
    }
    String gitUser = user.get();
    Supplier<String> token = token();
    return Optional.of(() -> new GitRepositoryConfig.Credentials(gitUser, token.get()));
  }

  /**
   * The webhook's secret, read on each delivery; {@code null} (every delivery refused) when the
   * secret does not exist.
   */
  public Supplier<String> webhookSecret() {
    String name = value(WEBHOOK_SECRET).orElse(DEFAULT_WEBHOOK_SECRET);
    return () -> {
      try {
        return new String(secrets.secret(name), StandardCharsets.UTF_8).strip();
      } catch (SecretNotFoundException e) {
        return null;
      }
    };
  }

  /** The API token (and Git password), read from the secrets port at each use. */
  private Supplier<String> token() {
    String name = value(TOKEN_SECRET).orElse(DEFAULT_TOKEN_SECRET);
    return () -> new String(secrets.secret(name), StandardCharsets.UTF_8).strip();
  }

  private String required(String key) {
    return value(key).map(String::strip).filter(v -> !v.isEmpty()).orElseThrow(() -> new InvalidInputException(key,
        key + " is required for " + PROVIDER + "=" + provider.name().toLowerCase(Locale.ROOT)));
  }

  private URI uri(String key, URI fallback) {
    Optional<String> text = value(key).map(String::strip).filter(v -> !v.isEmpty());
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      URI uri = URI.create(text.get());
      if (uri.getUserInfo() != null) {
        throw new InvalidInputException(key, key + " must not carry credentials; use " + TOKEN_SECRET);
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(key, key + " is not a URI");
    }
  }

  private Optional<String> value(String key) {
    return config.apply(key);
  }
}
