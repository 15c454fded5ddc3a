package dev.reflex.lambda.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The exact Step Functions requests that release an approval's task token. */
class SfnWorkflowCallbacksTest {

  private static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAbm90LWEtcmVhbC10b2tlbg==";
  private WireMockServer server;
  private SfnClient sfn;

  @BeforeEach
  void start() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/x-amz-json-1.0").withBody("{}")));
    sfn = SfnClient.builder().endpointOverride(URI.create(server.baseUrl())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  @AfterEach
  void stop() {
    sfn.close();
    server.stop();
  }

  @Test
  void succeed_sendsSendTaskSuccessWithTokenAndOutput() {
    new SfnWorkflowCallbacks(sfn).succeed(TOKEN, "{\"approved\":true,\"approvalId\":\"apr-1\"}");

    server.verify(1, postRequestedFor(urlEqualTo("/"))
        .withHeader("X-Amz-Target", equalTo("AWSStepFunctions.SendTaskSuccess"))
        .withRequestBody(equalToJson("{\"taskToken\":\"" + TOKEN
            + "\",\"output\":\"{\\\"approved\\\":true,\\\"approvalId\\\":\\\"apr-1\\\"}\"}")));
  }

  @Test
  void fail_sendsSendTaskFailureWithErrorAndCause() {
    new SfnWorkflowCallbacks(sfn).fail(TOKEN, "reflex.ApprovalRejected", "{\"approved\":false}");

    server.verify(1, postRequestedFor(urlEqualTo("/"))
        .withHeader("X-Amz-Target", equalTo("AWSStepFunctions.SendTaskFailure"))
        .withRequestBody(equalToJson("{\"taskToken\":\"" + TOKEN
            + "\",\"error\":\"reflex.ApprovalRejected\",\"cause\":\"{\\\"approved\\\":false}\"}")));
    assertThat(server.getAllServeEvents()).hasSize(1);
  }
}
