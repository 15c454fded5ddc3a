package dev.reflex.domain.service;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;

/** Default id suppliers: random, unguessable, readable. */
public final class Ids {

  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** {@code inc-20250101-k3j5a7pq2xyz}: the UTC day, then 60 random bits in lower-case base32. */
  public static Supplier<String> incidentIds(Clock clock) {
    return () -> "inc-" + DAY.format(clock.instant()) + "-" + random(12);
  }

  /** {@code apr-} and 26 base32 characters: 130 random bits, opaque. */
  public static Supplier<String> approvalIds() {
    return () -> "apr-" + random(26);
  }

  /** {@code length} random lower-case base32 characters (5 bits each). */
  public static String random(int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(BASE32[RANDOM.nextInt(BASE32.length)]);
    }
    return text.toString();
  }
}
