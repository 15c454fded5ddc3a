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
 * The {@code ExtraVariables} parameter of {@code AWS-ApplyAnsiblePlaybooks}: space-separated
 * {@code name=value}. The document splices it into the {@code ansible-playbook} command line and
 * Ansible templates variables when they are used, so beyond the declared pattern (checked by the
 * domain and again here) a value may hold no whitespace, shell metacharacter, quote or Jinja
 * delimiter. Only declared parameters are sent. Errors name the parameter, never the value.
 */
final class ExtraVariables {

  /**
   * Whitespace, control characters, {@code ; $ ` ' " | & < > { } ( ) \ :}. The colon is refused
   * because the document's own {@code allowedPattern} for ExtraVariables refuses it too (as read
   * from the document; refusing here names the parameter instead of failing at SendCommand).
   */
  static final Pattern FORBIDDEN = Pattern.compile("[\\s\\p{Cntrl};$`'\"|&<>{}()\\\\:]");
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  /** Sent when there are no parameters: the document's own default. */
  static final String NONE = "SSM=True";

  private ExtraVariables() {}

  /** The validated values, declaration order; defaults fill the gaps. */
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
      if (FORBIDDEN.matcher(value).find()) {
        throw new InvalidParameterException(name, "parameter " + name
            + " contains a character not allowed in Systems Manager extra variables (whitespace, control"
            + " characters or one of ; $ ` ' \" | & < > { } ( ) \\ :); the value was refused and nothing was sent");
      }
      if (!parameter.accepts(value)) {
        throw new InvalidParameterException(name, "parameter " + name + " does not match its pattern "
            + parameter.pattern() + "; the value was refused and nothing was sent");
      }
      values.put(name, value);
    }
    return values;
  }

  static String render(Map<String, String> values) {
    if (values.isEmpty()) {
      return NONE;
    }
    List<String> pairs = new ArrayList<>();
    values.forEach((name, value) -> pairs.add(name + "=" + value));
    return String.join(" ", pairs);
  }
}
