package dev.reflex.local.app;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * DynamoDB Local prints its banner to standard output and ANTLR version warnings to standard
 * error while it starts and parses its first expressions. Reflex starts it quietly so the demo's
 * and the CLI's output stay readable; errors still surface as exceptions.
 */
final class Quietly {

  private Quietly() {}

  static synchronized <T> T run(Supplier<T> action) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream sink = new PrintStream(PrintStream.nullOutputStream());
    System.setOut(sink);
    System.setErr(sink);
    try {
      return action.get();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
