package dev.reflex.adapters.files.internal;

import dev.reflex.domain.model.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values a playbook runs with: only declared parameters, the supplied value or else the
 * default, each re-checked against its pattern. Problems name the parameter, never the value.
 */
public record ParameterValues(Map<String, String> values, List<String> problems) {

  public ParameterValues {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  public static ParameterValues resolve(List<Parameter> parameters, Map<String, String> supplied) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Map<String, String> given = supplied == null ? Map.of() : supplied;
    for (Parameter parameter : parameters) {
      String name = parameter.name();
      if (name.startsWith("ansible_") || name.startsWith("reflex_")) {
        problems.add("parameter name '" + name + "' is reserved (ansible_*, reflex_*)");
        continue;
      }
      String value = given.get(name);
      if (value == null) {
        value = parameter.defaultValue();
      }
      if (value == null) {
        if (parameter.required()) {
          problems.add("missing required parameter '" + name + "'");
        }
        continue;
      }
      if (!parameter.accepts(value)) {
        problems.add("parameter '" + name + "' does not match its pattern " + parameter.pattern());
        continue;
      }
      values.put(name, value);
    }
    return new ParameterValues(values, problems);
  }
}
