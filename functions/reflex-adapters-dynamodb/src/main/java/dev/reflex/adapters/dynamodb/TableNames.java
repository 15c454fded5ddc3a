package dev.reflex.adapters.dynamodb;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Names of the Reflex tables. The defaults are {@code reflex-incidents}, {@code reflex-playbooks}
 * and {@code reflex-approvals}; a prefix separates stages or test runs ({@code it-42-incidents}).
 */
public record TableNames(String incidents, String playbooks, String approvals) {

  public static final String DEFAULT_PREFIX = "reflex-";
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

  public TableNames {
    for (String name : new String[] {incidents, playbooks, approvals}) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a DynamoDB table name: " + name);
      }
    }
  }

  public static TableNames defaults() {
    return withPrefix(DEFAULT_PREFIX);
  }

  public static TableNames withPrefix(String prefix) {
    return new TableNames(prefix + "incidents", prefix + "playbooks", prefix + "approvals");
  }

  public List<String> all() {
    return List.of(incidents, playbooks, approvals);
  }
}
