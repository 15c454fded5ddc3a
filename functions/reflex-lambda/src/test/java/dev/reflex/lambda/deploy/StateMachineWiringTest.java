package dev.reflex.lambda.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SAM template, the ASL file and the functions agree: every placeholder of the state machine
 * is substituted, every function it invokes is deployed as a Lambda exporting an existing
 * {@code @Funq} function, and the workflow's role may invoke it. A state added to the ASL without
 * its Lambda (or the reverse) fails here instead of at deploy time.
 */
class StateMachineWiringTest {

  private static final Path ROOT = Path.of("../..");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9]+)}");
  private static final Pattern FUNCTION_ARN = Pattern.compile("^ {8}([A-Za-z]+FunctionArn): !Ref ([A-Za-z]+)\\.Alias$");
  private static final Pattern RESOURCE = Pattern.compile("^ {2}([A-Za-z0-9]+):$");
  private static final Pattern EXPORT = Pattern.compile("^ +QUARKUS_FUNQY_EXPORT: ([A-Za-z]+)$");
  private static final Pattern INVOKE = Pattern.compile("LambdaInvokePolicy: \\{FunctionName: !Ref ([A-Za-z]+)}");
  private static final Pattern FUNQ = Pattern.compile("@Funq\\(\"([A-Za-z]+)\"\\)");

  private static String read(String path) throws IOException {
    return Files.readString(ROOT.resolve(path));
  }

  private static Set<String> placeholders() throws IOException {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(read("statemachines/remediation.asl.json"));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** {@code DefinitionSubstitutions} of the state machine: name to the text after the colon. */
  private static Map<String, String> substitutions(List<String> template) {
    Map<String, String> out = new LinkedHashMap<>();
    int start = template.indexOf("      DefinitionSubstitutions:");
    for (int i = start + 1; i < template.size() && template.get(i).startsWith("        "); i++) {
      String line = template.get(i).strip();
      out.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip());
    }
    return out;
  }

  /** Every resource that sets QUARKUS_FUNQY_EXPORT, to the function it exports. */
  private static Map<String, String> exports(List<String> template) {
    Map<String, String> out = new LinkedHashMap<>();
    String resource = null;
    for (String line : template) {
      Matcher r = RESOURCE.matcher(line);
      if (r.matches()) {
        resource = r.group(1);
      }
      Matcher e = EXPORT.matcher(line);
      if (e.matches() && resource != null) {
        out.put(resource, e.group(1));
      }
    }
    return out;
  }

  private static Set<String> funqNames() throws IOException {
    Set<String> names = new LinkedHashSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = FUNQ.matcher(Files.readString(file));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  @Test
  void everyPlaceholderOfTheStateMachine_isSubstitutedByTheTemplate() throws IOException {
    List<String> template = read("infra/template.yaml").lines().toList();

    assertThat(substitutions(template).keySet()).containsAll(placeholders());
    assertThat(placeholders()).as("the ASL reads every substitution the template passes")
        .containsAll(substitutions(template).keySet());
  }

  @Test
  void everyFunctionTheStateMachineInvokes_isDeployedExportingAnExistingFunqFunction() throws IOException {
    List<String> template = read("infra/template.yaml").lines().toList();
    Map<String, String> exports = exports(template);
    Set<String> funq = funqNames();
    Set<String> invokable = new LinkedHashSet<>();
    Matcher invoke = INVOKE.matcher(String.join("\n", template));
    while (invoke.find()) {
      invokable.add(invoke.group(1));
    }

    int checked = 0;
    for (String line : template) {
      Matcher m = FUNCTION_ARN.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String placeholder = m.group(1);
      String resource = m.group(2);
      assertThat(placeholders()).as(placeholder + " is used by the ASL").contains(placeholder);
      assertThat(exports).as(resource + " is a Lambda that picks its function").containsKey(resource);
      assertThat(funq).as(resource + " exports " + exports.get(resource)).contains(exports.get(resource));
      assertThat(invokable).as("the workflow's role may invoke " + resource).contains(resource);
      checked++;
    }
    assertThat(checked).as("function placeholders found in the template").isGreaterThanOrEqualTo(12);
    assertThat(placeholders().stream().filter(p -> p.endsWith("FunctionArn")).count()).isEqualTo(checked);
  }
}
