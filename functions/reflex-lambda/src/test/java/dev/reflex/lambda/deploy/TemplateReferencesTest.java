package dev.reflex.lambda.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every name the SAM template refers to is defined in it: {@code !Ref}, {@code !GetAtt}, the
 * {@code ${...}} of {@code !Sub}, and the conditions of {@code !If} and {@code Condition:}. A typo
 * or a resource renamed in one place only fails here rather than in CloudFormation (no linter for
 * it runs on these machines).
 */
class TemplateReferencesTest {

  private static final Path TEMPLATE = Path.of("../../infra/template.yaml");
  private static final Pattern SECTION_KEY = Pattern.compile("^ {2}([A-Za-z0-9]+):");
  private static final Pattern REF = Pattern.compile("!Ref ([A-Za-z0-9:]+)(?:\\.([A-Za-z]+))?");
  private static final Pattern GET_ATT = Pattern.compile("!GetAtt ([A-Za-z0-9]+)\\.");
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9:]+)(?:\\.[A-Za-z]+)?}");
  private static final Pattern IF = Pattern.compile("!If \\[([A-Za-z0-9]+),");
  private static final Pattern CONDITION = Pattern.compile("^ +Condition: ([A-Za-z0-9]+)$");
  /** What SAM adds for a function with an alias, and CloudFormation's pseudo parameters. */
  private static final Set<String> SAM_SUFFIXES = Set.of("Alias", "Arn");

  private static List<String> lines() throws IOException {
    return Files.readAllLines(TEMPLATE);
  }

  /** The keys of a top-level section such as {@code Resources:}. */
  private static Set<String> keys(List<String> lines, String section) {
    Set<String> out = new LinkedHashSet<>();
    int start = lines.indexOf(section + ":");
    for (int i = start + 1; i < lines.size() && (lines.get(i).isEmpty() || lines.get(i).startsWith(" ")
        || lines.get(i).startsWith("#")); i++) {
      Matcher m = SECTION_KEY.matcher(lines.get(i));
      if (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private static List<String> found(List<String> lines, Pattern pattern, boolean onlySub) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      String code = line.strip().startsWith("#") ? "" : line;
      if (onlySub && !code.contains("!Sub")) {
        continue;
      }
      Matcher m = pattern.matcher(code);
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  @Test
  void everyReferenceNamesAParameterOrResourceOfTheTemplate() throws IOException {
    List<String> lines = lines();
    Set<String> defined = new LinkedHashSet<>(keys(lines, "Parameters"));
    defined.addAll(keys(lines, "Resources"));
    defined.add("ServerlessHttpApi"); // SAM's implicit API for the functions' HttpApi events
    assertThat(keys(lines, "Resources")).as("resources found").hasSizeGreaterThan(20);

    List<String> referenced = new ArrayList<>();
    referenced.addAll(found(lines, REF, false));
    referenced.addAll(found(lines, GET_ATT, false));
    referenced.addAll(found(lines, SUB_VARIABLE, true));

    assertThat(referenced).as("references found").hasSizeGreaterThan(50);
    assertThat(referenced.stream().filter(name -> !name.startsWith("AWS::")).distinct())
        .as("names referenced but defined nowhere in the template").allMatch(defined::contains,
            "a parameter or resource of the template");
  }

  @Test
  void everyConditionUsedIsDefined() throws IOException {
    List<String> lines = lines();
    Set<String> conditions = keys(lines, "Conditions");
    List<String> used = new ArrayList<>(found(lines, IF, false));
    for (String line : lines) {
      Matcher m = CONDITION.matcher(line);
      if (m.matches()) {
        used.add(m.group(1));
      }
    }

    assertThat(used).as("conditions used").isNotEmpty();
    assertThat(conditions).containsAll(used);
  }

  @Test
  void aFunctionAliasIsOnlyReferencedForFunctionsThatHaveOne() throws IOException {
    List<String> lines = lines();
    String text = String.join("\n", lines);
    boolean aliasesForAll = text.contains("AutoPublishAlias");
    Matcher m = REF.matcher(text);
    while (m.find()) {
      if (m.group(2) != null) {
        assertThat(SAM_SUFFIXES).as("!Ref " + m.group(1) + "." + m.group(2)).contains(m.group(2));
        assertThat(aliasesForAll).as("functions publish an alias (Globals AutoPublishAlias)").isTrue();
      }
    }
  }
}
