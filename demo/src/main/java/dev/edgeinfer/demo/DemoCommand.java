package dev.edgeinfer.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.schemas.config.ClientConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole pipeline on one machine: the local stack (or an existing cluster), the analytics app, one edge consumer
 * per engine and precision in the models' manifest, and a producer streaming the CIFAR-10 test set. Shows a live
 * table, then writes a Markdown report with charts whose numbers all come from the analytics query API.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the pipeline on this machine and reports accuracy and latency per device type.")
public final class DemoCommand implements Callable<Integer> {

    private static final String LONG_VIEW = "long";
    private static final Duration LONG_ADVANCE = Duration.ofMinutes(1);
    private static final Pattern DEVICE_READY = Pattern.compile("device \\S+ of type \\S+ ready");
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Option(names = "--duration", description = "Stop streaming after this many seconds (default: the whole test set once).")
    Integer durationSeconds;
    @Option(names = "--fps", defaultValue = "250", description = "Frames per second the producer sends (default: ${DEFAULT-VALUE}).")
    int fps;
    @Option(names = "--count", defaultValue = "10000", description = "Frames to send at most (default: ${DEFAULT-VALUE}, the CIFAR-10 test set).")
    int count;
    @Option(names = "--engines", split = ",", defaultValue = "openvino,onnxruntime", description = "Engines to run (default: ${DEFAULT-VALUE}).")
    List<String> engines;
    @Option(names = "--precisions", split = ",", defaultValue = "FP32,FP16,INT8", description = "Precisions to run where an artifact exists (default: ${DEFAULT-VALUE}).")
    List<String> precisions;
    @Option(names = "--keep-running", description = "Leave everything running after the report, until Ctrl-C.")
    boolean keepRunning;
    @Option(names = "--bootstrap-servers", description = "Use this Kafka cluster instead of starting the local stack.")
    String bootstrapServers;
    @Option(names = "--schema-registry-url", description = "Schema registry of that cluster.")
    String schemaRegistryUrl;
    @Option(names = "--config", description = "Client .properties file for that cluster (security settings passed through).")
    Path clientConfig;
    @Option(names = "--models-dir", defaultValue = "models", description = "Folder with manifest.json (default: ${DEFAULT-VALUE}).")
    Path modelsDir;
    @Option(names = "--report-dir", description = "Where the report goes (default: reports/<run id>).")
    Path reportDir;
    @Option(names = "--http-port", defaultValue = "7070", description = "Port of the analytics API and dashboard; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int httpPort;
    @Option(names = "--settle-seconds", defaultValue = "120", description = "How long to wait, after the last frame is sent, for every device type to catch up (default: ${DEFAULT-VALUE}).")
    int settleSeconds;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Instant started = Instant.now();
        String runId = RUN_ID.format(started);
        Path home = Path.of(System.getProperty("edgeinfer.home", "")).toAbsolutePath();
        Path reports = reportDir != null ? reportDir : home.resolve("reports").resolve(runId);
        Path logs = reports.resolve("logs");
        Files.createDirectories(logs);
        List<DeviceSpec> devices = DeviceSpec.fromManifest(home.resolve(modelsDir), engines, precisions);
        if (devices.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "No artifact in the manifest matches --engines "
                    + engines + " and --precisions " + precisions);
        }
        String reference = DeviceSpec.reference(devices);

