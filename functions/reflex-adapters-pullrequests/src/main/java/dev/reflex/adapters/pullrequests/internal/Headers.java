package dev.reflex.adapters.pullrequests.internal;

import java.util.Map;
import java.util.Optional;

/** HTTP header lookup ignoring case, as HTTP requires. */
public final class Headers {

  private Headers() {}

  public static Optional<String> first(Map<String, String> headers, String name) {
    if (headers == null) {
      return Optional.empty();
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey() != null && header.getKey().equalsIgnoreCase(name) && header.getValue() != null) {
        return Optional.of(header.getValue());
      }
    }
    return Optional.empty();
  }
}
