package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonAndIdsTest {

  @Test
  void quote_escapesQuotesBackslashesAndControlCharacters() {
    assertThat(Json.quote("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
    assertThat(Json.quote("</script>")).isEqualTo("\"\\u003c/script\\u003e\"");
    assertThat(Json.quote(null)).isEqualTo("null");
  }

  @Test
  void incidentIds_haveDayAnd12Base32Characters_andDoNotRepeat() {
    Clock clock = Clock.fixed(Instant.parse("2025-03-14T23:59:59Z"), ZoneOffset.UTC);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = Ids.incidentIds(clock).get();
      assertThat(id).matches("inc-20250314-[a-z2-7]{12}");
      seen.add(id);
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void approvalIds_carryAtLeast128RandomBits() {
    String id = Ids.approvalIds().get();
    assertThat(id).matches("apr-[a-z2-7]{26}");
    assertThat(26 * 5).isGreaterThanOrEqualTo(128);
  }
}
