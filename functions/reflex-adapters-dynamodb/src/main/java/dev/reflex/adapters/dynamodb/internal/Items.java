package dev.reflex.adapters.dynamodb.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reading and writing single attributes of low-level DynamoDB items. */
public final class Items {

  /**
   * Instants as fixed-width UTC text with nanoseconds, so that string order is time order (the
   * default {@code Instant.toString()} drops zero fractions and does not sort).
   */
  private static final DateTimeFormatter SORTABLE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Items() {}

  public static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  public static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  public static AttributeValue n(double value) {
    return AttributeValue.fromN(Double.toString(value));
  }

  public static AttributeValue list(List<String> values) {
    return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
  }

  public static String sortable(Instant instant) {
    return SORTABLE.format(instant);
  }

  public static AttributeValue time(Instant instant) {
    return s(sortable(instant));
  }

  /** Puts a string attribute unless the value is null (DynamoDB has no null strings). */
  public static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, s(value));
    }
  }

  public static void putIfPresent(Map<String, AttributeValue> item, String name, Instant value) {
    if (value != null) {
      item.put(name, time(value));
    }
  }

  public static String string(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }

  public static String requiredString(Map<String, AttributeValue> item, String name) {
    String value = string(item, name);
    if (value == null) {
      throw new IllegalStateException("stored item lacks attribute " + name);
    }
    return value;
  }

  public static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    if (value == null || value.n() == null) {
      throw new IllegalStateException("stored item lacks numeric attribute " + name);
    }
    return Long.parseLong(value.n());
  }

  public static double decimal(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    if (value == null || value.n() == null) {
      throw new IllegalStateException("stored item lacks numeric attribute " + name);
    }
    return Double.parseDouble(value.n());
  }

  public static Instant instant(Map<String, AttributeValue> item, String name) {
    String value = string(item, name);
    return value == null ? null : Instant.parse(value);
  }

  public static List<String> strings(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || !value.hasL() ? List.of() : value.l().stream().map(AttributeValue::s).toList();
  }

  public static boolean isEmpty(Map<String, AttributeValue> item) {
    return item == null || item.isEmpty();
  }
}
