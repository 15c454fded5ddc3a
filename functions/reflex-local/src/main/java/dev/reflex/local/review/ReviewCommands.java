package dev.reflex.local.review;

import dev.reflex.adapters.dynamodb.DynamoDbPlaybookStore;
import dev.reflex.adapters.dynamodb.DynamoDbPullRequestStore;
import dev.reflex.adapters.dynamodb.ReflexTables;
import dev.reflex.adapters.dynamodb.TableNames;
import dev.reflex.adapters.git.GitRepositoryConfig;
import dev.reflex.adapters.git.JGitPlaybookRepository;
import dev.reflex.adapters.git.PlaybookRepositories;
import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.review.SyncPlaybooks;
import dev.reflex.local.app.LocalDynamoDb;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./reflex pr list|show ID|merge ID|close ID [--reason TEXT]} and {@code ./reflex sync}:
 * the local provider's review, straight on the data folder ({@code --data-dir}, default
 * {@code .reflex}) that {@code ./reflex serve} uses. Run them while the server is stopped: the
 * embedded DynamoDB's file belongs to one process at a time.
 *
 * <p>Exit codes: 0 done, 1 failed (not found, not open, conflict), 2 usage error.
 */
public final class ReviewCommands {

  private ReviewCommands() {}

  public static int pr(Path home, String[] args, PrintStream out, PrintStream err) {
    Parsed parsed = Parsed.of(args);
    if (parsed.operands.isEmpty()) {
      err.println("reflex: usage: ./reflex pr list | show ID | merge ID | close ID [--reason TEXT]");
      return 2;
    }
    return withReview(home, parsed.dataDir, err, review -> pr(review, parsed, out));
  }

  /** For tests: the pr commands on a given review. */
  static int pr(LocalReview review, String[] args, PrintStream out) {
    return pr(review, Parsed.of(args), out);
  }

  private static int pr(LocalReview review, Parsed parsed, PrintStream out) {
    String command = parsed.operands.get(0);
    return switch (command) {
      case "list" -> list(review, out);
      case "show" -> show(review, id(parsed, "show"), out);
      case "merge" -> {
        LocalReview.Merged merged = review.merge(id(parsed, "merge"));
        out.println("merged " + merged.pullRequest().id() + " (" + merged.pullRequest().branch() + " -> "
            + merged.pullRequest().targetBranch() + ") at " + merged.pullRequest().headSha());
        merged.tags().forEach(tag -> out.println("tagged " + tag));
        print(merged.sync(), out);
        yield 0;
      }
      case "close" -> {
        PullRequest closed = review.close(id(parsed, "close"), parsed.reason);
        out.println("closed " + closed.id() + " (" + closed.branch() + "): its draft is rejected");
        yield 0;
      }
      default -> throw new IllegalArgumentException("unknown pr command: " + command
          + " (list, show ID, merge ID, close ID [--reason TEXT])");
    };
  }

  public static int sync(Path home, String[] args, PrintStream out, PrintStream err) {
    Parsed parsed = Parsed.of(args);
    if (!parsed.operands.isEmpty()) {
      err.println("reflex: usage: ./reflex sync [--data-dir DIR]");
      return 2;
    }
    return withReview(home, parsed.dataDir, err, review -> {
      print(review.sync(), out);
      return 0;
    });
  }

  private static int list(LocalReview review, PrintStream out) {
    List<DynamoDbPullRequestStore.Record> records = review.pullRequests().list();
    if (records.isEmpty()) {
      out.println("no pull requests yet");
      return 0;
    }
    out.printf("%-8s %-8s %-50s %s%n", "ID", "STATE", "BRANCH", "TITLE");
    for (DynamoDbPullRequestStore.Record record : records) {
      PullRequest pr = record.pullRequest();
      out.printf("%-8s %-8s %-50s %s%n", pr.id(), pr.state().name().toLowerCase(Locale.ROOT), clean(pr.branch()),
          clean(pr.title()));
    }
    return 0;
  }

  private static int show(LocalReview review, String id, PrintStream out) {
    DynamoDbPullRequestStore.Record record = review.pullRequests().record(id);
    PullRequest pr = record.pullRequest();
    out.println("# " + clean(pr.title()));
    out.println(pr.id() + " · " + pr.state().name().toLowerCase(Locale.ROOT) + " · " + pr.branch() + " -> "
        + pr.targetBranch() + " · head " + (pr.headSha() == null ? "-" : pr.headSha()) + " · opened "
        + record.openedAt());
    out.println();
    out.println(printable(record.body()));
    for (String comment : record.comments()) {
      out.println("---");
      out.println(printable(comment));
    }
    return 0;
  }

  private static void print(SyncPlaybooks.Report report, PrintStream out) {
    out.println("synced with " + report.commitSha());
    report.changes().forEach(change -> out.println("  " + clean(change)));
    report.problems().forEach(problem -> out.println("  skipped: " + clean(problem)));
    if (report.changes().isEmpty()) {
      out.println("  nothing to change");
    }
  }

  interface Action {
    int run(LocalReview review);
  }

  private static int withReview(Path home, Path dataDir, PrintStream err, Action action) {
    Path data = dataDir.toAbsolutePath();
    if (!Files.isDirectory(data.resolve("dynamodb"))) {
      err.println("reflex: no Reflex data in " + data + " (start ./reflex serve --data-dir " + dataDir + " first)");
      return 1;
    }
    try (LocalDynamoDb dynamo = LocalDynamoDb.start(data.resolve("dynamodb"))) {
      new ReflexTables(dynamo.client(), TableNames.defaults()).createIfMissing();
      Path bare = data.resolve("playbooks.git");
      PlaybookRepositories.initBare(bare, home.resolve("playbook-repo-template"));
      JGitPlaybookRepository repository = new JGitPlaybookRepository(GitRepositoryConfig.anonymous(
          data.resolve("playbooks-review-work"), bare.toUri().toString(), PlaybookRepositories.MAIN));
      LocalReview review = new LocalReview(dynamo.client(), TableNames.defaults().playbooks(), repository,
          new DynamoDbPlaybookStore(dynamo.client()), PlaybookRepositories.MAIN, Clock.systemUTC());
      return action.run(review);
    } catch (java.util.NoSuchElementException | IllegalStateException e) {
      err.println("reflex: " + clean(e.getMessage()));
      return 1;
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      err.println("reflex: " + e.getClass().getSimpleName() + ": " + clean(e.getMessage()));
      return 1;
    }
  }

  private static String id(Parsed parsed, String command) {
    if (parsed.operands.size() != 2) {
      throw new IllegalArgumentException("usage: ./reflex pr " + command + " ID");
    }
    return parsed.operands.get(1);
  }

  private static String clean(String text) {
    return text == null ? "" : text.replaceAll("\\p{Cntrl}", " ");
  }

  private static String printable(String text) {
    return text == null ? "" : text.replaceAll("[\\p{Cntrl}&&[^\n\t]]", "?");
  }

  private record Parsed(List<String> operands, Path dataDir, String reason) {
    static Parsed of(String[] args) {
      List<String> operands = new ArrayList<>();
      Path dataDir = Path.of(".reflex");
      String reason = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
          case "--reason" -> reason = value(args, ++i, "--reason");
          default -> {
            if (args[i].startsWith("--")) {
              throw new IllegalArgumentException("unknown option: " + args[i]);
            }
            operands.add(args[i]);
          }
        }
      }
      return new Parsed(operands, dataDir, reason);
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[index];
    }
  }
}
