package dev.edgeinfer.demo;

import dev.edgeinfer.demo.sweep.LoadSweep;
import dev.edgeinfer.demo.sweep.PredictionLatencies;
import dev.edgeinfer.demo.sweep.SweepReport;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.schemas.analytics.AgreementReport;
import dev.edgeinfer.schemas.config.ClientConfig;
import dev.edgeinfer.schemas.config.Durations;
import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.ManifestException;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.analytics.AnalyticsClient;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.apps.EdgeConsumerLaunch;
import dev.edgeinfer.testsupport.process.ResidentMemory;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Set;
import java.util.TreeSet;

/**
 * One run of the demo: {@link #start} brings up the stack, the analytics app and the edge consumers; {@link #stream}
 * sends the frames and follows the run on a live table; {@link #report} writes the report; {@link #close} stops
 * everything it started, in reverse order.
 */
final class DemoRun implements AutoCloseable {

    static final String LONG_VIEW = "long";
    private static final Duration LONG_ADVANCE = Duration.ofMinutes(1);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
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
    private LocalStack stack;
    private Apps apps;
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
            stack = LocalStack.builder().logDir(logs).start();
            clientProperties = stack.clientProperties();
            out.printf("  Kafka %s, registry %s, ready in %.1f s%n", stack.bootstrapServers(), stack.schemaRegistryUrl(),
                    stack.startupDuration().toMillis() / 1000.0);
        } else {
            clientProperties = ClientConfig.load(options.clientConfig(), options.bootstrapServers(), options.schemaRegistryUrl());
        }
        apps = new Apps(options.home(), logs, clientProperties);

        int port = options.httpPort() == 0 ? Apps.freePort() : options.httpPort();
        AppProcess analytics = apps.analytics("analytics", "edgeinfer-demo-" + runId, port, logs.resolve("analytics-state"), List.of(
                "--reference-device-type", reference, "--latency-bound", "p99:" + Math.round(options.latencyBoundMillis()) + "ms"));
        List<AppProcess> consumers = new ArrayList<>();
        for (DeviceSpec device : devices) {
            consumers.add(apps.edgeConsumer(EdgeConsumerLaunch.device("demo-" + device.deviceType(), device.deviceType())
                    .artifact(device.engine(), device.artifactId()).option("--batching", device.batching())));
        }
        api = AnalyticsClient.onPort(port);
        api.awaitHealthy(analytics, READY_TIMEOUT);
        for (AppProcess consumer : consumers) {
            Apps.awaitDeviceReady(consumer, READY_TIMEOUT);
        }
        out.printf("Analytics API and dashboard: %s   (reference device type: %s)%n", api.base(), reference);
        out.printf("Edge consumers: %s%n", devices.stream().map(DeviceSpec::deviceType).toList());
        out.printf("Logs: %s%n", logs);
    }

    /** Sends the frames and follows the run until every device type predicted every frame sent, or the settle time ran out. */
    Progress stream() throws Exception {
        windowStart = Math.floorDiv(System.currentTimeMillis(), LONG_ADVANCE.toMillis()) * LONG_ADVANCE.toMillis();
        List<String> args = new ArrayList<>(
                List.of("--source", "cifar10:test", "--fps", Integer.toString(options.fps()), "--arrivals", options.arrivals(),
                        "--count", Integer.toString(options.count()),
                        "--producer-id", "demo-" + runId));
        if (options.duration() != null) {
            args.addAll(List.of("--duration", Durations.format(options.duration())));
        }
        streamStart = Instant.now();
        AppProcess producer = apps.producer("producer", args);
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
                sent = Apps.acknowledged(producer);
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
        try (PredictionLatencies latencies = new PredictionLatencies(clientProperties, Topics.PREDICTIONS, Topics.FRAMES)) {
            latencies.awaitAssigned(Duration.ofSeconds(60));
            LoadSweep sweep = new LoadSweep(latencies, this::sendFrames, devices.stream().map(DeviceSpec::deviceType).toList(), out);
            LoadSweep.Result result = sweep.run(loads, options.arrivals(), frames, minSeconds, options.settle(), boundMillis);
            Duration elapsed = Duration.between(streamStart, Instant.now());
            Map<String, Duration> caughtUp = new LinkedHashMap<>();
            devices.forEach(device -> caughtUp.put(device.deviceType(), elapsed));
            long sent = result.points().stream().mapToLong(LoadSweep.Point::sent).sum();
            return new Sweep(new Progress(sent, null, caughtUp, true), result);
        }
    }

    /** A sweep's run, and its figures. */
    record Sweep(Progress progress, LoadSweep.Result result) {
    }

    /** Sends {@code count} CIFAR-10 test frames (looping over the set) at {@code fps}; returns how many were acknowledged. */
    private long sendFrames(String phase, int fps, String arrivals, int count) throws Exception {
        List<String> args = List.of("--source", "cifar10:test",
                "--fps", Integer.toString(fps), "--arrivals", arrivals, "--count", Integer.toString(count), "--loop",
                "--producer-id", "demo-" + runId + "-" + phase);
        AppProcess producer = apps.producer("producer-" + phase, args);
        int status = producer.waitFor(Duration.ofHours(1));
        if (status != 0) {
            throw new IllegalStateException("The producer of load " + phase + " failed with status " + status + ":\n" + producer.tail());
        }
        return Apps.acknowledged(producer);
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
        AgreementReport agreement = api.agreement(LONG_VIEW, windowStart).orElse(null);
        List<DeviceFigures> figures = new ArrayList<>();
        for (DeviceSpec device : devices) {
            figures.add(DeviceFigures.of(device.deviceType(),
                    api.stats("device-type", device.deviceType(), LONG_VIEW, windowStart).orElse(null), agreement));
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

    private Map<String, Long> memory() {
        Map<String, Long> memory = new LinkedHashMap<>();
        ResidentMemory.of(ProcessHandle.current().pid()).ifPresent(bytes -> memory.put("demo (with the in-process broker)", bytes));
        if (apps != null) {
            for (AppProcess app : apps.running()) {
                app.residentBytes().ifPresent(bytes -> memory.put(app.name(), bytes));
            }
        }
        if (stack != null && stack.hasRegistry()) {
            memory.put("schema registry", stack.registry().processTree().stream()
                    .mapToLong(handle -> ResidentMemory.of(handle.pid()).orElse(0L)).sum());
        }
        return memory;
    }

    /** Stops the apps, then the stack; safe to call twice and from a shutdown hook. */
    @Override
    public synchronized void close() {
        if (apps != null) {
            apps.close();
            apps = null;
        }
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }

    static List<DeviceSpec> devicesFromManifest(Path modelsDir, List<String> engines, List<String> precisions,
                                                List<String> batching)
            throws ManifestException {
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
}
