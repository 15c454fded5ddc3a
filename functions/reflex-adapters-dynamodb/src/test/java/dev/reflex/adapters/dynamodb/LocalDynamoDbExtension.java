package dev.reflex.adapters.dynamodb;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local in-process, in memory, on a free port: one server per test class. Register it as
 * a static field: {@code @RegisterExtension static LocalDynamoDbExtension dynamo = new ...;}. The
 * client counts its calls in {@link #calls()}; {@link #freshTables()} gives each test its own
 * tables.
 */
public final class LocalDynamoDbExtension implements BeforeAllCallback, AfterAllCallback {

  private static final AtomicInteger TABLE_SETS = new AtomicInteger();

  private final DynamoDbCallCounter calls = new DynamoDbCallCounter();
  private DynamoDBProxyServer server;
  private DynamoDbClient client;
  private URI endpoint;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    int port = freePort();
    server = ServerRunner.createServerFromCommandLineArgs(
        new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
    server.start();
    endpoint = URI.create("http://localhost:" + port);
    client = DynamoDbClients.forEndpoint(endpoint, calls);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  public DynamoDbClient client() {
    return client;
  }

  public URI endpoint() {
    return endpoint;
  }

  public DynamoDbCallCounter calls() {
    return calls;
  }

  /** Creates a new set of Reflex tables under a unique prefix and resets the call counter. */
  public TableNames freshTables() {
    TableNames names = TableNames.withPrefix("it" + TABLE_SETS.incrementAndGet() + "-");
    new ReflexTables(client, names).createIfMissing();
    calls.reset();
    return names;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
