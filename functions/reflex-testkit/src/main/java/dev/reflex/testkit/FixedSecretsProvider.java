package dev.reflex.testkit;

import dev.reflex.domain.error.SecretNotFoundException;
import dev.reflex.domain.port.SecretsProvider;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A {@link SecretsProvider} over a fixed map. */
public final class FixedSecretsProvider implements SecretsProvider {

  private final Map<String, byte[]> secrets = new HashMap<>();

  public FixedSecretsProvider(Map<String, byte[]> secrets) {
    secrets.forEach((name, value) -> this.secrets.put(name, value.clone()));
  }

  public static FixedSecretsProvider of(String name, String value) {
    return new FixedSecretsProvider(Map.of(name, value.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public byte[] secret(String name) {
    byte[] value = secrets.get(name);
    if (value == null) {
      throw new SecretNotFoundException("secret " + name + " is not configured");
    }
    return value.clone();
  }
}
