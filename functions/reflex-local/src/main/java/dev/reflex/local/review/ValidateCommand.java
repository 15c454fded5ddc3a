package dev.reflex.local.review;

import dev.reflex.local.cli.ReflexCli;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./reflex validate [PATH] [--strict] [--no-ansible]}: the playbook repository validator
 * (see {@link PlaybookValidator}). A JSON file or {@code -} is still taken as an Alertmanager
 * webhook body and checked the old way.
 *
 * <p>Exit codes: 0 valid, 1 errors found (or warnings with {@code --strict}), 2 usage error.
 */
public final class ValidateCommand {

  private ValidateCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean strict = false;
    boolean ansible = true;
    List<String> operands = new ArrayList<>();
    for (String arg : args) {
      switch (arg) {
        case "--strict" -> strict = true;
        case "--no-ansible" -> ansible = false;
        default -> {
          if (arg.startsWith("--") ) {
            err.println("reflex: unknown option for validate: " + arg);
            return 2;
          }
          operands.add(arg);
        }
      }
    }
    if (operands.size() > 1) {
      err.println("reflex: usage: ./reflex validate [PATH] [--strict] [--no-ansible]");
      return 2;
    }
    String target = operands.isEmpty() ? "." : operands.get(0);
    if (target.equals("-") || (target.endsWith(".json") && Files.isRegularFile(Path.of(target)))) {
      return new ReflexCli().run(new String[] {"validate", target}, out, err);
    }
    Path path = Path.of(target);
    if (!Files.exists(path)) {
      err.println("reflex: no such file or directory: " + target);
      return 2;
    }
    PlaybookValidator.Report report =
        new PlaybookValidator(new PlaybookValidator.Options(ansible, 0.8, strict)).validate(path);
    report.diagnostics().forEach(out::println);
    int errors = report.errors().size();
    int warnings = report.diagnostics().size() - errors;
    boolean passes = report.passes(strict);
    out.println((passes ? "valid: " : "invalid: ") + report.playbooks() + " playbook" + s(report.playbooks()) + ", "
        + report.testCases() + " test case" + s(report.testCases()) + ", " + errors + " error" + s(errors) + ", "
        + warnings + " warning" + s(warnings));
    return passes ? 0 : 1;
  }

  private static String s(int n) {
    return n == 1 ? "" : "s";
  }
}
