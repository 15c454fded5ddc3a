package dev.reflex.adapters.pullrequests;

import dev.reflex.adapters.pullrequests.internal.Backoff;
import dev.reflex.domain.port.PullRequestProvider.PullRequestRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Recorded response bodies and the draft every provider test opens. */
final class Fixtures {

  static final Instant NOW = Instant.parse("2026-04-02T10:03:19Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Backoff FAST =
      new Backoff(Duration.ofMillis(1), Duration.ofMillis(5));

  static final String BRANCH = "learned/disk-full-var-log";
  static final String HEAD = "9f2c1e7a4b8d3f6e0a5c2b1d4e7f8a9b0c3d6e1f";
  static final String TITLE = "Learned playbook: disk full on /var/log (disk-full-var-log)";
  /** A review page as the use case renders it: headings, a table, code, non-ASCII, a trailing newline. */
  static final String BODY = """
      ## Diagnosis
      Disk usage on `/var/log` of `web-1` reached **96 %** (threshold 90 %) — journald not rotated.

      | # | step | risk | rollback |
      |---|------|------|----------|
      | 1 | `journalctl --vacuum-size=500M` | safe_write | none needed |
      | 2 | restart `rsyslog` | safe_write | `systemctl start rsyslog` |

      Gate: ✅ passed · [incident inc-20260402-0042](https://reflex.example/incidents/inc-20260402-0042)
      """;
  static final String REASON = "Incident inc-20260402-0057 recurred with the same signature; "
      + "Reflex pushed a revised draft (step 2 now waits for the service).";

  private Fixtures() {}

  static PullRequestRequest draft() {
    return new PullRequestRequest(BRANCH, "main", TITLE, BODY, REASON);
  }

  static String body(String resource) {
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
