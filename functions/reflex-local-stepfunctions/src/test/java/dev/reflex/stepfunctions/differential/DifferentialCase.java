package dev.reflex.stepfunctions.differential;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One run of one definition, as a folder the JS runner can read: {@code definition.asl.json},
 * {@code input.json}, optionally {@code responses.json} (canned function answers) and
 * {@code expected.json} (the outcome the AWS spec requires where aws-local-stepfunctions is wrong;
 * its {@code comment} names the rule).
 *
 * <p>Corpus cases live in {@code src/test/resources/differential/<case>/} and use the fixed handlers
 * of {@link DifferentialHandlers}. The project's own state machines ({@code statemachines/<name>.asl.json})
 * have scenarios in {@code differential/project/<name>/<scenario>/} with canned responses, and the
 * {@code ${...}} substitutions in {@code differential/project/<name>/substitutions.json}; they are
 * written out to a temporary folder with the substitutions applied for the JS runner, while Reflex
 * gets the original definition and the substitutions through {@code loadStateMachine}, as Reflex
 * itself loads them.
 *
 * @param definition    the definition as Reflex loads it (with {@code ${...}} placeholders for project machines)
 * @param substitutions what to pass to {@code loadStateMachine} (empty for corpus cases)
 */
record DifferentialCase(
        String name, Path dir, String definition, Map<String, String> substitutions, String input, JsonNode responses, Outcome expected) {
    static final String PROJECT_PREFIX = "project-";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    @Override
    public String toString() {
        return name;
    }

    static List<DifferentialCase> corpus(Path corpusDir) {
        try (Stream<Path> dirs = Files.list(corpusDir)) {
            return dirs.filter(dir -> Files.exists(dir.resolve("definition.asl.json")))
                    .sorted()
                    .map(dir -> read(dir.getFileName().toString(), dir))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scenarios of every statemachines/*.asl.json that has some, materialised under {@code workDir}. */
    static List<DifferentialCase> projectScenarios(Path repoRoot, Path projectFixtures, Path workDir) {
        List<DifferentialCase> cases = new ArrayList<>();
        for (Path machine : projectStateMachines(repoRoot)) {
            String machineName = machineName(machine);
            Path fixtures = projectFixtures.resolve(machineName);
            if (!Files.isDirectory(fixtures)) {
                continue;
            }
            String original = readString(machine);
            Map<String, String> substitutions = new LinkedHashMap<>();
            readJson(fixtures.resolve("substitutions.json")).fields()
                    .forEachRemaining(field -> substitutions.put(field.getKey(), field.getValue().asText()));
            String substituted = substitute(original, substitutions, machine);
            try (Stream<Path> scenarios = Files.list(fixtures)) {
                for (Path scenario : scenarios.filter(Files::isDirectory).sorted().toList()) {
                    String name = PROJECT_PREFIX + machineName + "-" + scenario.getFileName();
                    Path dir = Files.createDirectories(workDir.resolve(name));
                    Files.writeString(dir.resolve("definition.asl.json"), substituted);
                    for (String file : List.of("input.json", "responses.json", "expected.json")) {
                        if (Files.exists(scenario.resolve(file))) {
                            Files.copy(scenario.resolve(file), dir.resolve(file));
                        }
                    }
                    cases.add(read(name, dir).withDefinition(original, substitutions));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cases;
    }

    static List<Path> projectStateMachines(Path repoRoot) {
        Path dir = repoRoot.resolve("statemachines");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".asl.json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String machineName(Path aslFile) {
        String file = aslFile.getFileName().toString();
        return file.substring(0, file.length() - ".asl.json".length());
    }

    /** Replaces every {@code ${Name}} textually, as SAM's DefinitionSubstitutions does; an unknown name is an error. */
    static String substitute(String definition, Map<String, String> substitutions, Path source) {
        Matcher matcher = PLACEHOLDER.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = substitutions.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException(source + " uses ${" + matcher.group(1)
                        + "} but the differential substitutions.json has no value for it");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private DifferentialCase withDefinition(String original, Map<String, String> subs) {
        return new DifferentialCase(name, dir, original, Map.copyOf(subs), input, responses, expected);
    }

    private static DifferentialCase read(String name, Path dir) {
        Path responses = dir.resolve("responses.json");
        Path expected = dir.resolve("expected.json");
        return new DifferentialCase(
                name,
                dir,
                readString(dir.resolve("definition.asl.json")),
                Map.of(),
                readString(dir.resolve("input.json")),
                Files.exists(responses) ? readJson(responses) : null,
                Files.exists(expected) ? Outcome.fromJson(readJson(expected)) : null);
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return Outcome.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
