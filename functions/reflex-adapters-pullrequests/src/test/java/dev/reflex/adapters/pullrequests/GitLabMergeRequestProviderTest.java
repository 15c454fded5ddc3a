package dev.reflex.adapters.pullrequests;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
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

class GitLabMergeRequestProviderTest {

  static final String TOKEN = "glpat-Qw3rTy8uIo9pAs0dFg1h";
  static final String PROJECT = "/api/v4/projects/acme-sre%2Fplatform%2Freflex-playbooks";
  static final String WEB = "https://gitlab.com/acme-sre/platform/reflex-playbooks/-/merge_requests/";

  private static WireMockServer server;
  private GitLabMergeRequestProvider provider;

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
    provider = provider(new GitLabConfig(apiBase(), "acme-sre/platform/reflex-playbooks", () -> TOKEN));
  }

  @AfterEach
  void reset() {
    server.resetAll();
  }

  private static URI apiBase() {
    return URI.create(server.baseUrl() + "/api/v4");
  }

  private static GitLabMergeRequestProvider provider(GitLabConfig config) {
    return new GitLabMergeRequestProvider(config, HttpClient.newHttpClient(), Fixtures.CLOCK, Fixtures.FAST);
  }

  private static ResponseDefinitionBuilder json(int status, String resource) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withBody(body("gitlab/" + resource));
  }

  private static RequestPatternBuilder gitlab(RequestPatternBuilder request) {
    return request.withHeader("PRIVATE-TOKEN", equalTo(TOKEN)).withHeader("Authorization", absent());
  }

  private static String createBody() {
    return Json.write(Json.object().put("source_branch", BRANCH).put("target_branch", "main").put("title", TITLE)
        .put("description", BODY));
  }

  @Test
  void open_whenBranchHasNoMergeRequest_createsOneWithTheExactRequest() {
    server.stubFor(post(PROJECT + "/merge_requests").willReturn(json(201, "merge-request-created.json")));

    PullRequest mr = provider.open(Fixtures.draft());

    assertThat(mr).isEqualTo(new PullRequest("7", "gitlab", BRANCH, "main", TITLE, WEB + "7", PullRequestState.OPEN,
        HEAD));
    server.verify(1, gitlab(postRequestedFor(urlEqualTo(PROJECT + "/merge_requests")))
        .withHeader("Content-Type", equalTo("application/json"))
        .withRequestBody(equalToJson(createBody())));
    assertThat(server.getAllServeEvents()).hasSize(1);
  }

  @Test
  void open_withANumericProjectIdAndOAuthToken_sendsBearerToTheIdPath() {
    server.stubFor(post("/api/v4/projects/61234567/merge_requests").willReturn(json(201, "merge-request-created.json")));
    GitLabMergeRequestProvider oauth = provider(new GitLabConfig(apiBase(), "61234567", () -> TOKEN,
        GitLabConfig.TokenHeader.BEARER));

    oauth.open(Fixtures.draft());

    server.verify(1, postRequestedFor(urlEqualTo("/api/v4/projects/61234567/merge_requests"))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN)).withHeader("PRIVATE-TOKEN", absent()));
  }

  @Test
  void open_withAnAlreadyEncodedProjectPath_doesNotEncodeItTwice() {
    server.stubFor(post(PROJECT + "/merge_requests").willReturn(json(201, "merge-request-created.json")));

    provider(new GitLabConfig(apiBase(), "acme-sre%2Fplatform%2Freflex-playbooks", () -> TOKEN))
        .open(Fixtures.draft());

    server.verify(1, postRequestedFor(urlEqualTo(PROJECT + "/merge_requests")));
  }

  @Test
  void open_whenNoTargetBranchIsGiven_targetsTheProjectDefaultBranchReadOnce() {
    server.stubFor(get(PROJECT).willReturn(json(200, "project.json")));
    server.stubFor(post(PROJECT + "/merge_requests").willReturn(json(201, "merge-request-created.json")));
    PullRequestRequest noTarget = new PullRequestRequest(BRANCH, null, TITLE, BODY, null);

    provider.open(noTarget);
    provider.open(noTarget);

    server.verify(1, gitlab(getRequestedFor(urlEqualTo(PROJECT))));
    server.verify(2, postRequestedFor(urlEqualTo(PROJECT + "/merge_requests"))
        .withRequestBody(matchingJsonPath("$.target_branch", equalTo("trunk"))));
  }

  @Test
  void open_whenTitleIsLongerThan255_truncatesIt() {
    server.stubFor(post(PROJECT + "/merge_requests").willReturn(json(201, "merge-request-created.json")));

    provider.open(new PullRequestRequest(BRANCH, "main", "t".repeat(400), BODY, null));

    String sent = Json.parse(server.getAllServeEvents().get(0).getRequest().getBodyAsString()).path("title").asText();
    assertThat(sent).hasSize(255).endsWith("t…");
  }

  @Test
  void open_whenMergeRequestExists_commentsOnTheExistingOne() {
    server.stubFor(post(PROJECT + "/merge_requests").willReturn(json(409, "merge-request-already-exists.json")));
    server.stubFor(get(urlPathEqualTo(PROJECT + "/merge_requests"))
        .willReturn(json(200, "merge-requests-open-list.json")));
    server.stubFor(post(PROJECT + "/merge_requests/6/notes").willReturn(json(201, "note-created.json")));

    PullRequest mr = provider.open(Fixtures.draft());

    assertThat(mr.id()).isEqualTo("6");
    assertThat(mr.url()).isEqualTo(WEB + "6");
    assertThat(mr.state()).isEqualTo(PullRequestState.OPEN);
    server.verify(1, gitlab(getRequestedFor(urlEqualTo(
        PROJECT + "/merge_requests?source_branch=learned%2Fdisk-full-var-log&state=opened"))));
    server.verify(1, gitlab(postRequestedFor(urlEqualTo(PROJECT + "/merge_requests/6/notes")))
        .withRequestBody(equalToJson(Json.write(Json.object().put("body", REASON)))));
  }

  @Test
  void open_whenGitLabSaysExistsButNoneIsOpen_throwsProviderExceptionWithItsMessage() {
    server.stubFor(post(PROJECT + "/merge_requests").willReturn(json(409, "merge-request-already-exists.json")));
    server.stubFor(get(urlPathEqualTo(PROJECT + "/merge_requests"))
        .willReturn(json(200, "merge-requests-empty-list.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOf(PullRequestProviderException.class)
        .hasMessageContaining("Another open merge request already exists for this source branch: !6");
  }

  @Test
  void open_whenGitLabRejectsAField_throwsProviderExceptionNamingIt() {
    server.stubFor(post(PROJECT + "/merge_requests").willReturn(json(400, "merge-request-invalid.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestProviderException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("target_branch is invalid");
  }

  @Test
  void open_whenTokenIsRejected_throwsAuthExceptionWithoutTheToken() {
    server.stubFor(post(PROJECT + "/merge_requests").willReturn(json(401, "unauthorized.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestAuthException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.getMessage()).contains("401 Unauthorized").doesNotContain(TOKEN);
        });
  }

  @Test
  void open_whenTokenLacksPermission_throwsAuthException() {
    server.stubFor(post(PROJECT + "/merge_requests").willReturn(json(403, "forbidden.json")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestAuthException.class, e -> assertThat(e.status()).isEqualTo(403));
  }

  @Test
  void open_whenRateLimited_throwsRateLimitedWithTheResetTime() {
    long reset = NOW.getEpochSecond() + 42;
    server.stubFor(post(PROJECT + "/merge_requests").willReturn(aResponse().withStatus(429)
        .withHeader("Content-Type", "text/plain").withBody("Retry later\n")
        .withHeader("RateLimit-Name", "throttle_authenticated_api").withHeader("RateLimit-Limit", "60")
        .withHeader("RateLimit-Observed", "67").withHeader("RateLimit-Remaining", "0")
        .withHeader("RateLimit-Reset", String.valueOf(reset)).withHeader("Retry-After", "42")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestRateLimitedException.class, e -> {
          assertThat(e.resetAt()).isEqualTo(Instant.ofEpochSecond(reset));
          assertThat(e.getMessage()).contains("Retry later").doesNotContain(TOKEN);
        });
    server.verify(1, postRequestedFor(urlEqualTo(PROJECT + "/merge_requests")));
  }

  @Test
  void open_whenRateLimitedWithOnlyRetryAfter_resetsAfterThatManySeconds() {
    server.stubFor(post(PROJECT + "/merge_requests").willReturn(aResponse().withStatus(429)
        .withBody("Retry later\n").withHeader("Retry-After", "30")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestRateLimitedException.class,
            e -> assertThat(e.resetAt()).isEqualTo(NOW.plusSeconds(30)));
  }

  @Test
  void open_whenBadGatewayThenCreated_succeedsAfterARetry() {
    server.stubFor(post(PROJECT + "/merge_requests").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(502).withBody("<html><body><h1>502</h1>GitLab is not responding</body></html>"))
        .willSetStateTo("recovered"));
    server.stubFor(post(PROJECT + "/merge_requests").inScenario("flaky").whenScenarioStateIs("recovered")
        .willReturn(json(201, "merge-request-created.json")));

    assertThat(provider.open(Fixtures.draft()).id()).isEqualTo("7");
    server.verify(2, gitlab(postRequestedFor(urlEqualTo(PROJECT + "/merge_requests")))
        .withRequestBody(equalToJson(createBody())));
  }

  @Test
  void open_whenServerKeepsFailing_givesUpAfterThreeRetriesWithTheStatus() {
    server.stubFor(post(PROJECT + "/merge_requests").willReturn(aResponse().withStatus(500)
        .withBody("{\"message\":\"500 Internal Server Error\"}")));

    assertThatThrownBy(() -> provider.open(Fixtures.draft()))
        .isInstanceOfSatisfying(PullRequestProviderException.class, e -> assertThat(e.status()).isEqualTo(500));
    server.verify(4, postRequestedFor(urlEqualTo(PROJECT + "/merge_requests")));
  }

  @Test
  void findOpen_whenNoneIsOpen_returnsEmpty() {
    server.stubFor(get(urlPathEqualTo(PROJECT + "/merge_requests"))
        .willReturn(json(200, "merge-requests-empty-list.json")));

    assertThat(provider.findOpen(BRANCH)).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"merge-requests-open-list.json, OPEN", "merge-requests-latest-merged-list.json, MERGED",
      "merge-requests-latest-closed-list.json, CLOSED"})
  void findLatest_asksForTheMostRecentlyUpdatedInAnyState(String resource, PullRequestState expected) {
    server.stubFor(get(urlPathEqualTo(PROJECT + "/merge_requests")).willReturn(json(200, resource)));

    assertThat(provider.findLatest(BRANCH)).get().extracting(PullRequest::id, PullRequest::branch, PullRequest::state)
        .containsExactly("6", BRANCH, expected);
    server.verify(1, gitlab(getRequestedFor(urlEqualTo(PROJECT
        + "/merge_requests?source_branch=learned%2Fdisk-full-var-log&order_by=updated_at&sort=desc&per_page=1"))));
  }

  @Test
  void findLatest_whenBranchNeverHadAMergeRequest_returnsEmpty() {
    server.stubFor(get(urlPathEqualTo(PROJECT + "/merge_requests"))
        .willReturn(json(200, "merge-requests-empty-list.json")));

    assertThat(provider.findLatest(BRANCH)).isEmpty();
  }

  @Test
  void comment_postsTheMarkdownAsANote() {
    server.stubFor(post(PROJECT + "/merge_requests/6/notes").willReturn(json(201, "note-created.json")));

    provider.comment(new PullRequest("6", "gitlab", BRANCH, "main", TITLE, WEB + "6", PullRequestState.OPEN, HEAD),
        BODY);

    server.verify(1, gitlab(postRequestedFor(urlEqualTo(PROJECT + "/merge_requests/6/notes")))
        .withRequestBody(equalToJson(Json.write(Json.object().put("body", BODY)))));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"merge-request-opened.json, OPEN", "merge-request-merged.json, MERGED",
      "merge-request-closed.json, CLOSED"})
  void state_readsTheMergeRequestState(String resource, PullRequestState expected) {
    server.stubFor(get(PROJECT + "/merge_requests/6").willReturn(json(200, resource)));

    assertThat(provider.state("6")).isEqualTo(expected);
    server.verify(1, gitlab(getRequestedFor(urlEqualTo(PROJECT + "/merge_requests/6"))));
  }

  @Test
  void config_toStringNeverShowsTheToken() {
    GitLabConfig config = new GitLabConfig(GitLabConfig.PUBLIC_API, "61234567", () -> TOKEN);

    assertThat(config.toString()).contains("61234567").contains("token=***").doesNotContain(TOKEN);
    assertThat(provider.name()).isEqualTo("gitlab");
  }
}
