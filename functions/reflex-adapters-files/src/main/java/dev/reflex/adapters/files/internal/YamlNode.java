package dev.reflex.adapters.files.internal;

import dev.reflex.adapters.files.CatalogException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML value that remembers the line it came from, so errors can say {@code file:line}. */
public sealed interface YamlNode permits YamlNode.MapNode, YamlNode.ListNode, YamlNode.Scalar {

  int line();

  /** The file the node was read from, for error messages. */
  String file();

  /** The node as plain Java data: maps, lists, strings, numbers, booleans, null. */
  Object plain();

  default CatalogException error(String message) {
    return new CatalogException(file(), line(), message);
  }

  default String kind() {
    return switch (this) {
      case MapNode m -> "a mapping";
      case ListNode l -> "a list";
      case Scalar s -> s.value() == null ? "empty" : "a scalar";
    };
  }

  default MapNode asMap(String what) {
    if (this instanceof MapNode map) {
      return map;
    }
    throw error(what + " must be a mapping, found " + kind());
  }

  default ListNode asList(String what) {
    if (this instanceof ListNode list) {
      return list;
    }
    throw error(what + " must be a list, found " + kind());
  }

  /** A scalar as text (numbers and booleans as written); maps and lists are refused. */
  default String asText(String what) {
    if (this instanceof Scalar scalar && scalar.value() != null) {
      return scalar.text();
    }
    throw error(what + " must be a text value, found " + kind());
  }

  record Scalar(Object value, String text, String file, int line) implements YamlNode {
    @Override
    public Object plain() {
      return value;
    }
  }

  record ListNode(List<YamlNode> items, String file, int line) implements YamlNode {
    @Override
    public Object plain() {
      List<Object> out = new ArrayList<>();
      items.forEach(item -> out.add(item.plain()));
      return out;
    }
  }

  record MapNode(Map<String, YamlNode> entries, Map<String, Integer> keyLines, String file, int line)
      implements YamlNode {

    @Override
    public Object plain() {
      Map<String, Object> out = new LinkedHashMap<>();
      entries.forEach((k, v) -> out.put(k, v.plain()));
      return out;
    }

    public boolean has(String key) {
      return entries.containsKey(key) && !(entries.get(key) instanceof Scalar s && s.value() == null);
    }

    public YamlNode get(String key) {
      return entries.get(key);
    }

    public int lineOf(String key) {
      return keyLines.getOrDefault(key, line);
    }

    public YamlNode require(String key, String what) {
      if (!has(key)) {
        throw error(what + ": '" + key + "' is required");
      }
      return entries.get(key);
    }

    public String text(String key, String what) {
      return require(key, what).asText(what + "." + key);
    }

    public String optText(String key, String what, String fallback) {
      return has(key) ? entries.get(key).asText(what + "." + key) : fallback;
    }

    /** A list of texts; a single scalar counts as a list of one. */
    public List<String> texts(String key, String what) {
      if (!has(key)) {
        return List.of();
      }
      YamlNode node = entries.get(key);
      if (node instanceof Scalar) {
        return List.of(node.asText(what + "." + key));
      }
      List<String> out = new ArrayList<>();
      for (YamlNode item : node.asList(what + "." + key).items()) {
        out.add(item.asText(what + "." + key + "[]"));
      }
      return out;
    }

    /** Refuses keys outside {@code allowed}: a misspelt key is an error, not silently ignored. */
    public void onlyKeys(String what, java.util.Set<String> allowed) {
      for (String key : entries.keySet()) {
        if (!allowed.contains(key)) {
          throw new CatalogException(file, lineOf(key),
              what + ": unknown key '" + key + "' (expected one of " + new java.util.TreeSet<>(allowed) + ")");
        }
      }
    }
  }
}
