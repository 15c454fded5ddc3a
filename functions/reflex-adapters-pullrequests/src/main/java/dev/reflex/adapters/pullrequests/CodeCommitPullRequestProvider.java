package dev.reflex.adapters.pullrequests;

import dev.reflex.adapters.pullrequests.internal.Redaction;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.model.PullRequestState;
import dev.reflex.domain.port.PullRequestProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codecommit.CodeCommitClient;
import software.amazon.awssdk.services.codecommit.CodeCommitClientBuilder;
import software.amazon.awssdk.services.codecommit.model.IdempotencyParameterMismatchException;
import software.amazon.awssdk.services.codecommit.model.ListPullRequestsResponse;
import software.amazon.awssdk.services.codecommit.model.PullRequestStatusEnum;
import software.amazon.awssdk.services.codecommit.model.PullRequestTarget;

/**
 * Pull requests on AWS CodeCommit through the SDK.
 *
 * <p>CodeCommit allows several open pull requests for one branch, so {@code open} first looks for
 * an open one ({@code ListPullRequests} OPEN, then {@code GetPullRequest} per id, matching the
 * source reference) and comments on it; otherwise it calls {@code CreatePullRequest} with a
 * {@code clientRequestToken} derived from repository, branch and head commit, so a retried or
 * repeated call for the same commit returns the same pull request instead of a second one. An
 * {@code IdempotencyParameterMismatchException} (same commit, different title or body) means the
 * pull request exists: it is found and commented. A request without a target branch targets the
 * repository's default branch.
 *
 * <p>Retries of 5xx and throttling are the SDK client's ({@link #clientBuilder(Region)}: standard
 * mode, 4 attempts); credentials are the client's (the Lambda role).
 */
public final class CodeCommitPullRequestProvider implements PullRequestProvider {

  public static final String NAME = "codecommit";
  /** CodeCommit refuses longer pull-request titles. */
  public static final int MAX_TITLE = 150;

  private static final Set<String> AUTH_ERRORS = Set.of("AccessDeniedException", "UnrecognizedClientException",
      "InvalidSignatureException", "ExpiredTokenException", "InvalidClientTokenId", "MissingAuthenticationToken",
      "IncompleteSignature", "EncryptionKeyAccessDeniedException");
  private static final Set<String> THROTTLING_ERRORS = Set.of("ThrottlingException", "Throttling",
      "TooManyRequestsException", "RequestLimitExceeded");

  /** Numeric ids from the highest down; anything else after them. */
  private static final Comparator<String> NEWEST_FIRST = Comparator
      .comparing((String id) -> id.matches("\\d{1,18}") ? Long.parseLong(id) : -1L).reversed();

  private final CodeCommitClient client;
  private final String repositoryName;
  private final Clock clock;
  private volatile String defaultBranch;

  public CodeCommitPullRequestProvider(CodeCommitClient client, String repositoryName) {
    this(client, repositoryName, Clock.systemUTC());
  }

  CodeCommitPullRequestProvider(CodeCommitClient client, String repositoryName, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    if (repositoryName == null || !repositoryName.matches("[\\w.\\-]{1,100}")) {
      throw new IllegalArgumentException("codecommit repository name is invalid: " + repositoryName);
    }
    this.repositoryName = repositoryName;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A client with the URL-connection HTTP client, standard retries (4 attempts) and a 30 s budget. */
  public static CodeCommitClientBuilder clientBuilder(Region region) {
    return CodeCommitClient.builder()
        .region(region)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(4).build())
            .apiCallTimeout(Duration.ofSeconds(30)));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PullRequest open(PullRequestRequest request) {
    Optional<PullRequest> existing = findOpen(request.branch());
    if (existing.isPresent()) {
      comment(existing.get(), UpdateComment.of(request));
      return existing.get();
    }
    String head = call(() -> client.getBranch(b -> b.repositoryName(repositoryName).branchName(request.branch()))
        .branch().commitId());
    String target = request.targetBranch() != null ? request.targetBranch() : defaultBranch();
    String token = clientRequestToken(repositoryName, request.branch(), head);
    try {
      var created = call(() -> client.createPullRequest(b -> b
          .title(Redaction.title(request.title(), MAX_TITLE))
          .description(request.bodyMarkdown())
          .clientRequestToken(token)
          .targets(t -> t.repositoryName(repositoryName)
              .sourceReference(ref(request.branch()))
              .destinationReference(ref(target)))));
      return pullRequest(created.pullRequest());
    } catch (IdempotencyParameterMismatchException e) {
      PullRequest other = findOpen(request.branch()).orElseThrow(() -> new PullRequestProviderException(NAME,
          e.statusCode(), "a pull request was already requested for " + request.branch() + " at " + head
              + " with other parameters, and none is open"));
      comment(other, UpdateComment.of(request));
      return other;
    }
  }

  /** The repository's default branch ({@code GetRepository}), read once. */
  private String defaultBranch() {
    if (defaultBranch == null) {
      String branch = call(() -> client.getRepository(b -> b.repositoryName(repositoryName)))
          .repositoryMetadata().defaultBranch();
      if (branch == null || branch.isEmpty()) {
        throw new PullRequestProviderException(NAME, 0, repositoryName + " has no default branch");
      }
      defaultBranch = branch;
    }
    return defaultBranch;
  }

  @Override
  public Optional<PullRequest> findOpen(String branch) {
    String source = ref(branch);
    String next = null;
    do {
      String page = next;
      ListPullRequestsResponse list = call(() -> client.listPullRequests(b -> b.repositoryName(repositoryName)
          .pullRequestStatus(PullRequestStatusEnum.OPEN).nextToken(page)));
      for (String id : list.pullRequestIds()) {
        var pr = call(() -> client.getPullRequest(b -> b.pullRequestId(id))).pullRequest();
        if (pr.pullRequestStatus() == PullRequestStatusEnum.OPEN && pr.pullRequestTargets().stream()
            .anyMatch(t -> repositoryName.equals(t.repositoryName()) && source.equals(ref(t.sourceReference())))) {
          return Optional.of(pullRequest(pr));
        }
      }
      next = list.nextToken();
    } while (next != null && !next.isEmpty());
    return Optional.empty();
  }

