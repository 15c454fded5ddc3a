package dev.reflex.adapters.aws;

import dev.reflex.domain.error.SecretNotFoundException;
import dev.reflex.domain.port.SecretsProvider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Secrets from AWS Secrets Manager ({@code GetSecretValue}, current version), cached for the
 * life of this instance (one Lambda execution environment). Every read, cached or not, is
 * recorded with the {@link SecretAccessAudit}. Errors name the secret, never the value; the
 * cause of an AWS error is not kept (its message is not ours to vouch for).
 */
public final class SecretsManagerSecretsProvider implements SecretsProvider {

  /** Secret names and ARNs as Secrets Manager accepts them. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@:-]{1,2048}");
  public static final String DEFAULT_PURPOSE = "unspecified";

  private final SecretsManagerClient client;
  private final SecretAccessAudit audit;
  private final Clock clock;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  public SecretsManagerSecretsProvider(SecretsManagerClient client, SecretAccessAudit audit) {
    this(client, audit, Clock.systemUTC());
  }

  public SecretsManagerSecretsProvider(SecretsManagerClient client, SecretAccessAudit audit, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public byte[] secret(String name) {
    return secret(name, DEFAULT_PURPOSE);
  }

  /**
   * @param purpose recorded with the access, e.g. {@code approval-link-signing}
   * @throws SecretNotFoundException when there is no such secret (or no current value)
   * @throws SecretUnavailableException when it cannot be read now
   */
  public byte[] secret(String name, String purpose) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new SecretNotFoundException("invalid secret name (expected " + NAME + ")");
    }
    audit.record(name, Objects.requireNonNullElse(purpose, DEFAULT_PURPOSE), clock.instant());
    byte[] value = cache.computeIfAbsent(name, this::fetch);
    return Arrays.copyOf(value, value.length);
  }

  /** Forgets cached values (e.g. after a rotation was announced). */
  public void clearCache() {
    cache.clear();
  }

  private byte[] fetch(String name) {
    GetSecretValueResponse response;
    try {
      response = client.getSecretValue(GetSecretValueRequest.builder().secretId(name).build());
    } catch (ResourceNotFoundException e) {
      throw new SecretNotFoundException("secret '" + name + "' not found in Secrets Manager");
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? "unknown" : e.awsErrorDetails().errorCode();
      throw new SecretUnavailableException("secret '" + name + "' cannot be read: " + code + " (HTTP "
          + e.statusCode() + ")");
    } catch (SdkException e) {
      throw new SecretUnavailableException("secret '" + name + "' cannot be read: " + e.getClass().getSimpleName());
    }
    if (response.secretString() != null) {
      return response.secretString().getBytes(StandardCharsets.UTF_8);
    }
    if (response.secretBinary() != null) {
      return response.secretBinary().asByteArray();
    }
    throw new SecretNotFoundException("secret '" + name + "' has no value");
  }
}
