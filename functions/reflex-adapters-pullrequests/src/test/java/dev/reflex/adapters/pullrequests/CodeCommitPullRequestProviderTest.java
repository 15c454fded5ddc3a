package dev.reflex.adapters.pullrequests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.reflex.adapters.pullrequests.Fixtures.BODY;
import static dev.reflex.adapters.pullrequests.Fixtures.BRANCH;
import static dev.reflex.adapters.pullrequests.Fixtures.HEAD;
import static dev.reflex.adapters.pullrequests.Fixtures.NOW;
import static dev.reflex.adapters.pullrequests.Fixtures.REASON;
import static dev.reflex.adapters.pullrequests.Fixtures.TITLE;
import static dev.reflex.adapters.pullrequests.Fixtures.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.reflex.adapters.pullrequests.internal.Json;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.model.PullRequestState;
import dev.reflex.domain.port.PullRequestProvider.PullRequestRequest;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.codecommit.CodeCommitClient;

/**
 * The SDK client against WireMock: CodeCommit is JSON 1.1, every call a {@code POST /} named by its
 * {@code X-Amz-Target} header, errors a 4xx/5xx with {@code __type}.
 */
class CodeCommitPullRequestProviderTest {

  static final String REPOSITORY = "reflex-playbooks";
  static final String BASE = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private static WireMockServer server;
  private CodeCommitClient client;
  private CodeCommitPullRequestProvider provider;

  @BeforeAll
  static void start() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void provider() {
    client = CodeCommitPullRequestProvider.clientBuilder(Region.US_EAST_1)
        .endpointOverride(URI.create(server.baseUrl()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", SECRET_KEY)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(3)
            .backoffStrategy(BackoffStrategy.retryImmediately())
            .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
            .build()))
        .build();
    provider = new CodeCommitPullRequestProvider(client, REPOSITORY, Fixtures.CLOCK);
  }

  @AfterEach
  void reset() {
    client.close();
    server.resetAll();
  }