  /**
   * The latest pull request of {@code branch} in any state: {@code ListPullRequests} without a
   * status filter (every page), then {@code GetPullRequest} from the highest id down (CodeCommit
   * numbers pull requests in creation order) until one has this branch as its source.
   */
  @Override
  public Optional<PullRequest> findLatest(String branch) {
    String source = ref(branch);
    List<String> ids = new ArrayList<>();
    String next = null;
    do {
      String page = next;
      ListPullRequestsResponse list = call(() -> client.listPullRequests(b -> b.repositoryName(repositoryName)
          .nextToken(page)));
      ids.addAll(list.pullRequestIds());
      next = list.nextToken();
    } while (next != null && !next.isEmpty());
    ids.sort(NEWEST_FIRST);
    for (String id : ids) {
      var pr = call(() -> client.getPullRequest(b -> b.pullRequestId(id))).pullRequest();
      if (pr.pullRequestTargets().stream()
          .anyMatch(t -> repositoryName.equals(t.repositoryName()) && source.equals(ref(t.sourceReference())))) {
        return Optional.of(pullRequest(pr));
      }
    }
    return Optional.empty();
  }

  /** Comments on the pull request's latest revision (its target's destination and source commits). */
  @Override
  public void comment(PullRequest pr, String markdown) {
    var current = call(() -> client.getPullRequest(b -> b.pullRequestId(pr.id()))).pullRequest();
    PullRequestTarget target = target(current);
    String token = digest("comment", pr.id(), target.sourceCommit(), markdown);
    call(() -> client.postCommentForPullRequest(b -> b.pullRequestId(pr.id())
        .repositoryName(repositoryName)
        .beforeCommitId(target.destinationCommit())
        .afterCommitId(target.sourceCommit())
        .content(markdown)
        .clientRequestToken(token)));
  }

  @Override
  public PullRequestState state(String id) {
    return stateOf(call(() -> client.getPullRequest(b -> b.pullRequestId(id))).pullRequest());
  }

  /**
   * The idempotency token of a create: the same repository, branch and head commit always give the
   * same token (a UUID-shaped SHA-256 prefix).
   */
  static String clientRequestToken(String repositoryName, String branch, String headCommit) {
    return digest("create", repositoryName, branch, headCommit);
  }

  private static String digest(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      String hex = HexFormat.of().formatHex(sha.digest(), 0, 16);
      return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
          + hex.substring(16, 20) + "-" + hex.substring(20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private PullRequest pullRequest(software.amazon.awssdk.services.codecommit.model.PullRequest pr) {
    PullRequestTarget target = target(pr);
    String region = client.serviceClientConfiguration().region().id();
    String url = "https://" + region + ".console.aws.amazon.com/codesuite/codecommit/repositories/" + repositoryName
        + "/pull-requests/" + pr.pullRequestId() + "/details?region=" + region;
    return new PullRequest(pr.pullRequestId(), NAME, branchName(target.sourceReference()),
        branchName(target.destinationReference()), pr.title(), url, stateOf(pr), target.sourceCommit());
  }

  private PullRequestTarget target(software.amazon.awssdk.services.codecommit.model.PullRequest pr) {
    return pr.pullRequestTargets().stream().filter(t -> repositoryName.equals(t.repositoryName())).findFirst()
        .orElseThrow(() -> new PullRequestProviderException(NAME, 0,
            "pull request " + pr.pullRequestId() + " has no target in " + repositoryName));
  }

  private static PullRequestState stateOf(software.amazon.awssdk.services.codecommit.model.PullRequest pr) {
    if (pr.pullRequestStatus() == PullRequestStatusEnum.OPEN) {
      return PullRequestState.OPEN;
    }
    boolean merged = pr.pullRequestTargets().stream()
        .anyMatch(t -> t.mergeMetadata() != null && Boolean.TRUE.equals(t.mergeMetadata().isMerged()));
    return merged ? PullRequestState.MERGED : PullRequestState.CLOSED;
  }

  private static String ref(String branch) {
    return branch.startsWith("refs/") ? branch : "refs/heads/" + branch;
  }

  private static String branchName(String reference) {
    return reference == null ? "" : reference.replaceFirst("^refs/heads/", "");
  }

  /** Maps SDK failures to the module's exceptions; the mismatch of an idempotent create passes through. */
  private <T> T call(Supplier<T> operation) {
    try {
      return operation.get();
    } catch (IdempotencyParameterMismatchException e) {
      throw e;
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? "" : Objects.requireNonNullElse(e.awsErrorDetails().errorCode(), "");
      String message = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorMessage();
      String detail = Redaction.scrub(code + (message == null || message.isBlank() ? "" : ": " + message), null);
      if (e.isThrottlingException() || THROTTLING_ERRORS.contains(code)) {
        throw new PullRequestRateLimitedException(NAME, e.statusCode(), clock.instant().plus(Duration.ofMinutes(1)),
            detail);
      }
      if (AUTH_ERRORS.contains(code) || e.statusCode() == 401) {
        throw new PullRequestAuthException(NAME, e.statusCode(), detail);
      }
      throw new PullRequestProviderException(NAME, e.statusCode(), detail);
    } catch (SdkClientException e) {
      throw new PullRequestProviderException(NAME, 0, Redaction.scrub(e.getMessage(), null));
    }
  }
}
