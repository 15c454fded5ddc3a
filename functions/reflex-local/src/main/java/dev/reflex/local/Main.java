package dev.reflex.local;

import dev.reflex.local.app.EmbeddedReflex;
import dev.reflex.local.cli.ReflexCli;
import dev.reflex.local.http.AdminToken;
import dev.reflex.local.http.ReflexHttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/** {@code ./reflex}: the embedded runtime's command line. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(ReflexCli.usage());
      return 2;
    }
    Path home = Path.of(System.getProperty("reflex.home", ".")).toAbsolutePath().normalize();
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return switch (args[0]) {
        case "demo" -> demo(home, out);
        case "serve" -> serve(home, rest, out, err);
        case "bench" -> Bench.run(home, rest, out);
        case "validate" -> dev.reflex.local.review.ValidateCommand.run(rest, out, err);
        case "pr" -> dev.reflex.local.review.ReviewCommands.pr(home, rest, out, err);
        case "sync" -> dev.reflex.local.review.ReviewCommands.sync(home, rest, out, err);
        case "help", "--help", "-h" -> {
          out.print(ReflexCli.usage());
          yield 0;
        }
        default -> new ReflexCli().run(args, out, err);
      };
    } catch (IllegalArgumentException e) {
      err.println("reflex: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("reflex: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return 1;
    }
  }

  private static int demo(Path home, PrintStream out) throws IOException, InterruptedException {
    Path dataDir = Files.createTempDirectory("reflex-demo-");
    return new Demo(home, out).run(dataDir).exitCode();
  }

  private static int serve(Path home, String[] args, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    int port = 8080;
    Path dataDir = Path.of(".reflex");
    String executor = "dry-run";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = number(value(args, ++i, "--port"), "--port");
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
        case "--executor" -> executor = value(args, ++i, "--executor");
        default -> throw new IllegalArgumentException("unknown option for serve: " + args[i]);
      }
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be within 0..65535");
    }
    String baseUrl = "http://127.0.0.1:" + port;
    EmbeddedReflex reflex = EmbeddedReflex.start(
        EmbeddedReflex.Options.defaults(home, dataDir.toAbsolutePath(), baseUrl).withExecutor(executor));
    ReflexHttpServer server = new ReflexHttpServer(reflex,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), AdminToken.loadOrCreate(dataDir));
    server.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop();
      reflex.close();
      stopped.countDown();
    }));
    out.println("Reflex is listening on " + baseUrl + " (data in " + dataDir.toAbsolutePath() + ")");
    out.println("  POST " + baseUrl + "/api/v1/alerts   (Alertmanager webhook, version 4)");
    out.println("  GET  " + baseUrl + "/api/v1/incidents, /api/v1/playbooks, /health");
    stopped.await();
    return 0;
  }

  static int number(String text, String option) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number");
    }
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }
}
