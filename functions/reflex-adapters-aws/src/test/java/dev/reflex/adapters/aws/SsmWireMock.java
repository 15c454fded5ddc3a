package dev.reflex.adapters.aws;

import static dev.reflex.adapters.aws.AwsTestSupport.T0;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Systems Manager played by WireMock for one test class: the server and an {@link SsmClient}
 * pointed at it live as long as the class; before each test the stubs and recorded requests are
 * cleared and the clock starts again at {@link AwsTestSupport#T0}. The class's own
 * {@code @BeforeEach} runs after that, so it adds its stubs to a clean server.
 *
 * <pre>{@code @RegisterExtension static final SsmWireMock aws = new SsmWireMock();}</pre>
 */
final class SsmWireMock implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

  private WireMockServer server;
  private SsmClient ssm;
  private AwsTestSupport.TestClock clock;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    ssm = AwsTestSupport.ssm(server);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ssm.close();
    server.stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server.resetAll();
    clock = new AwsTestSupport.TestClock(T0);
  }

  WireMockServer server() {
    return server;
  }

  SsmClient ssm() {
    return ssm;
  }

  /** This test's clock; the executors from {@link #executor} sleep by moving it forward. */
  AwsTestSupport.TestClock clock() {
    return clock;
  }

  /** An executor on this server and clock whose polling never really sleeps. */
  SsmExecutor executor(SsmExecutorConfig config) {
    return new SsmExecutor(ssm, config, clock, clock::advance);
  }

  void stubFor(MappingBuilder stub) {
    server.stubFor(stub);
  }

  /** The JSON bodies of the requests received for one API action, {@code AmazonSSM.SendCommand} say. */
  List<JsonNode> bodies(String target) {
    return AwsTestSupport.bodies(server, target);
  }
}
