package dev.reflex.local.review;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ansible-playbook --syntax-check} and {@code ansible-lint} on one playbook file, when they
 * are on the PATH; their complaints become diagnostics with the line they name.
 */
final class AnsibleChecks {

  private static final Pattern ANSIBLE_LINE = Pattern.compile("line (\\d+), column \\d+");
  private static final Pattern LINT_LINE = Pattern.compile("^(?<file>[^:\\s]+):(?<line>\\d+)(?::\\d+)?:?\\s*(?<msg>.+)$");
  private static final long TIMEOUT_SECONDS = 120;

  private final Optional<Path> ansiblePlaybook = onPath("ansible-playbook");
  private final Optional<Path> ansibleLint = onPath("ansible-lint");

  boolean syntaxCheckAvailable() {
    return ansiblePlaybook.isPresent();
  }

  List<Diagnostic> check(Path playbook, String name) {
    List<Diagnostic> out = new ArrayList<>();
    ansiblePlaybook.ifPresent(tool -> {
      Result result = run(playbook.getParent(), List.of(tool.toString(), "--syntax-check", "-i", "localhost,",
          playbook.getFileName().toString()));
      if (result.exit() != 0) {
        Matcher line = ANSIBLE_LINE.matcher(result.output());
        out.add(Diagnostic.error(name, line.find() ? Integer.parseInt(line.group(1)) : 1,
            "ansible-playbook --syntax-check: " + firstError(result.output())));
      }
    });
    ansibleLint.ifPresent(tool -> {
      Result result = run(playbook.getParent(), List.of(tool.toString(), "--nocolor", "-p",
          playbook.getFileName().toString()));
      if (result.exit() != 0) {
        for (String text : result.output().split("\n")) {
          Matcher m = LINT_LINE.matcher(text.strip());
          if (m.matches() && m.group("file").endsWith(playbook.getFileName().toString())) {
            out.add(Diagnostic.warning(name, Integer.parseInt(m.group("line")), "ansible-lint: " + m.group("msg")));
          }
        }
      }
    });
    return out;
  }

  private static String firstError(String output) {
    for (String line : output.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("ERROR!")) {
        return trimmed.substring("ERROR!".length()).strip();
      }
    }
    String flat = output.strip().replaceAll("\\s+", " ");
    return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
  }

  private record Result(int exit, String output) {}

  private static Result run(Path dir, List<String> command) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      builder.environment().put("ANSIBLE_NOCOLOR", "1");
      builder.environment().put("ANSIBLE_LOCALHOST_WARNING", "False");
      builder.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "False");
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(1, command.get(0) + " timed out after " + TIMEOUT_SECONDS + " s");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(1, "cannot run " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(1, "interrupted");
    }
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
