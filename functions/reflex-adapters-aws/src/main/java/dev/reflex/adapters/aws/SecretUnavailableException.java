package dev.reflex.adapters.aws;

import dev.reflex.domain.error.ReflexException;

/**
 * A secret exists or may exist but cannot be read now (access denied, throttled, service error,
 * decryption failure). The message names the secret and the AWS error code, never the value.
 */
public class SecretUnavailableException extends ReflexException {
  public SecretUnavailableException(String message) {
    super(message);
  }
}
