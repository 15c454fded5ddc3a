package dev.reflex.domain.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.model.Approval;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ApprovalLinksTest {

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final Instant NOW = Instant.parse("2025-03-14T09:00:00Z");
  private final ApprovalLinks links = new ApprovalLinks(KEY, "https://reflex.example/");

  private static Approval approval(String id, Instant expiresAt) {
    return new Approval(id, "inc-1", "SECRET-TASK-TOKEN", Approval.ApprovalStatus.PENDING, NOW, expiresAt, null, null,
        null);
  }

  @Test
  void signature_isHmacSha256OfIdAndExpiry_base64UrlWithoutPadding() throws Exception {
    Approval approval = approval("apr-abc", NOW.plusSeconds(3600));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(
        mac.doFinal(("apr-abc|" + NOW.plusSeconds(3600).getEpochSecond()).getBytes(StandardCharsets.UTF_8)));

    assertThat(links.signature(approval)).isEqualTo(expected).doesNotContain("=", "+", "/");
  }

  @Test
  void verify_ownSignature_passes_forgedOrOtherFails() {
    Approval approval = approval("apr-abc", NOW.plusSeconds(3600));
    String sig = links.signature(approval);

    assertThat(links.verify(approval, sig)).isTrue();
    assertThat(links.verify(approval, sig.substring(1) + "A")).isFalse();
    assertThat(links.verify(approval, null)).isFalse();
    assertThat(links.verify(approval, "")).isFalse();
    assertThat(links.verify(approval("apr-other", NOW.plusSeconds(3600)), sig)).isFalse();
    assertThat(links.verify(approval("apr-abc", NOW.plusSeconds(7200)), sig)).as("extended expiry").isFalse();
    assertThat(new ApprovalLinks("x".repeat(32).getBytes(StandardCharsets.UTF_8), "https://r").verify(approval, sig))
        .as("other key").isFalse();
  }

  @Test
  void pageUrl_carriesIdAndSignature_neverTheTaskToken() {
    Approval approval = approval("apr-abc", NOW.plusSeconds(3600));
    assertThat(links.pageUrl(approval))
        .isEqualTo("https://reflex.example/approvals/apr-abc?sig=" + links.signature(approval))
        .doesNotContain("SECRET-TASK-TOKEN");
  }

  @Test
  void constructor_shortKey_isRefused() {
    assertThatThrownBy(() -> new ApprovalLinks(new byte[31], "https://r")).isInstanceOf(IllegalArgumentException.class);
  }
}
