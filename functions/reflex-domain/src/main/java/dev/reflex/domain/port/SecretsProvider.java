package dev.reflex.domain.port;

/**
 * Reads secrets by name (Secrets Manager on AWS; a protected file or environment variable
 * locally). A secret value is never logged, stored or put in an error message.
 */
public interface SecretsProvider {

  /**
   * @throws dev.reflex.domain.error.SecretNotFoundException naming the secret, never its value
   */
  byte[] secret(String name);
}
