package dev.reflex.domain.model;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One approver's answer to an approval: who (the address the link was bound to, or the operator),
 * yes or no, when, why, and from where. Votes are kept in the approval for the audit trail; an
 * approver votes at most once.
 *
 * @param reason why, as the approver wrote it ({@code ""} when they gave none)
 */
public record ApprovalVote(String approver, boolean approve, Instant at, String reason, Source source) {

  public ApprovalVote {
    if (approver == null || approver.isBlank()) {
      throw new IllegalArgumentException("who votes is required");
    }
    approver = approver.strip().toLowerCase(Locale.ROOT);
    Objects.requireNonNull(at, "at");
    reason = Objects.requireNonNullElse(reason, "");
    source = Objects.requireNonNullElse(source, Source.UNKNOWN);
  }

  /**
   * Where a vote came from: the channel ({@code link} for a signed link's POST, {@code operator}
   * for the local CLI or the admin API) and, when the channel has them, the client's address and
   * user agent.
   */
  public record Source(String channel, String address, String userAgent) {

    public static final Source UNKNOWN = new Source("unknown", "", "");
    static final int MAX_USER_AGENT = 200;

    public Source {
      channel = flat(channel, 20, "unknown");
      address = flat(address, 64, "");
      userAgent = flat(userAgent, MAX_USER_AGENT, "");
    }

    public static Source link(String address, String userAgent) {
      return new Source("link", address, userAgent);
    }

    public static Source operator() {
      return new Source("operator", "", "");
    }

    /** {@code "link from 203.0.113.9 (Mozilla/5.0 ...)"}. */
    public String describe() {
      return channel + (address.isEmpty() ? "" : " from " + address) + (userAgent.isEmpty() ? "" : " (" + userAgent + ")");
    }

    private static String flat(String text, int max, String fallback) {
      if (text == null || text.isBlank()) {
        return fallback;
      }
      String one = text.replaceAll("\\p{Cntrl}+", " ").strip();
      return one.length() > max ? one.substring(0, max) : one;
    }
  }
}
