package dev.reflex.adapters.pullrequests.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void scrub_whenTextContainsTheTokenInUse_replacesIt() {
    assertThat(Redaction.scrub("token abc123secretvalue was refused", "abc123secretvalue"))
        .isEqualTo("token *** was refused");
  }

  @Test
  void scrub_whenTextContainsTokenShapedStrings_replacesThem() {
    String text = "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa github_pat_11ABCDEFG0123456789_abcdefghijkl "
        + "glpat-abcdefghij0123456789 Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig";

    assertThat(Redaction.scrub(text, null)).doesNotContain("ghp_a", "github_pat_", "glpat-", "eyJ")
        .contains("Authorization: ***");
  }

  @Test
  void scrub_whenTextIsLong_collapsesWhitespaceAndTruncates() {
    String scrubbed = Redaction.scrub("line one\n\n   line two " + "x".repeat(500), null);

    assertThat(scrubbed).startsWith("line one line two x").hasSize(Redaction.MAX_DETAIL).endsWith("…");
  }

  @Test
  void title_whenCutInsideASurrogatePair_keepsThePairWhole() {
    String title = "a".repeat(9) + "😀" + "tail";

    String cut = Redaction.title(title, 11);

    assertThat(cut).isEqualTo("a".repeat(9) + "…");
    assertThat(Redaction.title("  short  ", 11)).isEqualTo("short");
  }
}
