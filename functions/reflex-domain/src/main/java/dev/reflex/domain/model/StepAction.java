package dev.reflex.domain.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One Ansible task: a module and its arguments. Argument values may hold Jinja references to
 * playbook parameters ({@code {{ service }}}); they are rendered by Ansible from validated extra
 * variables, never by string concatenation into a command line.
 *
 * @param args module arguments as plain data (strings, numbers, booleans, lists and maps)
 */
public record StepAction(String name, String module, Map<String, Object> args) {

  public StepAction {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("step name is required");
    }
    if (module == null || module.isBlank()) {
      throw new IllegalArgumentException("step module is required: " + name);
    }
    args = args == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
  }

  /** The module's short name: {@code ansible.builtin.command} gives {@code command}. */
  public String shortModule() {
    int dot = module.lastIndexOf('.');
    return dot < 0 ? module : module.substring(dot + 1);
  }

  /** The command line of a command/shell/raw task, joined with spaces; empty for other modules. */
  public String commandText() {
    Object argv = args.get("argv");
    if (argv instanceof java.util.List<?> list) {
      return String.join(" ", list.stream().map(String::valueOf).toList());
    }
    for (String key : new String[] {"cmd", "_raw_params", "free_form"}) {
      Object value = args.get(key);
      if (value != null) {
        return String.valueOf(value);
      }
    }
    return "";
  }

  public String arg(String key) {
    Object value = args.get(key);
    return value == null ? null : String.valueOf(value);
  }

  public static StepAction of(String name, String module, Map<String, Object> args) {
    return new StepAction(name, module, Objects.requireNonNullElse(args, Map.of()));
  }
}
