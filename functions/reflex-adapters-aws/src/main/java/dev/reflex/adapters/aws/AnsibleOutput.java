package dev.reflex.adapters.aws;

import dev.reflex.adapters.files.Redactor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Best-effort reading of {@code ansible-playbook}'s default output, as Systems Manager returns it:
 * {@code TASK [name]} headers followed by {@code ok:}, {@code changed:}, {@code failed:},
 * {@code fatal:}, {@code skipping:} or {@code unreachable:} lines. Output that was truncated or
 * does not look like Ansible's simply yields fewer task results.
 */
final class AnsibleOutput {

  enum Outcome {
    OK,
    CHANGED,
    SKIPPED,
    FAILED
  }

  record TaskResult(Outcome outcome, String detail) {}

  private static final Pattern TASK = Pattern.compile("^TASK \\[(.+)]\\s*\\**\\s*$");
  private static final Pattern RESULT =
      Pattern.compile("^(ok|changed|skipping|failed|fatal|unreachable): \\[[^]]*](.*)$");
  private static final int DETAIL_LIMIT = 500;

  private final Map<String, TaskResult> tasks;

  private AnsibleOutput(Map<String, TaskResult> tasks) {
    this.tasks = tasks;
  }

  static AnsibleOutput parse(String stdout) {
    Map<String, TaskResult> tasks = new LinkedHashMap<>();
    String current = null;
    for (String line : (stdout == null ? "" : stdout).split("\\R")) {
      Matcher task = TASK.matcher(line.strip());
      if (task.matches()) {
        current = task.group(1).strip();
        continue;
      }
      Matcher result = RESULT.matcher(line.strip());
      if (current != null && result.matches()) {
        Outcome outcome = switch (result.group(1)) {
          case "ok" -> Outcome.OK;
          case "changed" -> Outcome.CHANGED;
          case "skipping" -> Outcome.SKIPPED;
          default -> Outcome.FAILED;
        };
        String rest = result.group(2).strip();
        int arrow = rest.indexOf("=>");
        String detail = arrow >= 0 ? rest.substring(arrow + 2).strip() : rest.replaceFirst("^:\\s*", "");
        TaskResult previous = tasks.get(current);
        // a loop prints one line per item: the worst one stands for the task
        if (previous == null || outcome.ordinal() > previous.outcome().ordinal()) {
          tasks.put(current, new TaskResult(outcome, Redactor.redactAndTruncate(detail, DETAIL_LIMIT)));
        }
      }
    }
    return new AnsibleOutput(tasks);
  }

  /** The result of the task named {@code name} (also found as {@code role : name}). */
  Optional<TaskResult> task(String name) {
    TaskResult exact = tasks.get(name);
    if (exact != null) {
      return Optional.of(exact);
    }
    return tasks.entrySet().stream().filter(e -> e.getKey().endsWith(" : " + name)).map(Map.Entry::getValue)
        .findFirst();
  }

  Optional<String> firstFailure() {
    return tasks.entrySet().stream().filter(e -> e.getValue().outcome() == Outcome.FAILED).map(Map.Entry::getKey)
        .findFirst();
  }
}
