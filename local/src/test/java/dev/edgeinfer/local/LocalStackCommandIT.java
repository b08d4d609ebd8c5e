package dev.edgeinfer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalStackCommand} in a JVM of its own, stopped the two ways a user stops it: Ctrl-C, which must stop
 * everything and delete the data, and SIGKILL, after which the registry JVM must not outlive it and the data folder
 * left behind is swept by the next stack.
 */
class LocalStackCommandIT {

    private static final Pattern REGISTRY_URL = Pattern.compile("Schema registry URL:\\s+(\\S+)");
    private static final Pattern DATA_FOLDER = Pattern.compile("Data folder:\\s+(\\S+)");
    private static final Pattern LOGS = Pattern.compile("Logs:\\s+(\\S+)");

    @TempDir
    Path tmpDir;

    private Process command;
    private final List<ProcessHandle> descendants = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        if (command != null) {
            command.destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void ctrlCStopsRegistryAndBrokerAndDeletesTheData() throws Exception {
        command = startCommand();
        List<String> output = readUntilReady(command, Duration.ofMinutes(4));
        String registryUrl = find(REGISTRY_URL, output);
        Path dataFolder = Path.of(find(DATA_FOLDER, output));
        Path logs = Path.of(find(LOGS, output));
        assertThat(logs).isEqualTo(dataFolder.resolve("logs"));
        assertThat(Files.readString(logs.resolve(KafkaLogFile.FILE_NAME))).contains("[BrokerServer id=0]");
        assertThat(logs.resolve(ApicurioRegistry.LOG_FILE)).isNotEmptyFile();
        descendants.addAll(command.descendants().toList());

        // What the terminal sends on Ctrl-C.
        new ProcessBuilder("kill", "-INT", Long.toString(command.pid())).inheritIO().start().waitFor();

        assertThat(command.waitFor(2, TimeUnit.MINUTES)).as("the command ended after SIGINT").isTrue();
        assertThat(descendants).noneMatch(ProcessHandle::isAlive);
        assertThat(answers(registryUrl + "/subjects")).isFalse();
        assertThat(dataFolder).doesNotExist();
    }

    @Test
    void registryEndsWhenTheParentIsKilled() throws Exception {
        command = startCommand();
        List<String> output = readUntilReady(command, Duration.ofMinutes(4));
        String registryUrl = find(REGISTRY_URL, output);
        Path dataFolder = Path.of(find(DATA_FOLDER, output));
        assertThat(dataFolder).hasParent(tmpDir.resolve("edgeinfer-local"));
        descendants.addAll(command.descendants().toList());
        assertThat(descendants).as("the registry JVM under %s", command.pid()).isNotEmpty();
        assertThat(answers(registryUrl + "/subjects")).isTrue();

        command.destroyForcibly();
        assertThat(command.waitFor(30, TimeUnit.SECONDS)).isTrue();

        for (ProcessHandle child : descendants) {
            assertThat(child.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).get())
                    .as("registry process %d ended within 30 s of its parent's SIGKILL", child.pid())
                    .isNotNull();
        }
        assertThat(answers(registryUrl + "/subjects")).isFalse();
        assertThat(dataFolder).as("a killed stack cannot clean up").isDirectory();
        assertThat(RunDirectories.sweepStale(dataFolder.getParent())).contains(dataFolder);
    }

    private Process startCommand() throws IOException {
        return new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A private parent for run folders, so that stacks of other test runs cannot sweep this one's first.
                "-Djava.io.tmpdir=" + tmpDir,
                "-cp", System.getProperty("java.class.path"),
                LocalStackCommand.class.getName(), "--partitions", "1")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static List<String> readUntilReady(Process process, Duration timeout) throws Exception {
        List<String> lines = new ArrayList<>();
        CompletableFuture<List<String>> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                boolean seenReady = false;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    seenReady |= line.startsWith(LocalStackCommand.READY_LINE_START);
                    // The description ends with this line; everything needed has been printed by then.
                    if (seenReady && line.startsWith("Press Ctrl-C")) {
                        return lines;
                    }
                }
                throw new IllegalStateException("LocalStackCommand ended before it was ready; it printed: " + lines);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the output of LocalStackCommand", e);
            }
        });
        return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String find(Pattern pattern, List<String> lines) {
        return lines.stream().map(pattern::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
                .orElseThrow(() -> new AssertionError("No line matches " + pattern + " in " + lines));
    }

    private static boolean answers(String url) throws InterruptedException {
        try {
            // Generous timeouts: a registry that is up but slow on a busy machine must not count as gone.
            HttpResponse<Void> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build()
                    .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new AssertionError("Unexpected error asking " + url, e);
        }
    }
}
