package dev.reflex.lambda.aws;

import dev.reflex.domain.error.SecretNotFoundException;
import dev.reflex.domain.port.SecretsProvider;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Reads secrets from AWS Secrets Manager under {@code <prefix><name>}, caching them for the life
 * of the Lambda instance. Values are never logged; errors name the secret only.
 */
public final class SecretsManagerSecretsProvider implements SecretsProvider {

  private final SecretsManagerClient client;
  private final String prefix;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  public SecretsManagerSecretsProvider(SecretsManagerClient client, String prefix) {
    this.client = client;
    this.prefix = prefix;
  }

  @Override
  public byte[] secret(String name) {
    return cache.computeIfAbsent(name, this::fetch).clone();
  }

  private byte[] fetch(String name) {
    try {
      GetSecretValueResponse value = client.getSecretValue(b -> b.secretId(prefix + name));
      SdkBytes binary = value.secretBinary();
      return binary != null ? binary.asByteArray() : value.secretString().getBytes(StandardCharsets.UTF_8);
    } catch (ResourceNotFoundException e) {
      throw new SecretNotFoundException("secret " + prefix + name + " does not exist");
    }
  }
}
