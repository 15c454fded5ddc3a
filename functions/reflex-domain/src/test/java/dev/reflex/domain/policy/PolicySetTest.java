package dev.reflex.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicySetTest {

  static final Policy DEFAULT = Policy.defaults().toBuilder().name("default.yml").build();
  static final Policy LATENCY = DEFAULT.toBuilder().name("latency.yml").categories(List.of("high_latency")).build();
  static final Policy PAYMENTS = DEFAULT.toBuilder().name("payments.yml").services(List.of("payment-api")).build();
  static final Policy BOTH = DEFAULT.toBuilder().name("both.yml").categories(List.of("high_latency"))
      .services(List.of("payment-api")).build();

  @Test
  void resolve_prefersServiceAndCategory_thenService_thenCategory_thenDefault() {
    PolicySet set = PolicySet.of(DEFAULT, LATENCY, PAYMENTS, BOTH);
    assertThat(set.resolve("high_latency", "payment-api").name()).isEqualTo("both.yml");
    assertThat(set.resolve("disk_full", "payment-api").name()).isEqualTo("payments.yml");
    assertThat(set.resolve("high_latency", "search").name()).isEqualTo("latency.yml");
    assertThat(set.resolve("disk_full", "search").name()).isEqualTo("default.yml");
  }

  @Test
  void resolve_withoutDefaultPolicy_fallsBackToBuiltInDefaultWithAutoRemediationOff() {
    Policy policy = PolicySet.of(LATENCY).resolve("disk_full", "search");
    assertThat(policy.name()).isEqualTo("built-in default");
    assertThat(policy.autoRemediation()).isFalse();
    assertThat(policy.enabled()).isTrue();
  }

  @Test
  void allowedHours_officeHoursInParis() {
    AllowedHours hours = new AllowedHours(ZoneId.of("Europe/Paris"), EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
        LocalTime.of(8, 0), LocalTime.of(18, 0));
    assertThat(hours.contains(Instant.parse("2025-03-14T07:00:00Z"))).isTrue();   // Fri 08:00 Paris
    assertThat(hours.contains(Instant.parse("2025-03-14T06:59:59Z"))).isFalse();  // Fri 07:59
    assertThat(hours.contains(Instant.parse("2025-03-14T17:00:00Z"))).isFalse();  // Fri 18:00 (exclusive)
    assertThat(hours.contains(Instant.parse("2025-03-15T10:00:00Z"))).isFalse();  // Saturday
    assertThat(hours.nextOpening(Instant.parse("2025-03-15T10:00:00Z"))).isEqualTo(Instant.parse("2025-03-17T07:00:00Z"));
  }

  @Test
  void allowedHours_overMidnightBelongToTheDayTheyStart() {
    AllowedHours nights = new AllowedHours(ZoneId.of("UTC"), EnumSet.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0),
        LocalTime.of(6, 0));
    assertThat(nights.contains(Instant.parse("2025-03-14T23:00:00Z"))).isTrue();   // Friday night
    assertThat(nights.contains(Instant.parse("2025-03-15T05:59:00Z"))).isTrue();   // Saturday early: Friday's window
    assertThat(nights.contains(Instant.parse("2025-03-15T23:00:00Z"))).isFalse();  // Saturday night
    assertThat(nights.contains(Instant.parse("2025-03-14T05:00:00Z"))).isFalse();  // Friday early: Thursday's
  }
}
