package dev.reflex.adapters.files.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills plain {@code {{ name }}} references with validated values, for DISPLAY only (what a
 * dry run says it would do). Anything else (filters, expressions, unknown names) is left as
 * written. Execution never uses this: Ansible renders its own variables.
 */
public final class Jinja {

  private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  private Jinja() {}

  public static String render(String text, Map<String, String> values) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Renders every string inside plain data (maps, lists). */
  public static Object render(Object data, Map<String, String> values) {
    if (data instanceof String s) {
      return render(s, values);
    }
    if (data instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), render(v, values)));
      return out;
    }
    if (data instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(render(v, values)));
      return out;
    }
    return data;
  }

  /** Names referenced as plain {@code {{ name }}} anywhere in the data. */
  public static java.util.Set<String> references(Object data) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    collect(data, names);
    return names;
  }

  private static void collect(Object data, java.util.Set<String> names) {
    if (data instanceof String s) {
      Matcher m = REFERENCE.matcher(s);
      while (m.find()) {
        names.add(m.group(1));
      }
    } else if (data instanceof Map<?, ?> map) {
      map.values().forEach(v -> collect(v, names));
    } else if (data instanceof List<?> list) {
      list.forEach(v -> collect(v, names));
    }
  }
}
