package dev.reflex.adapters.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LoggingSecretAccessAuditTest {

  @Test
  void record_logsNamePurposeAndTimeOnOneLine() {
    Logger logger = Logger.getLogger(LoggingSecretAccessAudit.class.getName());
    List<String> lines = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        lines.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    try {
      new LoggingSecretAccessAudit().record("reflex/payment-db", "approval\nforged line",
          Instant.parse("2026-01-01T00:00:00Z"));
    } finally {
      logger.removeHandler(handler);
    }

    assertThat(lines).containsExactly(
        "secret read: name=reflex/payment-db purpose=approval forged line at=2026-01-01T00:00:00Z");
  }
}
