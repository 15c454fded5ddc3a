package dev.reflex.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignatureTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '~', quoteCharacter = '"', textBlock = """
      api; rm -rf /          ~ api-rm-rf
      $(curl x)              ~ curl-x
      `id`                   ~ id
      "line1\nline2"         ~ line1-line2
      Zürich-Ñandú           ~ zurich-nandu
      ../../etc/passwd       ~ etc-passwd
      |||                    ~ unknown
      "   "                  ~ unknown
      Payment_API.v2         ~ payment_api.v2
      """)
  void normalise_hostileValue_staysInSafeCharacterSet(String raw, String expected) {
    String value = raw.replace("\\n", "\n");
    String normalised = Signature.normalise(value);
    assertThat(normalised).isEqualTo(expected).matches("[a-z0-9._-]{1,63}");
    assertThat(Signature.of("high_latency", value, "india").toString()).isEqualTo("high_latency|" + expected + "|india");
  }

  @ParameterizedTest
  @CsvSource({"300", "1000"})
  void normalise_longValue_isCutTo63(int length) {
    assertThat(Signature.normalise("a".repeat(length))).hasSize(63);
  }
}
