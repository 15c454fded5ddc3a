package dev.reflex.lambda.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.adapters.git.GitRepositoryConfig;
import dev.reflex.adapters.pullrequests.CodeCommitPullRequestProvider;
import dev.reflex.adapters.pullrequests.GitHubPullRequestProvider;
import dev.reflex.adapters.pullrequests.GitLabMergeRequestProvider;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.error.SecretNotFoundException;
import dev.reflex.domain.port.PullRequestProvider;
import dev.reflex.domain.port.SecretsProvider;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ReviewWiringTest {

  static final String TOKEN = "ghp_PlantedTokenValue0123456789";

  private final Map<String, String> config = new HashMap<>();
  private final Map<String, String> stored = new HashMap<>(Map.of("playbook-repo-token", TOKEN));
  private final AtomicInteger reads = new AtomicInteger();
  private final SecretsProvider secrets = name -> {
    reads.incrementAndGet();
    String value = stored.get(name);
    if (value == null) {
      throw new SecretNotFoundException("no secret " + name);
    }
    return value.getBytes(StandardCharsets.UTF_8);
  };

  private ReviewWiring wiring() {
    return new ReviewWiring(key -> Optional.ofNullable(config.get(key)), secrets);
  }

  private Optional<PullRequestProvider> pullRequests() {
    return wiring().pullRequests(ReviewWiring.http(), () -> {
      throw new AssertionError("no CodeCommit client expected");
    });
  }

  @Test
  void pullRequests_withoutAProvider_areNone() {
    assertThat(pullRequests()).isEmpty();
    assertThat(wiring().gitCredentials()).isEmpty();
  }

  @Test
  void pullRequests_whenTheProviderIsGithub_openOnTheConfiguredRepository() {
    config.put(ReviewWiring.PROVIDER, "GitHub");
    config.put(ReviewWiring.GITHUB_OWNER, "acme");
    config.put(ReviewWiring.GITHUB_REPO, "playbooks");

    assertThat(pullRequests()).get().isInstanceOf(GitHubPullRequestProvider.class);
    assertThat(reads.get()).as("the token is read when used, not when wired").isZero();
  }

  @Test
  void pullRequests_whenTheProviderIsGitlab_openMergeRequestsOnTheProject() {
    config.put(ReviewWiring.PROVIDER, "gitlab");
    config.put(ReviewWiring.GITLAB_PROJECT, "ops/playbooks");

    assertThat(pullRequests()).get().isInstanceOf(GitLabMergeRequestProvider.class);
  }

  @Test
  void pullRequests_whenTheProviderIsCodecommit_useTheClientAndRepositoryName() {
    config.put(ReviewWiring.PROVIDER, "codecommit");
    config.put(ReviewWiring.CODECOMMIT_REPOSITORY, "playbooks");
    AtomicInteger clients = new AtomicInteger();

    Optional<PullRequestProvider> provider = wiring().pullRequests(ReviewWiring.http(), () -> {
      clients.incrementAndGet();
      return CodeCommitPullRequestProvider.clientBuilder(software.amazon.awssdk.regions.Region.EU_WEST_1)
          .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create()).build();
    });

    assertThat(provider).get().isInstanceOf(CodeCommitPullRequestProvider.class);
    assertThat(clients.get()).isEqualTo(1);
  }

  @Test
  void pullRequests_whenGithubHasNoOwner_failNamingTheKey() {
    config.put(ReviewWiring.PROVIDER, "github");
    config.put(ReviewWiring.GITHUB_REPO, "playbooks");

    assertThatThrownBy(this::pullRequests).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.field()).isEqualTo(ReviewWiring.GITHUB_OWNER));
  }

  @Test
  void wiring_whenTheProviderIsUnknown_failsNamingTheKey() {
    config.put(ReviewWiring.PROVIDER, "bitbucket");

    assertThatThrownBy(this::wiring).isInstanceOfSatisfying(InvalidInputException.class, e -> {
      assertThat(e.field()).isEqualTo(ReviewWiring.PROVIDER);
      assertThat(e.getMessage()).contains("bitbucket", "github", "gitlab", "codecommit");
    });
  }

  @Test
  void apiBase_whenItCarriesCredentials_isRefusedWithoutEchoingThem() {
    config.put(ReviewWiring.PROVIDER, "github");
    config.put(ReviewWiring.GITHUB_OWNER, "acme");
    config.put(ReviewWiring.GITHUB_REPO, "playbooks");
    config.put(ReviewWiring.GITHUB_API, "https://bot:" + TOKEN + "@github.example.com/api/v3");

    assertThatThrownBy(this::pullRequests).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(ReviewWiring.GITHUB_API).hasMessageNotContaining(TOKEN);
  }

  @Test
  void gitCredentials_forGithub_readTheTokenThroughTheSecretsPortAtEachUse() {
    config.put(ReviewWiring.PROVIDER, "github");
    Supplier<GitRepositoryConfig.Credentials> credentials = wiring().gitCredentials().orElseThrow();

    GitRepositoryConfig.Credentials first = credentials.get();
    stored.put("playbook-repo-token", "ghp_Rotated");
    GitRepositoryConfig.Credentials second = credentials.get();

    assertThat(first.user()).isEqualTo("x-access-token");
    assertThat(first.token()).isEqualTo(TOKEN);
    assertThat(second.token()).isEqualTo("ghp_Rotated");
    assertThat(first.toString()).doesNotContain(TOKEN);
  }

  @Test
  void gitCredentials_withAConfiguredUserAndSecret_useThem() {
    config.put(ReviewWiring.GIT_USER, "codecommit-user-at-123");
    config.put(ReviewWiring.TOKEN_SECRET, "git-password");
    stored.put("git-password", "s3cret-pass");

    GitRepositoryConfig.Credentials credentials = wiring().gitCredentials().orElseThrow().get();

    assertThat(credentials.user()).isEqualTo("codecommit-user-at-123");
    assertThat(credentials.token()).isEqualTo("s3cret-pass");
  }

  @Test
  void githubProvider_whenTheServiceIsUnreachable_failsWithoutTheToken() {
    config.put(ReviewWiring.PROVIDER, "github");
    config.put(ReviewWiring.GITHUB_OWNER, "acme");
    config.put(ReviewWiring.GITHUB_REPO, "playbooks");
    config.put(ReviewWiring.GITHUB_API, "http://127.0.0.1:1");
    PullRequestProvider provider = pullRequests().orElseThrow();

    assertThatThrownBy(() -> provider.findOpen("learned/x")).satisfies(e -> {
      StringBuilder all = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        all.append(t).append('\n');
        for (StackTraceElement frame : t.getStackTrace()) {
          all.append(frame).append('\n');
        }
      }
      assertThat(all.toString()).doesNotContain(TOKEN);
    });
    assertThat(reads.get()).as("the token was read to authenticate").isPositive();
  }

  @Test
  void webhookSecret_whenTheSecretDoesNotExist_isNullSoEveryDeliveryIsRefused() {
    assertThat(wiring().webhookSecret().get()).isNull();
    stored.put("review-webhook-secret", "hook-secret\n");
    assertThat(wiring().webhookSecret().get()).isEqualTo("hook-secret");
  }
}
