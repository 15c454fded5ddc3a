package dev.reflex.adapters.git;

import dev.reflex.domain.error.ReflexException;

/**
 * The playbook repository could not be reached or updated (network, authentication, a corrupt
 * clone). The message never contains credentials.
 */
public class PlaybookRepositoryException extends ReflexException {
  public PlaybookRepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