        List<AutoCloseable> running = new ArrayList<>();
        Thread cleanup = new Thread(() -> closeAll(running), "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Path clientFile = logs.resolve("client.properties");
            LocalStack stack = null;
            if (bootstrapServers == null && clientConfig == null) {
                out.println("Starting the local stack (Kafka broker and schema registry)...");
                stack = LocalStack.builder().start();
                running.add(stack);
                writeClientFile(stack.clientProperties(), clientFile);
                out.printf("  Kafka %s, registry %s, ready in %.1f s%n", stack.bootstrapServers(), stack.schemaRegistryUrl(),
                        stack.startupDuration().toMillis() / 1000.0);
            } else {
                writeClientFile(ClientConfig.load(clientConfig, bootstrapServers, schemaRegistryUrl), clientFile);
            }
            List<String> connection = List.of("--config", clientFile.toString());

            int port = httpPort == 0 ? freePort() : httpPort;
            List<String> analyticsArgs = new ArrayList<>(connection);
            analyticsArgs.addAll(List.of("--http-port", Integer.toString(port), "--state-dir", logs.resolve("analytics-state").toString(),
                    "--application-id", "edgeinfer-demo-" + runId, "--reference-device-type", reference));
            AppProcess analytics = AppProcess.start(home, "analytics", "analytics", "dev.edgeinfer.analytics.AnalyticsApp", "384m",
                    analyticsArgs, logs);
            running.add(0, analytics);
            List<AppProcess> consumers = new ArrayList<>();
            for (DeviceSpec device : devices) {
                List<String> args = new ArrayList<>(connection);
                args.addAll(List.of("--engine", device.engine(), "--model", device.artifactId(), "--models-dir", home.resolve(modelsDir).toString(),
                        "--device-type", device.deviceType(), "--device-id", "demo-" + device.deviceType(),
                        "--delivery", "exactly-once", "--metrics-port", "-1", "--no-create-topics"));
                AppProcess consumer = AppProcess.start(home, device.deviceType(), "edge-consumer", "dev.edgeinfer.edge.EdgeConsumerApp",
                        "256m", args, logs);
                consumers.add(consumer);
                running.add(0, consumer);
            }
            AnalyticsClient api = new AnalyticsClient(URI.create("http://localhost:" + port + "/"));
            awaitHealthy(api, analytics);
            for (AppProcess consumer : consumers) {
                consumer.awaitLog(DEVICE_READY, Duration.ofSeconds(120));
            }
            out.printf("Analytics API and dashboard: %s   (reference device type: %s)%n", api.base(), reference);
            out.printf("Edge consumers: %s%n", devices.stream().map(DeviceSpec::deviceType).toList());

            long windowStart = Math.floorDiv(System.currentTimeMillis(), LONG_ADVANCE.toMillis()) * LONG_ADVANCE.toMillis();
            List<String> producerArgs = new ArrayList<>(connection);
            producerArgs.addAll(List.of("--source", "cifar10:test", "--fps", Integer.toString(fps), "--count", Integer.toString(count),
                    "--producer-id", "demo-" + runId, "--skip-topic-setup"));
            if (durationSeconds != null) {
                producerArgs.addAll(List.of("--duration", durationSeconds + "s"));
            }
            Instant streamStart = Instant.now();
            AppProcess producer = AppProcess.start(home, "producer", "producer", "dev.edgeinfer.producer.FrameProducerApp", "256m",
                    producerArgs, logs);
            running.add(0, producer);

            RunProgress progress = followRun(api, devices, windowStart, producer, streamStart, started);
            Map<String, Long> memory = memory(running);
            List<DeviceFigures> figures = collect(api, devices, windowStart);
            Report report = new Report(runId, started, streamStart, progress, figures, reference, memory, api.base());
            Path written = report.write(reports);
            out.printf("%nReport: %s%n", written);
            if (keepRunning) {
                out.println("Everything keeps running; Ctrl-C stops it.");
                Thread.currentThread().join();
            }
            return progress.complete() ? 0 : 1;
        } finally {
            closeAll(running);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down, and the hook is running or ran.
            }
        }
    }

    /** How the run went: frames sent, and when each device type had predicted them all. */
    record RunProgress(long framesSent, Duration timeToFirstPrediction, Map<String, Duration> caughtUp, boolean complete) {
    }

    private RunProgress followRun(AnalyticsClient api, List<DeviceSpec> devices, long windowStart, AppProcess producer,
                                  Instant streamStart, Instant started) throws Exception {
        LiveTable table = new LiveTable(out);
        Duration firstPrediction = null;
        Map<String, Duration> caughtUp = new LinkedHashMap<>();
        long sent = -1;
        Instant settleDeadline = null;
        while (true) {
            List<DeviceFigures> figures = collect(api, devices, windowStart);
            Duration elapsed = Duration.between(streamStart, Instant.now());
            if (firstPrediction == null && figures.stream().anyMatch(f -> f.frames() > 0)) {
                firstPrediction = Duration.between(started, Instant.now());
            }
            if (sent < 0 && !producer.isAlive()) {
                int status = producer.waitFor(Duration.ofSeconds(5));
                if (status != 0) {
                    throw new IllegalStateException("The producer failed with status " + status + ":\n" + producer.tail());
                }
                sent = framesSent(producer);
                settleDeadline = Instant.now().plusSeconds(settleSeconds);
            }
            for (DeviceFigures f : figures) {
                if (sent >= 0 && f.frames() >= sent && !caughtUp.containsKey(f.deviceType())) {
                    caughtUp.put(f.deviceType(), elapsed);
                }
            }
            table.show(figures, elapsed, sent, caughtUp);
            if (sent >= 0 && (caughtUp.size() == devices.size() || Instant.now().isAfter(settleDeadline))) {
                return new RunProgress(sent, firstPrediction, caughtUp, caughtUp.size() == devices.size());
            }
            Thread.sleep(2_000);
        }
    }

    private static final Pattern SENT = Pattern.compile("sent \\d+, acknowledged (\\d+), failed \\d+");

    /** The producer's own count of acknowledged frames, from its summary. */
    private static long framesSent(AppProcess producer) {
        Optional<Matcher> match = producer.findInLog(SENT);
        Matcher matcher = match.orElseThrow(() -> new IllegalStateException("The producer's summary has no count of frames sent:\n"
                + producer.tail()));
        return Long.parseLong(matcher.group(1));
    }

    static List<DeviceFigures> collect(AnalyticsClient api, List<DeviceSpec> devices, long windowStart) throws IOException {
        JsonNode agreement = api.agreement(LONG_VIEW, windowStart).orElse(null);
        List<DeviceFigures> figures = new ArrayList<>();
        for (DeviceSpec device : devices) {
            figures.add(DeviceFigures.of(device.deviceType(), api.deviceTypeStats(device.deviceType(), LONG_VIEW, windowStart).orElse(null),
                    agreement));
        }
        return figures;
    }

    private static Map<String, Long> memory(List<AutoCloseable> running) {
        Map<String, Long> memory = new LinkedHashMap<>();
        ResidentMemory.of(ProcessHandle.current().pid()).ifPresent(bytes -> memory.put("demo (broker, registry client, orchestration)", bytes));
        for (AutoCloseable part : running) {
            if (part instanceof AppProcess app) {
                app.residentBytes().ifPresent(bytes -> memory.put(app.name(), bytes));
            } else if (part instanceof LocalStack stack && stack.hasRegistry()) {
                long registryBytes = stack.registry().processTree().stream()
                        .mapToLong(handle -> ResidentMemory.of(handle.pid()).orElse(0L)).sum();
                memory.put("schema registry", registryBytes);
            }
        }
        return memory;
    }

    private static void awaitHealthy(AnalyticsClient api, AppProcess analytics) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!api.healthy()) {
            if (!analytics.isAlive()) {
                throw new IllegalStateException("The analytics app exited before it was ready:\n" + analytics.tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The analytics API did not answer within 120 s:\n" + analytics.tail());
            }
            Thread.sleep(300);
        }
    }

    private static void writeClientFile(Map<String, Object> configs, Path file) throws IOException {
        Properties properties = new Properties();
        configs.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        try (OutputStream stream = Files.newOutputStream(file)) {
            properties.store(stream, "Client settings of this demo run, shared by its apps");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void closeAll(List<AutoCloseable> running) {
        List<AutoCloseable> parts;
        synchronized (running) {
            parts = new ArrayList<>(running);
            running.clear();
        }
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("Stopping " + part + " failed: " + e);
            }
        }
    }

    /** An edge consumer to run: one artifact of the manifest on one engine. */
    record DeviceSpec(String engine, String artifactId, String precision, String deviceType) {

        static List<DeviceSpec> fromManifest(Path modelsDir, List<String> engines, List<String> precisions) throws IOException {
            JsonNode manifest = new ObjectMapper().readTree(modelsDir.resolve("manifest.json").toFile());
            Set<String> wantedEngines = new TreeSet<>();
            engines.forEach(e -> wantedEngines.add(e.trim().toLowerCase(Locale.ROOT)));
            Set<String> wantedPrecisions = new TreeSet<>();
            precisions.forEach(p -> wantedPrecisions.add(p.trim().toUpperCase(Locale.ROOT)));
            List<DeviceSpec> devices = new ArrayList<>();
            for (JsonNode artifact : manifest.path("artifacts")) {
                String runtime = artifact.path("runtime").asText();
                String precision = artifact.path("precision").asText();
                if (wantedEngines.contains(runtime) && wantedPrecisions.contains(precision)) {
                    devices.add(new DeviceSpec(runtime, artifact.path("id").asText(), precision,
                            (runtime + "-cpu-" + precision).toLowerCase(Locale.ROOT)));
                }
            }
            return devices;
        }

        /** The FP32 OpenVINO type when it runs, else the first FP32 type, else the first type. */
        static String reference(List<DeviceSpec> devices) {
            return devices.stream().filter(d -> d.precision().equals("FP32") && d.engine().equals("openvino")).findFirst()
                    .or(() -> devices.stream().filter(d -> d.precision().equals("FP32")).findFirst())
                    .orElse(devices.get(0)).deviceType();
        }
    }
}
