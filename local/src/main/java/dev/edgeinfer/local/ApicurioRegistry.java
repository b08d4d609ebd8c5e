package dev.edgeinfer.local;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry in a child JVM on loopback, in memory, serving the Confluent-compatible API with global
 * compatibility BACKWARD (Apicurio's own default is NONE, which would let incompatible schemas in unnoticed).
 *
 * <p>The child is started through {@link ParentWatchdog}, so it ends when this JVM ends, however it ends.
 */
public final class ApicurioRegistry implements AutoCloseable {

    /** Path of the Confluent-compatible API; clients are given the registry URL including it. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final String LOG_FILE = "apicurio-registry.log";

    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final ChildProcess process;
    private final int port;
    private final Path logFile;

    private ApicurioRegistry(ChildProcess process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts the registry and returns once it answers and its global compatibility is BACKWARD.
     *
     * @param home     the unpacked distribution
     * @param port     loopback port to listen on; 0 picks a free one
     * @param logDir   folder for the registry's log file ({@value #LOG_FILE}, appended to), created if missing
     * @param timeout  how long to wait for it to answer
     * @throws LocalStackException if it cannot be started, dies, or does not answer within the timeout; the message
     *                             carries the end of its log
     * @throws InterruptedException if interrupted while waiting
     */
    public static ApicurioRegistry start(ApicurioHome home, int port, Path logDir, Duration timeout) throws InterruptedException {
        int chosenPort = port == 0 ? FreePorts.allocate(1).get(0) : port;
        Path logFile = logDir.resolve(LOG_FILE);
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new LocalStackException("Cannot create the folder of the schema registry's log " + logFile, e);
        }
        ProcessBuilder builder = new ProcessBuilder(command(home))
                .directory(home.directory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("HTTP_PORT", Integer.toString(chosenPort));
        builder.environment().put("QUARKUS_HTTP_HOST", HOST);
        ChildProcess child;
        try {
            child = ChildProcess.start("apicurio-registry", builder);
        } catch (IOException e) {
            throw new LocalStackException("Cannot start the schema registry JVM: " + builder.command(), e);
        }
        ApicurioRegistry registry = new ApicurioRegistry(child, chosenPort, logFile);
        try {
            registry.awaitReady(timeout);
            registry.setGlobalCompatibility("BACKWARD");
            return registry;
        } catch (RuntimeException | InterruptedException e) {
            registry.close();
            throw e;
        }
    }

    static List<String> command(ApicurioHome home) {
        Path watchdogCode = ApicurioHome.codeLocation()
                .orElseThrow(() -> new LocalStackException("Cannot find the code location of " + ParentWatchdog.class.getName()
                        + ", which the registry JVM runs first"));
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Measured: 23 MB live heap after 200 schema registrations; about 200 MB resident in all.
                "-Xmx128m",
                // Start-up crossed the default metaspace threshold twice, each time with a full GC; this spares both.
                "-XX:MetaspaceSize=128m",
                // C1 only: the registry serves a handful of requests, so starting fast beats peak throughput.
                "-XX:TieredStopAtLevel=1",
                // One GC thread: the small heap does not need more and the broker shares the cores.
                "-XX:+UseSerialGC",
                "-cp", watchdogCode + File.pathSeparator + home.runnerJar(),
                ParentWatchdog.class.getName(),
                home.mainClass());
    }

    /** The base URL clients use: the Confluent-compatible API, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}. */
    public String url() {
        return "http://" + HOST + ":" + port + CCOMPAT_PATH;
    }

    public int port() {
        return port;
    }

    /** Where the registry JVM writes its output. */
    public Path logFile() {
        return logFile;
    }

    /** The registry JVM and its descendants, for checks that nothing outlives the stack. */
    public List<ProcessHandle> processTree() {
        return process.processTree();
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = httpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException lastError = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new LocalStackException("The schema registry JVM (process " + process.pid() + ") exited during start-up. "
                        + logTail());
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastError = new IOException("HTTP " + response.statusCode() + ": " + response.body());
            } catch (IOException e) {
                lastError = e;
                log.debug("Registry not answering yet on port {}: {}", port, e.toString());
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        throw new LocalStackException("The schema registry did not answer " + request.uri() + " within " + timeout
                + " (last error: " + lastError + "). " + logTail(), lastError);
    }

    private void setGlobalCompatibility(String level) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/config"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .build();
        try {
            HttpResponse<String> response = httpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new LocalStackException("Setting the registry's global compatibility to " + level + " failed: HTTP "
                        + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new LocalStackException("Setting the registry's global compatibility to " + level + " failed", e);
        }
    }

    private static HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return "Last lines of " + logFile + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            // This text goes into the message of the error being reported; failing here would hide that error.
            return "Its log " + logFile + " cannot be read: " + e;
        }
    }

    /** Stops the registry JVM and waits for it to end. */
    @Override
    public void close() {
        process.close();
    }
}
