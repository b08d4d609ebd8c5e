package dev.edgeinfer.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeinfer.demo.sweep.LoadSweep;
import dev.edgeinfer.demo.sweep.PredictionLatencies;
import dev.edgeinfer.demo.sweep.SweepReport;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.schemas.config.ClientConfig;
import dev.edgeinfer.schemas.config.Durations;
import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.ManifestException;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the demo: {@link #start} brings up the stack, the analytics app and the edge consumers; {@link #stream}
 * sends the frames and follows the run on a live table; {@link #report} writes the report; {@link #close} stops
 * everything it started, in reverse order.
 */
final class DemoRun implements AutoCloseable {

    static final String LONG_VIEW = "long";
    private static final Duration LONG_ADVANCE = Duration.ofMinutes(1);
    private static final Pattern DEVICE_READY = Pattern.compile("device \\S+ of type \\S+ ready");
    private static final Pattern ACKNOWLEDGED = Pattern.compile("sent \\d+, acknowledged (\\d+), failed \\d+");
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /**
     * What to run.
     *
     * @param home             the repository root, holding the modules' build output
     * @param modelsDir        the folder with {@code manifest.json}
     * @param duration         stop streaming after this long; null to send {@code count} frames
     * @param bootstrapServers an existing cluster; null (with clientConfig null) for the local stack
     * @param reportDir        where the report goes; null for {@code reports/<run id>}
     * @param httpPort         the analytics port; 0 for a free one
     * @param batching         the edge consumers' batching modes: each artifact runs once per mode, as its own device
     *                         type (suffixed with the mode but for adaptive)
     * @param latencyBoundMillis the analytics' p99 end-to-end bound of every device type
     * @param settle           how long to wait, after the last frame was sent, for every device type to catch up
     */
    record Options(Path home, Path modelsDir, List<String> engines, List<String> precisions, List<String> batching,
                   double latencyBoundMillis, int fps, String arrivals, int count,
                   Duration duration, String bootstrapServers, String schemaRegistryUrl, Path clientConfig,
                   Path reportDir, int httpPort, Duration settle) {
    }

    /** How the run went: frames sent, and when each device type had predicted them all. */
    record Progress(long framesSent, Duration timeToFirstPrediction, Map<String, Duration> caughtUp, boolean complete) {
    }

    /** An edge consumer to run: one artifact of the manifest on one engine, with one batching mode. */
    record DeviceSpec(String engine, String artifactId, String precision, String batching, String deviceType) {
    }

    private final Options options;
    private final PrintStream out;
    private final String runId;
    private final Instant started;
    private final Path reports;
    private final Path logs;
    private final List<AutoCloseable> running = new ArrayList<>();
    private List<DeviceSpec> devices;
    private String reference;
    private Map<String, Object> clientProperties;
    private AnalyticsClient api;
    private long windowStart;
    private Instant streamStart;

    private DemoRun(Options options, PrintStream out) throws IOException {
        this.options = options;
        this.out = out;
        this.started = Instant.now();
        this.runId = RUN_ID.format(started);
        this.reports = options.reportDir() != null ? options.reportDir() : options.home().resolve("reports").resolve(runId);
        this.logs = reports.resolve("logs");
        Files.createDirectories(logs);
    }

    /** Starts everything but the producer; returns once the analytics API answers and every device is ready. */
    static DemoRun start(Options options, PrintStream out) throws Exception {
        DemoRun run = new DemoRun(options, out);
        try {
            run.startApps();
            return run;
        } catch (Exception | Error e) {
            run.close();
            throw e;
        }
    }

    private void startApps() throws Exception {
        devices = devicesFromManifest(options.modelsDir(), options.engines(), options.precisions(), options.batching());
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("No artifact in " + options.modelsDir().resolve("manifest.json") + " matches engines "
                    + options.engines() + " and precisions " + options.precisions());
        }
        reference = reference(devices);
        if (options.bootstrapServers() == null && options.clientConfig() == null) {
            out.println("Starting the local stack (Kafka broker and schema registry)...");
            // The broker's log (kafka.log), warnings and errors included, and the registry's go to the run's log folder
            // with the apps' logs: the terminal shows the demo's own lines only.
            LocalStack stack = LocalStack.builder().logDir(logs).start();
            running.add(stack);
            clientProperties = stack.clientProperties();
            out.printf("  Kafka %s, registry %s, ready in %.1f s%n", stack.bootstrapServers(), stack.schemaRegistryUrl(),
                    stack.startupDuration().toMillis() / 1000.0);
        } else {
            clientProperties = ClientConfig.load(options.clientConfig(), options.bootstrapServers(), options.schemaRegistryUrl());
        }
        Path clientFile = logs.resolve("client.properties");
        writeClientFile(clientProperties, clientFile);
        List<String> connection = List.of("--config", clientFile.toString());

        int port = options.httpPort() == 0 ? freePort() : options.httpPort();
        List<String> analyticsArgs = new ArrayList<>(connection);
        analyticsArgs.addAll(List.of("--http-port", Integer.toString(port), "--state-dir", logs.resolve("analytics-state").toString(),
                "--application-id", "edgeinfer-demo-" + runId, "--reference-device-type", reference,
                "--latency-bound", "p99:" + Math.round(options.latencyBoundMillis()) + "ms"));
        AppProcess analytics = launch("analytics", "analytics", "dev.edgeinfer.analytics.AnalyticsApp", "384m", analyticsArgs);
        List<AppProcess> consumers = new ArrayList<>();
        for (DeviceSpec device : devices) {
            List<String> args = new ArrayList<>(connection);
            args.addAll(List.of("--engine", device.engine(), "--artifact", device.artifactId(), "--models-dir", options.modelsDir().toString(),
                    "--device-type", device.deviceType(), "--device-id", "demo-" + device.deviceType(),
                    "--delivery", "exactly-once", "--batching", device.batching(), "--metrics-port", "-1", "--no-create-topics"));
            consumers.add(launch(device.deviceType(), "edge-consumer", "dev.edgeinfer.edge.EdgeConsumerApp", "256m", args));
        }
        api = new AnalyticsClient(URI.create("http://localhost:" + port + "/"));
        awaitHealthy(analytics);
        for (AppProcess consumer : consumers) {
            consumer.awaitLog(DEVICE_READY, Duration.ofSeconds(180));
        }
        out.printf("Analytics API and dashboard: %s   (reference device type: %s)%n", api.base(), reference);
        out.printf("Edge consumers: %s%n", devices.stream().map(DeviceSpec::deviceType).toList());
        out.printf("Logs: %s%n", logs);
    }

    /** Sends the frames and follows the run until every device type predicted every frame sent, or the settle time ran out. */
    Progress stream() throws Exception {
        windowStart = Math.floorDiv(System.currentTimeMillis(), LONG_ADVANCE.toMillis()) * LONG_ADVANCE.toMillis();
        List<String> args = new ArrayList<>(List.of("--config", logs.resolve("client.properties").toString(),
                "--source", "cifar10:test", "--fps", Integer.toString(options.fps()), "--arrivals", options.arrivals(),
                "--count", Integer.toString(options.count()),
                "--producer-id", "demo-" + runId, "--no-create-topics"));
        if (options.duration() != null) {
            args.addAll(List.of("--duration", Durations.format(options.duration())));
        }
        streamStart = Instant.now();
        AppProcess producer = launch("producer", "producer", "dev.edgeinfer.producer.FrameProducerApp", "256m", args);
        LiveTable table = new LiveTable(out);
        Duration firstPrediction = null;
        Map<String, Duration> caughtUp = new LinkedHashMap<>();
        long sent = -1;
        Instant settleDeadline = null;
        while (true) {
            List<DeviceFigures> figures = figures();
            Duration elapsed = Duration.between(streamStart, Instant.now());
            if (firstPrediction == null && figures.stream().anyMatch(f -> f.frames() > 0)) {
                firstPrediction = Duration.between(started, Instant.now());
            }
            if (sent < 0 && !producer.isAlive()) {
                int status = producer.waitFor(Duration.ofSeconds(5));
                if (status != 0) {
                    throw new IllegalStateException("The producer failed with status " + status + ":\n" + producer.tail());
                }
                sent = acknowledged(producer);
                settleDeadline = Instant.now().plus(options.settle());
            }
            for (DeviceFigures f : figures) {
                if (sent >= 0 && f.frames() >= sent && !caughtUp.containsKey(f.deviceType())) {
                    caughtUp.put(f.deviceType(), elapsed);
                }
            }
            table.show(figures, elapsed, sent, caughtUp);
            if (sent >= 0 && (caughtUp.size() == devices.size() || Instant.now().isAfter(settleDeadline))) {
                return new Progress(sent, firstPrediction, caughtUp, caughtUp.size() == devices.size());
            }
            Thread.sleep(2_000);
        }
    }

    /**
     * Sends the frames at each load in turn, reading the predictions as a {@code read_committed} subscriber does, and
     * returns each device type's latencies and throughput at each load. The whole sweep is also the run's stream.
     */
    Sweep sweep(List<LoadSweep.Load> loads, int frames, int minSeconds, double boundMillis) throws Exception {
        windowStart = Math.floorDiv(System.currentTimeMillis(), LONG_ADVANCE.toMillis()) * LONG_ADVANCE.toMillis();
        streamStart = Instant.now();
        long[] sent = {0};
        try (PredictionLatencies latencies = new PredictionLatencies(clientProperties, Topics.PREDICTIONS, Topics.FRAMES)) {
            latencies.awaitAssigned(Duration.ofSeconds(60));
            LoadSweep sweep = new LoadSweep(latencies, (phase, fps, arrivals, count) -> {
                long acknowledged = sendFrames(phase, fps, arrivals, count);
                sent[0] += acknowledged;
                return acknowledged;
            }, devices.stream().map(DeviceSpec::deviceType).toList(), out);
            LoadSweep.Result result = sweep.run(loads, options.arrivals(), frames, minSeconds, options.settle(), boundMillis);
            Duration elapsed = Duration.between(streamStart, Instant.now());
            Map<String, Duration> caughtUp = new LinkedHashMap<>();
            devices.forEach(device -> caughtUp.put(device.deviceType(), elapsed));
            return new Sweep(new Progress(sent[0], null, caughtUp, true), result);
        }
    }

    /** A sweep's run, and its figures. */
    record Sweep(Progress progress, LoadSweep.Result result) {
    }

    /** Sends {@code count} CIFAR-10 test frames (looping over the set) at {@code fps}; returns how many were acknowledged. */
    private long sendFrames(String phase, int fps, String arrivals, int count) throws Exception {
        List<String> args = List.of("--config", logs.resolve("client.properties").toString(), "--source", "cifar10:test",
                "--fps", Integer.toString(fps), "--arrivals", arrivals, "--count", Integer.toString(count), "--loop",
                "--producer-id", "demo-" + runId + "-" + phase, "--no-create-topics");
        AppProcess producer = launch("producer-" + phase, "producer", "dev.edgeinfer.producer.FrameProducerApp", "256m", args);
        int status = producer.waitFor(Duration.ofHours(1));
        if (status != 0) {
            throw new IllegalStateException("The producer of load " + phase + " failed with status " + status + ":\n" + producer.tail());
        }
        return acknowledged(producer);
    }

    /** Writes the report from what the analytics API says now; returns the Markdown file. */
    Path report(Progress progress) throws IOException {
        Report report = new Report(runId, started, progress, figures(), reference, memory(), api.base());
        return report.write(reports);
    }

    /** The report, with the sweep's section, chart and JSON after the analytics' figures. */
    Path report(Sweep sweep) throws IOException {
        Path markdown = report(sweep.progress());
        Files.writeString(markdown, new SweepReport(sweep.result()).write(reports), StandardOpenOption.APPEND);
        return markdown;
    }

    /** Every device type's figures over the run's window of the long view, as the API gives them. */
    List<DeviceFigures> figures() throws IOException {
        JsonNode agreement = api.agreement(LONG_VIEW, windowStart).orElse(null);
        List<DeviceFigures> figures = new ArrayList<>();
        for (DeviceSpec device : devices) {
            figures.add(DeviceFigures.of(device.deviceType(),
                    api.deviceTypeStats(device.deviceType(), LONG_VIEW, windowStart).orElse(null), agreement));
        }
        return figures;
    }

    AnalyticsClient api() {
        return api;
    }

    List<DeviceSpec> devices() {
        return List.copyOf(devices);
    }

    /** The Kafka and registry settings the run's apps use. */
    Map<String, Object> clientProperties() {
        return new LinkedHashMap<>(clientProperties);
    }

    Path reportDir() {
        return reports;
    }

    private AppProcess launch(String name, String module, String mainClass, String heap, List<String> args) {
        AppProcess process = AppProcess.start(options.home(), name, module, mainClass, heap, args, logs);
        synchronized (running) {
            running.add(0, process);
        }
        return process;
    }

    private long acknowledged(AppProcess producer) {
        Matcher matcher = producer.findInLog(ACKNOWLEDGED).orElseThrow(() -> new IllegalStateException(
                "The producer's summary has no count of acknowledged frames:\n" + producer.tail()));
        return Long.parseLong(matcher.group(1));
    }

    private Map<String, Long> memory() {
        Map<String, Long> memory = new LinkedHashMap<>();
        ResidentMemory.of(ProcessHandle.current().pid()).ifPresent(bytes -> memory.put("demo (with the in-process broker)", bytes));
        List<AutoCloseable> parts;
        synchronized (running) {
            parts = new ArrayList<>(running);
        }
        for (AutoCloseable part : parts) {
            if (part instanceof AppProcess app && app.isAlive()) {
                app.residentBytes().ifPresent(bytes -> memory.put(app.name(), bytes));
            } else if (part instanceof LocalStack stack && stack.hasRegistry()) {
                memory.put("schema registry", stack.registry().processTree().stream()
                        .mapToLong(handle -> ResidentMemory.of(handle.pid()).orElse(0L)).sum());
            }
        }
        return memory;
    }

    private void awaitHealthy(AppProcess analytics) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!api.healthy()) {
            if (!analytics.isAlive()) {
                throw new IllegalStateException("The analytics app exited before it was ready:\n" + analytics.tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The analytics API did not answer within 180 s:\n" + analytics.tail());
            }
            Thread.sleep(300);
        }
    }

    /** Stops everything started, newest first; safe to call twice and from a shutdown hook. */
    @Override
    public void close() {
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

    static List<DeviceSpec> devicesFromManifest(Path modelsDir, List<String> engines, List<String> precisions,
                                                List<String> batching) throws ManifestException {
        ModelManifest manifest = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME));
        Set<String> wantedEngines = new TreeSet<>();
        engines.forEach(e -> wantedEngines.add(e.trim().toLowerCase(Locale.ROOT)));
        Set<String> wantedPrecisions = new TreeSet<>();
        precisions.forEach(p -> wantedPrecisions.add(p.trim().toUpperCase(Locale.ROOT)));
        List<DeviceSpec> devices = new ArrayList<>();
        for (Artifact artifact : manifest.artifacts()) {
            String runtime = artifact.runtime().manifestName();
            String precision = artifact.precision().manifestName();
            if (wantedEngines.contains(runtime) && wantedPrecisions.contains(precision)) {
                for (String mode : batching) {
                    String type = (runtime + "-cpu-" + precision).toLowerCase(Locale.ROOT);
                    String suffix = mode.trim().toLowerCase(Locale.ROOT);
                    devices.add(new DeviceSpec(runtime, artifact.id(), precision, suffix,
                            suffix.equals("adaptive") ? type : type + "-" + suffix));
                }
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
}
