package dev.reflex.domain.approval;

import dev.reflex.domain.model.Approval;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, personal links to an approval's confirmation page. The signature is HMAC-SHA256 over
 * {@code approvalId|approverAddress|expiresAtEpochSecond}, base64url without padding: a link cannot be
 * forged, pointed at another approval, extended, or handed to another address (changing the address
 * in the link breaks the signature). The link carries no task token.
 */
public final class ApprovalLinks {

  public static final int MIN_KEY_BYTES = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private final byte[] key;
  private final String baseUrl;

  public ApprovalLinks(byte[] key, String baseUrl) {
    Objects.requireNonNull(key, "key");
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("approval link key must be at least " + MIN_KEY_BYTES + " bytes");
    }
    Objects.requireNonNull(baseUrl, "baseUrl");
    this.key = Arrays.copyOf(key, key.length);
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** The signature of {@code approver}'s link (the address is compared in lower case). */
  public String signature(Approval approval, String approver) {
    String payload = approval.id() + "|" + normal(approver) + "|" + approval.expiresAt().getEpochSecond();
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      byte[] digest = mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /** Constant-time comparison of {@code signature} with the one {@code approver}'s link carries. */
  public boolean verify(Approval approval, String approver, String signature) {
    if (signature == null || signature.isEmpty() || approver == null || approver.isBlank()) {
      return false;
    }
    byte[] expected = signature(approval, approver).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code <baseUrl>/approvals/<id>/<approver>?sig=<signature>}, each path part URL-encoded. */
  public String pageUrl(Approval approval, String approver) {
    return baseUrl + "/approvals/" + segment(approval.id()) + "/" + segment(normal(approver))
        + "?sig=" + signature(approval, approver);
  }

  private static String normal(String approver) {
    return Objects.requireNonNull(approver, "approver").strip().toLowerCase(Locale.ROOT);
  }

  private static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
