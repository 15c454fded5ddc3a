package dev.reflex.local.app;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local in the same process: the embedded default's metadata store. Its client calls
 * DynamoDB Local's request handlers directly (no HTTP hop), with the same conditional-write
 * semantics as the service. With a data folder the tables survive a restart; without one they
 * live in memory. Every API call is counted, so benchmarks can report calls per incident.
 */
public final class LocalDynamoDb implements AutoCloseable {

  private final AmazonDynamoDBLocal local;
  private final DynamoDbClient client;
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

  private LocalDynamoDb(AmazonDynamoDBLocal local) {
    this.local = local;
    DynamoDbClient raw = local.dynamoDbClient();
    this.client = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
        new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() != Object.class && !method.getName().equals("close")
              && !method.getName().equals("serviceName") && !method.getName().equals("serviceClientConfiguration")) {
            calls.computeIfAbsent(method.getName(), k -> new LongAdder()).increment();
          }
          try {
            return method.invoke(raw, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** @param dataDir the folder of the tables' database file, or {@code null} to keep them in memory */
  public static LocalDynamoDb start(Path dataDir) {
    if (dataDir == null) {
      return new LocalDynamoDb(DynamoDBEmbedded.create());
    }
    try {
      // one SQLite database file, whatever the credentials and region of the client
      Path file = Files.createDirectories(dataDir).resolve("reflex.db");
      return new LocalDynamoDb(DynamoDBEmbedded.create(file.toFile(), false));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public DynamoDbClient client() {
    return client;
  }

  /** API calls made since the last {@link #resetCalls()}. */
  public long totalCalls() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public Map<String, Long> callsByOperation() {
    Map<String, Long> snapshot = new TreeMap<>();
    calls.forEach((op, n) -> snapshot.put(op, n.sum()));
    return snapshot;
  }

  public void resetCalls() {
    calls.clear();
  }

  @Override
  public void close() {
    local.shutdownNow();
  }
}
