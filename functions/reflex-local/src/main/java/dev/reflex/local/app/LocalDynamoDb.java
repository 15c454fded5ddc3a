package dev.reflex.local.app;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * DynamoDB Local, in process, on a loopback port: the embedded default's metadata store. With a
 * data folder its tables survive a restart; without one it keeps them in memory.
 */
public final class LocalDynamoDb implements AutoCloseable {

  private final DynamoDBProxyServer server;
  private final URI endpoint;

  private LocalDynamoDb(DynamoDBProxyServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
  }

  /** @param dataDir where the tables live, or {@code null} to keep them in memory */
  public static LocalDynamoDb start(Path dataDir) {
    int port = freePort();
    String[] args = dataDir == null
        ? new String[] {"-inMemory", "-port", String.valueOf(port), "-disableTelemetry"}
        : new String[] {"-sharedDb", "-dbPath", createDirs(dataDir).toString(), "-port", String.valueOf(port),
            "-disableTelemetry"};
    try {
      DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args);
      server.start();
      return new LocalDynamoDb(server, URI.create("http://127.0.0.1:" + port));
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local did not start: " + e.getMessage(), e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // stopping a server that is going away anyway; nothing to recover
    }
  }

  private static Path createDirs(Path dir) {
    try {
      return Files.createDirectories(dir).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
