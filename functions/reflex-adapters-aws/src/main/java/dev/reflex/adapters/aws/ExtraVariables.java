package dev.reflex.adapters.aws;

import dev.reflex.domain.error.InvalidParameterException;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A play's parameter values on their way to an instance: {@link #values} resolves and validates
 * them (only declared parameters, defaults filling the gaps, each value against its pattern);
 * {@link #render} writes them as the {@code ExtraVariables} parameter of
 * {@code AWS-ApplyAnsiblePlaybooks}. Errors name the parameter, never the value.
 */
final class ExtraVariables {

  /**
   * What {@code AWS-ApplyAnsiblePlaybooks} cannot carry safely: it splices ExtraVariables into the
   * {@code ansible-playbook} command line and Ansible templates {@code -e k=v} variables when it
   * uses them. Whitespace, control characters, {@code ; $ ` ' " | & < > { } ( ) \ :}. The colon is
   * refused because the document's own {@code allowedPattern} refuses it too (refusing here names
   * the parameter instead of failing at SendCommand).
   */
  static final Pattern FORBIDDEN = Pattern.compile("[\\s\\p{Cntrl};$`'\"|&<>{}()\\\\:]");
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  /** Sent when there are no parameters: the document's own default. */
  static final String NONE = "SSM=True";

  private ExtraVariables() {}

  /**
   * The validated values, declaration order; defaults fill the gaps.
   *
   * @throws InvalidParameterException for a reserved name, a missing required value or a value
   *     that does not match its pattern; nothing was sent
   */
  static Map<String, String> values(Playbook playbook, Map<String, String> supplied) {
    Map<String, String> given = supplied == null ? Map.of() : supplied;
    Map<String, String> values = new LinkedHashMap<>();
    for (Parameter parameter : playbook.parameters()) {
      String name = parameter.name();
      if (!NAME.matcher(name).matches() || name.startsWith("ansible_") || name.startsWith("reflex_")
          || name.equals("SSM")) {
        throw new InvalidParameterException(name, "parameter name " + name
            + " is reserved (ansible_*, reflex_*); nothing was sent");
      }
      String value = given.get(name);
      if (value == null) {
        value = parameter.defaultValue();
      }
      if (value == null) {
        if (parameter.required()) {
          throw new InvalidParameterException(name, "parameter " + name + " is required but has no value; nothing was sent");
        }
        continue;
      }
      if (!parameter.accepts(value)) {
        throw new InvalidParameterException(name, "parameter " + name + " does not match its pattern "
            + parameter.pattern() + "; the value was refused and nothing was sent");
      }
      values.put(name, value);
    }
    return values;
  }

  /**
   * {@code name=value} pairs separated by spaces for {@code AWS-ApplyAnsiblePlaybooks}. A value
   * equal to its parameter's default is left out: the play's {@code vars} hold the same default
   * (checked by {@code reflex validate}), so a default such as {@code http://host:9090} need not
   * pass the document's pattern.
   *
   * @throws InvalidParameterException when a value to send holds a {@link #FORBIDDEN} character
   */
  static String render(Playbook playbook, Map<String, String> values) {
    List<String> pairs = new ArrayList<>();
    for (Parameter parameter : playbook.parameters()) {
      String value = values.get(parameter.name());
      if (value == null || value.equals(parameter.defaultValue())) {
        continue;
      }
      if (FORBIDDEN.matcher(value).find()) {
        throw new InvalidParameterException(parameter.name(), "parameter " + parameter.name()
            + " contains a character not allowed in Systems Manager extra variables (whitespace, control"
            + " characters or one of ; $ ` ' \" | & < > { } ( ) \\ :); the value was refused and nothing was sent");
      }
      pairs.add(parameter.name() + "=" + value);
    }
    return pairs.isEmpty() ? NONE : String.join(" ", pairs);
  }
}
