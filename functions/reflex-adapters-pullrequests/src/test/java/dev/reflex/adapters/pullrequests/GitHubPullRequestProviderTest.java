package dev.reflex.adapters.pullrequests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.reflex.adapters.pullrequests.Fixtures.BODY;
import static dev.reflex.adapters.pullrequests.Fixtures.BRANCH;
import static dev.reflex.adapters.pullrequests.Fixtures.HEAD;
import static dev.reflex.adapters.pullrequests.Fixtures.NOW;
import static dev.reflex.adapters.pullrequests.Fixtures.REASON;
import static dev.reflex.adapters.pullrequests.Fixtures.TITLE;
import static dev.reflex.adapters.pullrequests.Fixtures.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.reflex.adapters.pullrequests.internal.Json;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.model.PullRequestState;
import dev.reflex.domain.port.PullRequestProvider.PullRequestRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GitHubPullRequestProviderTest {

  static final String TOKEN = "ghs_Xk29PqLmN3vBcR7tYwZ81aQe4sDf6Gh0Jk2L";
  static final String REPO = "/repos/acme-sre/reflex-playbooks";

  private static WireMockServer server;
  private GitHubPullRequestProvider provider;

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
    GitHubConfig config = new GitHubConfig(URI.create(server.baseUrl()), "acme-sre", "reflex-playbooks", () -> TOKEN);
    provider = new GitHubPullRequestProvider(config, HttpClient.newHttpClient(), Fixtures.CLOCK, Fixtures.FAST);
  }

  @AfterEach
  void reset() {
    server.resetAll();
  }

  private static ResponseDefinitionBuilder json(int status, String resource) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
        .withBody(body("github/" + resource));
  }

  /** Every request carries the API version, media type and bearer token. */
  private static RequestPatternBuilder github(RequestPatternBuilder request) {
    return request.withHeader("Accept", equalTo("application/vnd.github+json"))
        .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN));
  }

  private static String createBody(String title) {
    return Json.write(Json.object().put("title", title).put("head", BRANCH).put("base", "main").put("body", BODY)
        .put("draft", false));
  }

  @Test
  void open_whenBranchHasNoPullRequest_createsOneWithTheExactRequest() {
    server.stubFor(post(REPO + "/pulls").willReturn(json(201, "pull-created.json")));

    PullRequest pr = provider.open(Fixtures.draft());

    assertThat(pr).isEqualTo(new PullRequest("42", "github", BRANCH, "main", TITLE,
        "https://github.com/acme-sre/reflex-playbooks/pull/42", PullRequestState.OPEN, HEAD));
    server.verify(1, github(postRequestedFor(urlEqualTo(REPO + "/pulls")))
        .withHeader("Content-Type", equalTo("application/json"))
        .withRequestBody(equalToJson(createBody(TITLE))));
    assertThat(server.getAllServeEvents()).hasSize(1);
  }

  @Test
  void open_whenNoTargetBranchIsGiven_targetsTheRepositoryDefaultBranchReadOnce() {
    server.stubFor(get(REPO).willReturn(json(200, "repository.json")));
    server.stubFor(post(REPO + "/pulls").willReturn(json(201, "pull-created.json")));
    PullRequestRequest noTarget = new PullRequestRequest(BRANCH, null, TITLE, BODY, null);

    provider.open(noTarget);
    provider.open(noTarget);

    server.verify(1, github(getRequestedFor(urlEqualTo(REPO))));
    server.verify(2, postRequestedFor(urlEqualTo(REPO + "/pulls")).withRequestBody(matchingJsonPath("$.base",
        equalTo("trunk"))));
  }

  @Test
  void open_passesTheMarkdownBodyThroughByteForByte() {
    server.stubFor(post(REPO + "/pulls").willReturn(json(201, "pull-created.json")));

    provider.open(Fixtures.draft());

    JsonNode sent = Json.parse(server.getAllServeEvents().get(0).getRequest().getBodyAsString());
    assertThat(sent.path("body").asText()).isEqualTo(BODY);
  }

  @Test
  void open_whenTitleIsLongerThan256_truncatesItWithAnEllipsis() {
    server.stubFor(post(REPO + "/pulls").willReturn(json(201, "pull-created.json")));
    String longTitle = "Learned playbook: " + "x".repeat(300);

    provider.open(new PullRequestRequest(BRANCH, "main", longTitle, BODY, null));

    String sent = Json.parse(server.getAllServeEvents().get(0).getRequest().getBodyAsString()).path("title").asText();
    assertThat(sent).hasSize(256).startsWith("Learned playbook: xxx").endsWith("x…");
  }

  @Test
  void open_whenPullRequestExists_commentsOnTheExistingOne() {
    server.stubFor(post(REPO + "/pulls").willReturn(json(422, "pull-already-exists.json")));
    server.stubFor(get(urlPathEqualTo(REPO + "/pulls")).willReturn(json(200, "pulls-open-list.json")));
    server.stubFor(post(REPO + "/issues/41/comments").willReturn(json(201, "comment-created.json")));

    PullRequest pr = provider.open(Fixtures.draft());

    assertThat(pr.id()).isEqualTo("41");
    assertThat(pr.url()).isEqualTo("https://github.com/acme-sre/reflex-playbooks/pull/41");
    assertThat(pr.state()).isEqualTo(PullRequestState.OPEN);
    server.verify(1, github(getRequestedFor(urlEqualTo(
        REPO + "/pulls?head=acme-sre%3Alearned%2Fdisk-full-var-log&state=open"))));
    server.verify(1, github(postRequestedFor(urlEqualTo(REPO + "/issues/41/comments")))
        .withRequestBody(equalToJson(Json.write(Json.object().put("body", REASON)))));
    server.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
  }

  @Test
  void open_whenPullRequestExistsAndNoReasonGiven_commentsNamingTheBranch() {
    server.stubFor(post(REPO + "/pulls").willReturn(json(422, "pull-already-exists.json")));
    server.stubFor(get(urlPathEqualTo(REPO + "/pulls")).willReturn(json(200, "pulls-open-list.json")));
    server.stubFor(post(REPO + "/issues/41/comments").willReturn(json(201, "comment-created.json")));

    provider.open(new PullRequestRequest(BRANCH, "main", TITLE, BODY, " "));

    server.verify(postRequestedFor(urlEqualTo(REPO + "/issues/41/comments"))
        .withRequestBody(matchingJsonPath("$.body", equalTo("Reflex pushed a new draft to `" + BRANCH + "`."))));
  }

  @Test
  void open_whenGitHubSaysExistsButNoneIsOpen_throwsProviderException() {
    server.stubFor(post(REPO + "/pulls").willReturn(json(422, "pull-already-exists.json")));
    server.stubFor(get(urlPathEqualTo(REPO + "/pulls")).willReturn(json(200, "pulls-empty-list.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOf(PullRequestProviderException.class)
        .hasMessageContaining("none is open");
  }

  @Test
  void open_whenUnprocessableForAnotherReason_throwsProviderExceptionWithGitHubsMessage() {
    server.stubFor(post(REPO + "/pulls").willReturn(json(422, "pull-no-commits.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestProviderException.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageContaining("Validation Failed: No commits between main and " + BRANCH);
    server.verify(0, getRequestedFor(urlPathEqualTo(REPO + "/pulls")));
  }

  @Test
  void open_whenTokenIsRejected_throwsAuthExceptionWithoutTheToken() {
    server.stubFor(post(REPO + "/pulls").willReturn(json(401, "bad-credentials.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestAuthException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.provider()).isEqualTo("github");
          assertThat(e.getMessage()).contains("Bad credentials").doesNotContain(TOKEN);
          assertThat(e.toString()).doesNotContain(TOKEN);
        });
    server.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
  }

  @Test
  void open_whenTokenLacksPermission_throwsAuthException() {
    server.stubFor(post(REPO + "/pulls").willReturn(json(403, "not-accessible.json")
        .withHeader("x-ratelimit-limit", "5000").withHeader("x-ratelimit-remaining", "4987")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOf(PullRequestAuthException.class)
        .hasMessageContaining("Resource not accessible by integration");
  }

  @Test
  void open_whenErrorBodyEchoesTheToken_redactsIt() {
    server.stubFor(post(REPO + "/pulls").willReturn(aResponse().withStatus(400)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"message\":\"Problems parsing header Authorization: Bearer " + TOKEN + "\"}")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOf(PullRequestProviderException.class)
        .hasMessageContaining("Problems parsing header")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void open_whenTokenIsMissing_refusesWithoutCallingGitHub() {
    GitHubConfig config = new GitHubConfig(URI.create(server.baseUrl()), "acme-sre", "reflex-playbooks", () -> "");
    GitHubPullRequestProvider noToken = new GitHubPullRequestProvider(config, HttpClient.newHttpClient());

    assertThatThrownBy(() -> noToken.open(Fixtures.draft()))
        .isInstanceOf(PullRequestAuthException.class)
        .hasMessageContaining("no token");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void open_whenPrimaryRateLimitIsExhausted_throwsRateLimitedWithTheResetTime() {
    long reset = NOW.getEpochSecond() + 1234;
    server.stubFor(post(REPO + "/pulls").willReturn(json(403, "rate-limit-exceeded.json")
        .withHeader("x-ratelimit-limit", "5000").withHeader("x-ratelimit-remaining", "0")
        .withHeader("x-ratelimit-used", "5000").withHeader("x-ratelimit-reset", String.valueOf(reset))
        .withHeader("x-ratelimit-resource", "core")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestRateLimitedException.class, e -> {
          assertThat(e.resetAt()).isEqualTo(Instant.ofEpochSecond(reset));
          assertThat(e.status()).isEqualTo(403);
          assertThat(e.getMessage()).contains("API rate limit exceeded").doesNotContain(TOKEN);
        });
    server.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
  }

  @Test
  void open_whenSecondaryRateLimitAsksToRetryAfter_throwsRateLimitedWithTheResetTime() {
    server.stubFor(post(REPO + "/pulls").willReturn(json(429, "secondary-rate-limit.json")
        .withHeader("retry-after", "60")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestRateLimitedException.class, e -> {
          assertThat(e.resetAt()).isEqualTo(NOW.plusSeconds(60));
          assertThat(e.status()).isEqualTo(429);
        });
    server.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
  }

  @Test
  void open_whenSecondaryRateLimitHasNoHeaders_waitsAMinute() {
    server.stubFor(post(REPO + "/pulls").willReturn(json(403, "secondary-rate-limit.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestRateLimitedException.class,
            e -> assertThat(e.resetAt()).isEqualTo(NOW.plusSeconds(60)));
  }

  @Test
  void open_whenBadGatewayThenCreated_succeedsAfterARetry() {
    server.stubFor(post(REPO + "/pulls").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
            .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>"))
        .willSetStateTo("recovered"));
    server.stubFor(post(REPO + "/pulls").inScenario("flaky").whenScenarioStateIs("recovered")
        .willReturn(json(201, "pull-created.json")));

    PullRequest pr = provider.open(Fixtures.draft());

    assertThat(pr.id()).isEqualTo("42");
    server.verify(2, github(postRequestedFor(urlEqualTo(REPO + "/pulls")))
        .withRequestBody(equalToJson(createBody(TITLE))));
  }

  @Test
  void open_whenServerKeepsFailing_givesUpAfterThreeRetries() {
    server.stubFor(post(REPO + "/pulls").willReturn(aResponse().withStatus(503)
        .withBody("{\"message\":\"Service Unavailable\"}")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestProviderException.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining("Service Unavailable")
        .hasMessageContaining("after 4 attempts");
    server.verify(4, postRequestedFor(urlEqualTo(REPO + "/pulls")));
  }

  @Test
  void findOpen_whenBranchHasAnOpenPullRequest_returnsIt() {
    server.stubFor(get(urlPathEqualTo(REPO + "/pulls")).willReturn(json(200, "pulls-open-list.json")));

    assertThat(provider.findOpen(BRANCH)).get().extracting(PullRequest::id, PullRequest::headSha, PullRequest::state)
        .containsExactly("41", HEAD, PullRequestState.OPEN);
  }

  @Test
  void findOpen_whenNoneIsOpen_returnsEmpty() {
    server.stubFor(get(urlPathEqualTo(REPO + "/pulls")).willReturn(json(200, "pulls-empty-list.json")));

    assertThat(provider.findOpen(BRANCH)).isEmpty();
    server.verify(github(getRequestedFor(urlEqualTo(
        REPO + "/pulls?head=acme-sre%3Alearned%2Fdisk-full-var-log&state=open"))));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"pulls-open-list.json, OPEN", "pulls-latest-merged-list.json, MERGED",
      "pulls-latest-closed-list.json, CLOSED"})
  void findLatest_asksForTheMostRecentlyUpdatedInAnyState(String resource, PullRequestState expected) {
    server.stubFor(get(urlPathEqualTo(REPO + "/pulls")).willReturn(json(200, resource)));

    assertThat(provider.findLatest(BRANCH)).get().extracting(PullRequest::id, PullRequest::branch, PullRequest::state)
        .containsExactly("41", BRANCH, expected);
    server.verify(1, github(getRequestedFor(urlEqualTo(REPO
        + "/pulls?head=acme-sre%3Alearned%2Fdisk-full-var-log&state=all&sort=updated&direction=desc&per_page=1"))));
  }

  @Test
  void findLatest_whenBranchNeverHadAPullRequest_returnsEmpty() {
    server.stubFor(get(urlPathEqualTo(REPO + "/pulls")).willReturn(json(200, "pulls-empty-list.json")));

    assertThat(provider.findLatest(BRANCH)).isEmpty();
  }

  @Test
  void comment_postsTheMarkdownToTheIssueComments() {
    server.stubFor(post(REPO + "/issues/41/comments").willReturn(json(201, "comment-created.json")));
    PullRequest pr = new PullRequest("41", "github", BRANCH, "main", TITLE, "u", PullRequestState.OPEN, HEAD);

    provider.comment(pr, BODY);

    server.verify(1, github(postRequestedFor(urlEqualTo(REPO + "/issues/41/comments")))
        .withRequestBody(equalToJson(Json.write(Json.object().put("body", BODY)))));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"pull-open.json, OPEN", "pull-merged.json, MERGED", "pull-closed.json, CLOSED"})
  void state_readsMergedAndState(String resource, PullRequestState expected) {
    server.stubFor(get(REPO + "/pulls/41").willReturn(json(200, resource)));

    assertThat(provider.state("41")).isEqualTo(expected);
    server.verify(1, github(getRequestedFor(urlEqualTo(REPO + "/pulls/41"))));
  }

  @Test
  void state_whenPullRequestIsUnknown_throwsProviderExceptionWith404() {
    server.stubFor(get(REPO + "/pulls/999").willReturn(aResponse().withStatus(404)
        .withBody("{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest/pulls/pulls#get-a-pull-request\",\"status\":\"404\"}")));

    assertThatThrownBy(() -> provider.state("999"))
        .isInstanceOfSatisfying(PullRequestProviderException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining("Not Found");
  }

  @Test
  void state_whenIdIsNotANumber_refusesBeforeAnyRequest() {
    assertThatThrownBy(() -> provider.state("41/../../admin")).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void config_toStringNeverShowsTheToken() {
    GitHubConfig config = new GitHubConfig(GitHubConfig.PUBLIC_API, "acme-sre", "reflex-playbooks", () -> TOKEN);

    assertThat(config.toString()).contains("acme-sre").contains("token=***").doesNotContain(TOKEN);
    assertThat(provider.name()).isEqualTo("github");
  }
}
