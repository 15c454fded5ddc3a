package dev.reflex.adapters.aws;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which managed instances a command runs on: explicit instance ids (at most 50, the SendCommand
 * limit) or tag selectors. Never empty and never a wildcard, so a mapping mistake cannot fan out
 * to the whole fleet.
 */
public sealed interface Targets {

  int MAX_INSTANCE_IDS = 50;
  Pattern INSTANCE_ID = Pattern.compile("(?:i|mi)-[0-9a-f]{8,17}");
  Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{N}_.:/=+@-][\\p{L}\\p{N} _.:/=+@-]{0,127}");
  Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{N}_.:/=+@-][\\p{L}\\p{N} _.:/=+@-]{0,255}");

  /** A one-line description for reports and audit, e.g. {@code tag:Service=payment-api}. */
  String describe();

  record InstanceIds(List<String> ids) implements Targets {
    public InstanceIds {
      ids = List.copyOf(Objects.requireNonNull(ids, "ids"));
      if (ids.isEmpty()) {
        throw new IllegalArgumentException("at least one instance id is required");
      }
      if (ids.size() > MAX_INSTANCE_IDS) {
        throw new IllegalArgumentException("at most " + MAX_INSTANCE_IDS + " instance ids, got " + ids.size());
      }
      for (String id : ids) {
        if (id == null || !INSTANCE_ID.matcher(id).matches()) {
          throw new IllegalArgumentException("not an instance id (expected " + INSTANCE_ID + ")");
        }
      }
      if (ids.stream().distinct().count() != ids.size()) {
        throw new IllegalArgumentException("duplicate instance id");
      }
    }

    @Override
    public String describe() {
      return "instances " + String.join(",", ids);
    }
  }

  /** Instances carrying every one of these tags ({@code tag:Key=Value}); values of one key are alternatives. */
  record Tags(Map<String, List<String>> tags) implements Targets {
    public Tags {
      Objects.requireNonNull(tags, "tags");
      if (tags.isEmpty()) {
        throw new IllegalArgumentException("at least one tag is required");
      }
      if (tags.size() > 5) {
        throw new IllegalArgumentException("at most 5 tag keys (SendCommand accepts 5 targets)");
      }
      Map<String, List<String>> copy = new LinkedHashMap<>();
      tags.forEach((key, values) -> {
        if (key == null || !TAG_KEY.matcher(key).matches() || key.startsWith("aws:")) {
          throw new IllegalArgumentException("invalid tag key: " + key);
        }
        if (values == null || values.isEmpty() || values.size() > MAX_INSTANCE_IDS) {
          throw new IllegalArgumentException("tag " + key + " needs 1 to " + MAX_INSTANCE_IDS + " values");
        }
        for (String value : values) {
          if (value == null || !TAG_VALUE.matcher(value).matches() || value.contains("*")) {
            throw new IllegalArgumentException("invalid value for tag " + key);
          }
        }
        copy.put(key, List.copyOf(values));
      });
      tags = java.util.Collections.unmodifiableMap(copy);
    }

    @Override
    public String describe() {
      StringBuilder text = new StringBuilder();
      tags.forEach((key, values) -> text.append(text.isEmpty() ? "" : " ").append("tag:").append(key).append('=')
          .append(String.join(",", values)));
      return text.toString();
    }
  }
}
