package dev.reflex.adapters.aws;

import dev.reflex.domain.error.InvalidParameterException;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.StepAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A plain command step as a line of {@code AWS-RunShellScript}: an {@code ansible.builtin.command}
 * task given as {@code argv}, whose words hold only literal text and {@code {{ name }}} references
 * to declared parameters. Each word becomes one single-quoted shell word after the reference is
 * replaced by its validated value, so a value can never end a word, start a command or expand.
 * Values are checked once more here (declared pattern, and none of the characters a shell treats
 * specially, should a pattern be too loose); errors name the parameter, never the value.
 */
final class ShellCommand {

  private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([a-z_][a-z0-9_]*)\\s*}}");
  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{|}}|\\{%|%}|\\{#|#}");
  /** Whitespace, control characters and {@code ; $ ` ' " | & < > { } ( ) \}. */
  static final Pattern FORBIDDEN = Pattern.compile("[\\s\\p{Cntrl};$`'\"|&<>{}()\\\\]");

  private ShellCommand() {}

  /** True when every step, rollback and verification (the steps' own too) of the playbook is a plain command. */
  static boolean plain(Playbook playbook) {
    Set<String> declared = playbook.parameters().stream().map(Parameter::name).collect(Collectors.toSet());
    for (PlaybookStep step : playbook.steps()) {
      if (argv(step.action(), declared).isEmpty() || (step.rollback() != null
          && argv(step.rollback(), declared).isEmpty()) || (step.verification() != null
          && argv(step.verification(), declared).isEmpty())) {
        return false;
      }
    }
    return playbook.verification() == null || argv(playbook.verification(), declared).isPresent();
  }

  /** The action's argv when it is a plain command, else empty. */
  static Optional<List<String>> argv(StepAction action, Set<String> declared) {
    if (!action.shortModule().equals("command") || !action.args().keySet().equals(Set.of("argv"))
        || !(action.args().get("argv") instanceof List<?> words) || words.isEmpty()) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (Object word : words) {
      if (!(word instanceof String text)) {
        return Optional.empty();
      }
      Matcher references = REFERENCE.matcher(text);
      while (references.find()) {
        if (!declared.contains(references.group(1))) {
          return Optional.empty();
        }
      }
      if (TEMPLATE.matcher(REFERENCE.matcher(text).replaceAll("")).find()) {
        return Optional.empty();
      }
      out.add(text);
    }
    return Optional.of(out);
  }

  /** The validated values, declaration order; defaults fill the gaps. */
  static Map<String, String> values(Playbook playbook, Map<String, String> supplied) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Parameter parameter : playbook.parameters()) {
      String value = supplied.get(parameter.name());
      if (value == null) {
        value = parameter.defaultValue();
      }
      if (value == null) {
        if (parameter.required()) {
          throw new InvalidParameterException(parameter.name(), "parameter " + parameter.name()
              + " is required but has no value; nothing was sent");
        }
        continue;
      }
      if (FORBIDDEN.matcher(value).find()) {
        throw new InvalidParameterException(parameter.name(), "parameter " + parameter.name()
            + " contains whitespace, a control character or one of ; $ ` ' \" | & < > { } ( ) \\;"
            + " the value was refused and nothing was sent");
      }
      if (!parameter.accepts(value)) {
        throw new InvalidParameterException(parameter.name(), "parameter " + parameter.name()
            + " does not match its pattern " + parameter.pattern() + "; the value was refused and nothing was sent");
      }
      values.put(parameter.name(), value);
    }
    return values;
  }

  /** One shell line: each word rendered and single-quoted. */
  static String line(List<String> argv, Map<String, String> values) {
    List<String> words = new ArrayList<>();
    for (String word : argv) {
      Matcher references = REFERENCE.matcher(word);
      StringBuilder rendered = new StringBuilder();
      while (references.find()) {
        String value = values.get(references.group(1));
        if (value == null) {
          throw new InvalidParameterException(references.group(1), "parameter " + references.group(1)
              + " has no value; nothing was sent");
        }
        references.appendReplacement(rendered, Matcher.quoteReplacement(value));
      }
      references.appendTail(rendered);
      words.add(quote(rendered.toString()));
    }
    return String.join(" ", words);
  }

  static String quote(String word) {
    return "'" + word.replace("'", "'\"'\"'") + "'";
  }
}
