package dev.reflex.domain.approval;

import dev.reflex.domain.model.Approval;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed links to an approval's confirmation page. The signature is HMAC-SHA256 over
 * {@code approvalId|expiresAtEpochSecond}, base64url without padding: a link cannot be forged,
 * pointed at another approval, or extended. The link carries no task token.
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

  public String signature(Approval approval) {
    String payload = approval.id() + "|" + approval.expiresAt().getEpochSecond();
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      byte[] digest = mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /** Constant-time comparison of {@code signature} with the expected one. */
  public boolean verify(Approval approval, String signature) {
    if (signature == null || signature.isEmpty()) {
      return false;
    }
    byte[] expected = signature(approval).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code <baseUrl>/approvals/<id>?sig=<signature>}. */
  public String pageUrl(Approval approval) {
    return baseUrl + "/approvals/" + URLEncoder.encode(approval.id(), StandardCharsets.UTF_8)
        + "?sig=" + signature(approval);
  }
}
