package dev.reflex.domain.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.model.Approval;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ApprovalLinksTest {

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final Instant NOW = Instant.parse("2025-03-14T09:00:00Z");
  private static final String ALICE = "alice@example.com";
  private final ApprovalLinks links = new ApprovalLinks(KEY, "https://reflex.example/");

  private static Approval approval(String id, Instant expiresAt) {
    return Approval.pending(id, "inc-1", "SECRET-TASK-TOKEN", NOW, expiresAt, List.of(ALICE, "bob@example.com"), 1,
        "evidence");
  }

  @Test
  void signature_isHmacSha256OfIdAddressAndExpiry_base64UrlWithoutPadding() throws Exception {
    Approval approval = approval("apr-abc", NOW.plusSeconds(3600));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(
        ("apr-abc|alice@example.com|" + NOW.plusSeconds(3600).getEpochSecond()).getBytes(StandardCharsets.UTF_8)));

    assertThat(links.signature(approval, ALICE)).isEqualTo(expected).doesNotContain("=", "+", "/");
    assertThat(links.signature(approval, "Alice@Example.com ")).as("addresses compare in lower case")
        .isEqualTo(expected);
  }

  @Test
  void verify_ownSignature_passes_forgedOtherApprovalOtherAddressOrExtendedFails() {
    Approval approval = approval("apr-abc", NOW.plusSeconds(3600));
    String sig = links.signature(approval, ALICE);

    assertThat(links.verify(approval, ALICE, sig)).isTrue();
    assertThat(links.verify(approval, ALICE, sig.substring(1) + "A")).isFalse();
    assertThat(links.verify(approval, ALICE, null)).isFalse();
    assertThat(links.verify(approval, ALICE, "")).isFalse();
    assertThat(links.verify(approval, null, sig)).isFalse();
    assertThat(links.verify(approval, "bob@example.com", sig)).as("another approver's address").isFalse();
    assertThat(links.verify(approval("apr-other", NOW.plusSeconds(3600)), ALICE, sig)).isFalse();
    assertThat(links.verify(approval("apr-abc", NOW.plusSeconds(7200)), ALICE, sig)).as("extended expiry").isFalse();
    assertThat(new ApprovalLinks("x".repeat(32).getBytes(StandardCharsets.UTF_8), "https://r")
        .verify(approval, ALICE, sig)).as("other key").isFalse();
  }

  @Test
  void pageUrl_carriesIdAddressAndSignature_neverTheTaskToken() {
    Approval approval = approval("apr-abc", NOW.plusSeconds(3600));
    assertThat(links.pageUrl(approval, ALICE))
        .isEqualTo("https://reflex.example/approvals/apr-abc/alice%40example.com?sig="
            + links.signature(approval, ALICE))
        .doesNotContain("SECRET-TASK-TOKEN");
  }

  @Test
  void constructor_shortKey_isRefused() {
    assertThatThrownBy(() -> new ApprovalLinks(new byte[31], "https://r")).isInstanceOf(IllegalArgumentException.class);
  }
}