  private static MappingBuilder call(String operation) {
    return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("CodeCommit_20150413." + operation));
  }

  private static RequestPatternBuilder called(String operation) {
    return postRequestedFor(urlEqualTo("/"))
        .withHeader("X-Amz-Target", equalTo("CodeCommit_20150413." + operation))
        .withHeader("Content-Type", equalTo("application/x-amz-json-1.1"));
  }

  private static ResponseDefinitionBuilder answer(String resource) {
    return answer(200, resource);
  }

  private static ResponseDefinitionBuilder answer(int status, String resource) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
        .withHeader("x-amzn-RequestId", "4b2e9c1a-7d3f-4e8b-9a6c-1f0e2d3c4b5a")
        .withBody(body("codecommit/" + resource));
  }

  private void noOpenPullRequests() {
    server.stubFor(call("ListPullRequests").willReturn(answer("list-pull-requests-empty.json")));
  }

  private static List<String> createTokens() {
    return server.findAll(called("CreatePullRequest")).stream()
        .map(r -> Json.parse(r.getBodyAsString()).path("clientRequestToken").asText()).toList();
  }

  @Test
  void open_whenBranchHasNoOpenPullRequest_createsOneWithTheExactRequest() {
    noOpenPullRequests();
    server.stubFor(call("GetBranch").willReturn(answer("get-branch.json")));
    server.stubFor(call("CreatePullRequest").willReturn(answer("create-pull-request.json")));

    PullRequest pr = provider.open(Fixtures.draft());

    assertThat(pr).isEqualTo(new PullRequest("17", "codecommit", BRANCH, "main", TITLE,
        "https://us-east-1.console.aws.amazon.com/codesuite/codecommit/repositories/reflex-playbooks"
            + "/pull-requests/17/details?region=us-east-1", PullRequestState.OPEN, HEAD));
    server.verify(1, called("ListPullRequests").withRequestBody(equalToJson(
        "{\"repositoryName\":\"reflex-playbooks\",\"pullRequestStatus\":\"OPEN\"}")));
    server.verify(1, called("GetBranch").withRequestBody(equalToJson(
        "{\"repositoryName\":\"reflex-playbooks\",\"branchName\":\"" + BRANCH + "\"}")));
    String token = CodeCommitPullRequestProvider.clientRequestToken(REPOSITORY, BRANCH, HEAD);
    server.verify(1, called("CreatePullRequest").withRequestBody(equalToJson(Json.write(Json.object()
        .put("title", TITLE).put("description", BODY).put("clientRequestToken", token)
        .set("targets", Json.MAPPER.createArrayNode().add(Json.object().put("repositoryName", REPOSITORY)
            .put("sourceReference", "refs/heads/" + BRANCH).put("destinationReference", "refs/heads/main")))))));
  }

  @Test
  void open_signsRequestsWithTheClientCredentialsAndNeverSendsTheSecretKey() {
    noOpenPullRequests();
    server.stubFor(call("GetBranch").willReturn(answer("get-branch.json")));
    server.stubFor(call("CreatePullRequest").willReturn(answer("create-pull-request.json")));

    provider.open(Fixtures.draft());

    for (LoggedRequest request : server.findAll(postRequestedFor(urlEqualTo("/")))) {
      assertThat(request.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
          .contains("/us-east-1/codecommit/aws4_request");
      assertThat(request.getBodyAsString()).doesNotContain(SECRET_KEY);
    }
  }

  @Test
  void open_whenCreateFailsWithAServerError_retriesWithTheSameClientRequestToken() {
    noOpenPullRequests();
    server.stubFor(call("GetBranch").willReturn(answer("get-branch.json")));
    server.stubFor(call("CreatePullRequest").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(answer(500, "error-internal.json")).willSetStateTo("recovered"));
    server.stubFor(call("CreatePullRequest").inScenario("flaky").whenScenarioStateIs("recovered")
        .willReturn(answer("create-pull-request.json")));

    assertThat(provider.open(Fixtures.draft()).id()).isEqualTo("17");

    assertThat(createTokens()).hasSize(2).containsOnly(
        CodeCommitPullRequestProvider.clientRequestToken(REPOSITORY, BRANCH, HEAD));
  }

  @Test
  void open_repeatedForTheSameHeadCommit_sendsTheSameClientRequestToken() {
    noOpenPullRequests();
    server.stubFor(call("GetBranch").willReturn(answer("get-branch.json")));
    server.stubFor(call("CreatePullRequest").willReturn(answer("create-pull-request.json")));

    provider.open(Fixtures.draft());
    new CodeCommitPullRequestProvider(client, REPOSITORY).open(Fixtures.draft());

    assertThat(createTokens()).hasSize(2).containsOnly(
        CodeCommitPullRequestProvider.clientRequestToken(REPOSITORY, BRANCH, HEAD));
  }

  @Test
  void clientRequestToken_dependsOnRepositoryBranchAndHeadCommit() {
    String token = CodeCommitPullRequestProvider.clientRequestToken(REPOSITORY, BRANCH, HEAD);

    assertThat(token).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(CodeCommitPullRequestProvider.clientRequestToken(REPOSITORY, BRANCH, HEAD)).isEqualTo(token);
    assertThat(CodeCommitPullRequestProvider.clientRequestToken(REPOSITORY, BRANCH, BASE)).isNotEqualTo(token);
    assertThat(CodeCommitPullRequestProvider.clientRequestToken(REPOSITORY, "learned/other", HEAD))
        .isNotEqualTo(token);
    assertThat(CodeCommitPullRequestProvider.clientRequestToken("other-repo", BRANCH, HEAD)).isNotEqualTo(token);
  }

  @Test
  void open_whenPullRequestExists_commentsOnTheExistingOne() {
    server.stubFor(call("ListPullRequests").willReturn(answer("list-pull-requests-15-17.json")));
    server.stubFor(call("GetPullRequest").withRequestBody(matchingJsonPath("$.pullRequestId", equalTo("15")))
        .willReturn(answer("get-pull-request-15-other-branch.json")));
    server.stubFor(call("GetPullRequest").withRequestBody(matchingJsonPath("$.pullRequestId", equalTo("17")))
        .willReturn(answer("get-pull-request-17-open.json")));
    server.stubFor(call("PostCommentForPullRequest").willReturn(answer("post-comment.json")));

    PullRequest pr = provider.open(Fixtures.draft());

    assertThat(pr.id()).isEqualTo("17");
    assertThat(pr.state()).isEqualTo(PullRequestState.OPEN);
    server.verify(0, called("CreatePullRequest"));
    server.verify(0, called("GetBranch"));
    server.verify(1, called("PostCommentForPullRequest").withRequestBody(equalToJson(Json.write(Json.object()
        .put("pullRequestId", "17").put("repositoryName", REPOSITORY).put("beforeCommitId", BASE)
        .put("afterCommitId", HEAD).put("content", REASON)), false, true)));
    String commentToken = server.findAll(called("PostCommentForPullRequest")).get(0).getBodyAsString();
    assertThat(Json.parse(commentToken).path("clientRequestToken").asText()).isNotBlank();
  }

  @Test
  void open_whenIdempotencyParametersMismatch_returnsTheOpenPullRequestAndComments() {
    server.stubFor(call("ListPullRequests").inScenario("race").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(answer("list-pull-requests-empty.json")).willSetStateTo("created elsewhere"));
    server.stubFor(call("ListPullRequests").inScenario("race").whenScenarioStateIs("created elsewhere")
        .willReturn(answer("list-pull-requests-page-2.json")));
    server.stubFor(call("GetBranch").willReturn(answer("get-branch.json")));
    server.stubFor(call("CreatePullRequest").willReturn(answer(400, "error-idempotency-mismatch.json")));
    server.stubFor(call("GetPullRequest").willReturn(answer("get-pull-request-17-open.json")));
    server.stubFor(call("PostCommentForPullRequest").willReturn(answer("post-comment.json")));

    PullRequest pr = provider.open(Fixtures.draft());

    assertThat(pr.id()).isEqualTo("17");
    server.verify(1, called("CreatePullRequest"));
    server.verify(1, called("PostCommentForPullRequest")
        .withRequestBody(matchingJsonPath("$.content", equalTo(REASON))));
  }

  @Test
  void open_whenIdempotencyParametersMismatchAndNoneIsOpen_throwsProviderException() {
    noOpenPullRequests();
    server.stubFor(call("GetBranch").willReturn(answer("get-branch.json")));
    server.stubFor(call("CreatePullRequest").willReturn(answer(400, "error-idempotency-mismatch.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestProviderException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("none is open");
  }

  @Test
  void open_whenNoTargetBranchIsGiven_targetsTheRepositoryDefaultBranch() {
    noOpenPullRequests();
    server.stubFor(call("GetBranch").willReturn(answer("get-branch.json")));
    server.stubFor(call("GetRepository").willReturn(answer("get-repository.json")));
    server.stubFor(call("CreatePullRequest").willReturn(answer("create-pull-request.json")));

    provider.open(new PullRequestRequest(BRANCH, null, TITLE, BODY, null));

    server.verify(1, called("GetRepository").withRequestBody(equalToJson("{\"repositoryName\":\"reflex-playbooks\"}")));
    server.verify(1, called("CreatePullRequest").withRequestBody(
        matchingJsonPath("$.targets[0].destinationReference", equalTo("refs/heads/trunk"))));
  }

  @Test
  void open_whenTitleIsLongerThan150_truncatesIt() {
    noOpenPullRequests();
    server.stubFor(call("GetBranch").willReturn(answer("get-branch.json")));
    server.stubFor(call("CreatePullRequest").willReturn(answer("create-pull-request.json")));

    provider.open(new PullRequestRequest(BRANCH, "main", "t".repeat(200), BODY, null));

    String title = Json.parse(server.findAll(called("CreatePullRequest")).get(0).getBodyAsString())
        .path("title").asText();
    assertThat(title).hasSize(150).endsWith("t…");
  }

  @Test
  void open_whenBranchDoesNotExist_throwsProviderExceptionWithTheServiceMessage() {
    noOpenPullRequests();
    server.stubFor(call("GetBranch").willReturn(answer(400, "error-branch-does-not-exist.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestProviderException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("BranchDoesNotExistException: Branch " + BRANCH + " does not exist");
    server.verify(0, called("CreatePullRequest"));
  }

  @Test
  void open_whenCredentialsAreRejected_throwsAuthExceptionWithoutTheSecretKey() {
    server.stubFor(call("ListPullRequests").willReturn(answer(400, "error-unrecognized-client.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestAuthException.class, e -> {
          assertThat(e.provider()).isEqualTo("codecommit");
          assertThat(e.getMessage()).contains("UnrecognizedClientException").doesNotContain(SECRET_KEY);
        });
  }

  @Test
  void open_whenRoleMayNotCreatePullRequests_throwsAuthException() {
    noOpenPullRequests();
    server.stubFor(call("GetBranch").willReturn(answer("get-branch.json")));
    server.stubFor(call("CreatePullRequest").willReturn(answer(400, "error-access-denied.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOf(PullRequestAuthException.class)
        .hasMessageContaining("not authorized to perform: codecommit:CreatePullRequest");
  }

  @Test
  void open_whenThrottledBeyondTheClientRetries_throwsRateLimitedWithAResetTime() {
    server.stubFor(call("ListPullRequests").willReturn(answer(400, "error-throttling.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestRateLimitedException.class,
            e -> assertThat(e.resetAt()).isEqualTo(NOW.plusSeconds(60)));
    server.verify(3, called("ListPullRequests"));
  }

  @Test
  void findOpen_followsListPages() {
    server.stubFor(call("ListPullRequests").withRequestBody(matchingJsonPath("$.nextToken", equalTo(
        "eyJtYXJrZXIiOiIxNSJ9"))).willReturn(answer("list-pull-requests-page-2.json")));
    server.stubFor(call("ListPullRequests").withRequestBody(equalToJson(
        "{\"repositoryName\":\"reflex-playbooks\",\"pullRequestStatus\":\"OPEN\"}"))
        .willReturn(answer("list-pull-requests-page-1.json")));
    server.stubFor(call("GetPullRequest").withRequestBody(matchingJsonPath("$.pullRequestId", equalTo("15")))
        .willReturn(answer("get-pull-request-15-other-branch.json")));
    server.stubFor(call("GetPullRequest").withRequestBody(matchingJsonPath("$.pullRequestId", equalTo("17")))
        .willReturn(answer("get-pull-request-17-open.json")));

    assertThat(provider.findOpen(BRANCH)).get().extracting(PullRequest::id).isEqualTo("17");
    server.verify(2, called("ListPullRequests"));
  }

  @Test
  void findOpen_whenOnlyOtherBranchesHavePullRequests_returnsEmpty() {
    server.stubFor(call("ListPullRequests").willReturn(answer("list-pull-requests-page-1.json")
        .withBody("{\"pullRequestIds\":[\"15\"]}")));
    server.stubFor(call("GetPullRequest").willReturn(answer("get-pull-request-15-other-branch.json")));

    assertThat(provider.findOpen(BRANCH)).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"get-pull-request-17-open.json, OPEN", "get-pull-request-17-merged.json, MERGED",
      "get-pull-request-17-closed.json, CLOSED"})
  void findLatest_listsWithoutStatusFilterAndReadsTheHighestIdFirst(String resource, PullRequestState expected) {
    server.stubFor(call("ListPullRequests").willReturn(answer("list-pull-requests-15-17.json")));
    server.stubFor(call("GetPullRequest").withRequestBody(matchingJsonPath("$.pullRequestId", equalTo("15")))
        .willReturn(answer("get-pull-request-15-other-branch.json")));
    server.stubFor(call("GetPullRequest").withRequestBody(matchingJsonPath("$.pullRequestId", equalTo("17")))
        .willReturn(answer(resource)));

    assertThat(provider.findLatest(BRANCH)).get().extracting(PullRequest::id, PullRequest::branch, PullRequest::state)
        .containsExactly("17", BRANCH, expected);
    server.verify(1, called("ListPullRequests").withRequestBody(equalToJson(
        "{\"repositoryName\":\"reflex-playbooks\"}")));
    server.verify(1, called("GetPullRequest").withRequestBody(equalToJson("{\"pullRequestId\":\"17\"}")));
    server.verify(0, called("GetPullRequest").withRequestBody(equalToJson("{\"pullRequestId\":\"15\"}")));
  }

  @Test
  void findLatest_followsListPages() {
    server.stubFor(call("ListPullRequests").withRequestBody(matchingJsonPath("$.nextToken", equalTo(
        "eyJtYXJrZXIiOiIxNSJ9"))).willReturn(answer("list-pull-requests-page-2.json")));
    server.stubFor(call("ListPullRequests").withRequestBody(equalToJson("{\"repositoryName\":\"reflex-playbooks\"}"))
        .willReturn(answer("list-pull-requests-page-1.json")));
    server.stubFor(call("GetPullRequest").withRequestBody(matchingJsonPath("$.pullRequestId", equalTo("15")))
        .willReturn(answer("get-pull-request-15-other-branch.json")));
    server.stubFor(call("GetPullRequest").withRequestBody(matchingJsonPath("$.pullRequestId", equalTo("17")))
        .willReturn(answer("get-pull-request-17-closed.json")));

    assertThat(provider.findLatest(BRANCH)).get().extracting(PullRequest::state).isEqualTo(PullRequestState.CLOSED);
    server.verify(2, called("ListPullRequests"));
  }

  @Test
  void findLatest_whenOnlyOtherBranchesHavePullRequests_returnsEmpty() {
    server.stubFor(call("ListPullRequests").willReturn(answer("list-pull-requests-page-1.json")
        .withBody("{\"pullRequestIds\":[\"15\"]}")));
    server.stubFor(call("GetPullRequest").willReturn(answer("get-pull-request-15-other-branch.json")));

    assertThat(provider.findLatest(BRANCH)).isEmpty();
  }

  @Test
  void comment_usesThePullRequestsCurrentCommits() {
    server.stubFor(call("GetPullRequest").willReturn(answer("get-pull-request-17-open.json")));
    server.stubFor(call("PostCommentForPullRequest").willReturn(answer("post-comment.json")));
    PullRequest stale = new PullRequest("17", "codecommit", BRANCH, "main", TITLE, "", PullRequestState.OPEN, BASE);

    provider.comment(stale, BODY);

    server.verify(1, called("PostCommentForPullRequest").withRequestBody(equalToJson(Json.write(Json.object()
        .put("pullRequestId", "17").put("repositoryName", REPOSITORY).put("beforeCommitId", BASE)
        .put("afterCommitId", HEAD).put("content", BODY)), false, true)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"get-pull-request-17-open.json, OPEN", "get-pull-request-17-merged.json, MERGED",
      "get-pull-request-17-closed.json, CLOSED"})
  void state_readsStatusAndMergeMetadata(String resource, PullRequestState expected) {
    server.stubFor(call("GetPullRequest").willReturn(answer(resource)));

    assertThat(provider.state("17")).isEqualTo(expected);
    server.verify(1, called("GetPullRequest").withRequestBody(equalToJson("{\"pullRequestId\":\"17\"}")));
  }

  @Test
  void clientBuilder_retriesServerErrorsUpToFourAttempts() {
    server.stubFor(call("GetPullRequest").willReturn(answer(500, "error-internal.json")));
    try (CodeCommitClient defaults = CodeCommitPullRequestProvider.clientBuilder(Region.US_EAST_1)
        .endpointOverride(URI.create(server.baseUrl()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", SECRET_KEY)))
        .build()) {

      assertThatThrownBy(() -> new CodeCommitPullRequestProvider(defaults, REPOSITORY).state("17"))
          .isInstanceOfSatisfying(PullRequestProviderException.class, e -> assertThat(e.status()).isEqualTo(500))
          .hasMessageContaining("InternalFailure");
    }
    server.verify(4, called("GetPullRequest"));
  }

  @Test
  void name_isCodecommit() {
    assertThat(provider.name()).isEqualTo("codecommit");
  }
}
