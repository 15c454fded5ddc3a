package dev.reflex.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The launcher's own commands refuse bad options with a one-line message naming the option. */
class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void serve_whenPortIsNotANumber_exitsWithUsageErrorNamingTheOption() {
    assertThat(run("serve", "--port", "eighty")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("reflex: --port must be a whole number\n");
  }

  @Test
  void serve_whenOptionIsUnknown_exitsWithUsageError() {
    assertThat(run("serve", "--bogus")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option for serve: --bogus");
  }

  @Test
  void noArguments_printsUsageAndExitsTwo() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("demo").contains("serve");
  }
}
