package dev.reflex.stepfunctions.differential;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reference side of the differential test: runs corpus cases with the npm package
 * aws-local-stepfunctions (an independent ASL implementation) through {@code src/test/js/run-asl.mjs}
 * on the Node 22 that {@code .ci/node-tools.sh} installs into {@code .ci/.tools/}. If the tools are
 * missing, it runs that script once to install them from the npm registry.
 */
final class AwsLocalStepFunctions {
    private static final long TIMEOUT_SECONDS = 300;

    private final Path repoRoot;
    private final Path node;

    private AwsLocalStepFunctions(Path repoRoot, Path node) {
        this.repoRoot = repoRoot;
        this.node = node;
    }

    /**
     * Finds the repository root from the module directory and runs {@code .ci/node-tools.sh}, which
     * installs Node 22 and the tools when they are missing or stale and otherwise returns at once.
     */
    static AwsLocalStepFunctions install() {
        Path root = repoRoot();
        Result install = run(root, List.of("bash", root.resolve(".ci/node-tools.sh").toString(), "install"));
        String[] lines = install.stdout.strip().split("\n");
        Path node = Path.of(lines[lines.length - 1].strip());
        if (install.exitCode != 0 || !Files.isExecutable(node)) {
            throw new IllegalStateException("""
                    Node 22 and aws-local-stepfunctions are needed by the differential test and could not be \
                    installed: `bash .ci/node-tools.sh` exited with %d. Run it by hand (it needs npm and the npm \
                    registry) and read its output:
                    %s""".formatted(install.exitCode, install.stderr));
        }
        return new AwsLocalStepFunctions(root, node);
    }

    /** Runs every case directory in one Node process; returns the outcome per case name (directory name). */
    Map<String, Outcome> run(List<Path> caseDirs) {
        List<String> command = new ArrayList<>(List.of(
                node.toString(),
                repoRoot.resolve("functions/reflex-local-stepfunctions/src/test/js/run-asl.mjs").toString(),
                repoRoot.resolve(".ci/.tools").toString()));
        caseDirs.forEach(dir -> command.add(dir.toString()));
        Result result = run(repoRoot, command);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (String line : result.stdout.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode json = Outcome.MAPPER.readTree(line);
                outcomes.put(json.path("case").asText(), Outcome.fromJson(json));
            } catch (IOException e) {
                throw new IllegalStateException("run-asl.mjs printed a line that is not JSON: " + line, e);
            }
        }
        if (outcomes.size() != caseDirs.size()) {
            throw new IllegalStateException("run-asl.mjs answered " + outcomes.size() + " of " + caseDirs.size()
                    + " cases (exit " + result.exitCode + "):\n" + result.stderr);
        }
        return outcomes;
    }

    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve(".ci/node-tools.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no .ci/node-tools.sh above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    private static Result run(Path workDir, List<String> command) {
        try {
            Path out = Files.createTempFile("reflex-differential", ".out");
            Path err = Files.createTempFile("reflex-differential", ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
                }
                return new Result(process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.getFirst(), e);
        }
    }
}
