package dev.reflex.adapters.aws;

import java.lang.System.Logger.Level;
import java.time.Instant;

/** Logs one line per secret read, at INFO: the secret's name, the purpose and the time. */
public final class LoggingSecretAccessAudit implements SecretAccessAudit {

  private static final System.Logger LOG = System.getLogger(LoggingSecretAccessAudit.class.getName());

  @Override
  public void record(String name, String purpose, Instant at) {
    LOG.log(Level.INFO, "secret read: name={0} purpose={1} at={2}", oneLine(name), oneLine(purpose), at);
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\p{Cntrl}+", " ");
  }
}
