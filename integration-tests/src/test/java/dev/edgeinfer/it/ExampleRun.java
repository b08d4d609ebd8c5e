package dev.edgeinfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the documented examples (docs/examples) as a user would, as processes of their own: Python in the project's
 * venv, JavaScript with Node.js and the packages {@code bin/setup} installs, Java from source.
 */
final class ExampleRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExampleRun() {
    }

    /** The repository's root: the nearest folder above the working directory with {@code docs/examples}. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs/examples"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No docs/examples above " + Path.of("").toAbsolutePath());
    }

    static Path example(String relative) {
        return repositoryRoot().resolve("docs/examples").resolve(relative);
    }

    /** {@code python <example>}: the project venv's interpreter, where bin/setup installs the examples' requirements. */
    static List<String> python(String example) {
        return new ArrayList<>(List.of(PythonEnvironment.python().toString(), example(example).toString()));
    }

    /**
     * {@code node <example>}, failing (not skipping) when bin/setup has not installed the examples' packages: the
     * JavaScript examples are part of what the tests prove.
     */
    static List<String> node(String example) {
        Path modules = example("js/node_modules/@confluentinc/kafka-javascript");
        assertThat(modules).as("the JavaScript examples' packages; run bin/setup with Node.js 20+ and npm on PATH")
                .isDirectory();
        return new ArrayList<>(List.of("node", example("js/" + example).toString()));
    }

    /**
     * {@code java <example source>} on this test's class path, which has the project's serde and Kafka's client, less
     * the test's logging (logback and its test configuration write to standard output, where the example's records go).
     */
    static List<String> javaSource(String example) {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("logback")).collect(Collectors.joining(File.pathSeparator));
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, example(example).toString()));
    }

    /** Writes client settings as a {@code .properties} file. */
    static Path writeProperties(Path file, Map<String, ?> settings) {
        Properties properties = new Properties();
        settings.forEach((k, v) -> properties.setProperty(k, String.valueOf(v)));
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return file;
    }

    /** How a command ended: its exit code (-1: killed after the timeout), standard output's lines, standard error. */
    record Result(int exitCode, List<String> stdout, String stderr) {
    }

    /** Runs a command to its end, or kills it after the timeout. */
    static Result execute(List<String> command, Path logDir, int timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(logDir);
        Path stdout = Files.createTempFile(logDir, "example", ".stdout");
        Path stderr = Files.createTempFile(logDir, "example", ".stderr");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        process.getOutputStream().close();
        boolean exited = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        return new Result(exited ? process.exitValue() : -1,
                Files.readAllLines(stdout, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank()).toList(),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /**
     * Runs a command to its end and returns its standard output's lines.
     *
     * @throws AssertionError when it runs past the timeout or exits other than 0, with its standard error
     */
    static List<String> run(List<String> command, Path logDir, int timeoutSeconds) throws IOException, InterruptedException {
        Result result = execute(command, logDir, timeoutSeconds);
        assertThat(result.exitCode()).as("exit code of %s (-1: killed, still running after %d s); stderr:%n%s", command, timeoutSeconds,
                result.stderr()).isZero();
        return result.stdout();
    }

    /** {@link #run} for examples that print one JSON object a line. */
    static List<JsonNode> runJson(List<String> command, Path logDir, int timeoutSeconds) throws IOException, InterruptedException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run(command, logDir, timeoutSeconds)) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }
}
