package dev.reflex.domain.service;

import dev.reflex.domain.error.InvalidParameterException;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives each playbook parameter its value: the alert label it names, else its default. Every value
 * must match the parameter's pattern in full. Errors name the parameter and the pattern, never the
 * value: it comes from an alert and may be hostile.
 */
public final class ParameterBinder {

  /** @return parameter name to value, in declaration order; optional parameters without value are left out */
  public Map<String, String> bind(Playbook playbook, Alert alert) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Parameter parameter : playbook.parameters()) {
      String value = parameter.fromLabel() == null ? null : alert.label(parameter.fromLabel());
      if (value == null || value.isEmpty()) {
        value = parameter.defaultValue();
      }
      if (value == null) {
        if (parameter.required()) {
          throw new InvalidParameterException(parameter.name(), "parameter " + parameter.name()
              + " is required but has no value"
              + (parameter.fromLabel() == null ? "" : " (alert label " + parameter.fromLabel() + " is missing)")
              + " and no default");
        }
        continue;
      }
      if (!parameter.accepts(value)) {
        throw new InvalidParameterException(parameter.name(), "parameter " + parameter.name()
            + " does not match its pattern " + parameter.pattern() + "; the value was refused");
      }
      values.put(parameter.name(), value);
    }
    return Collections.unmodifiableMap(values);
  }
}
