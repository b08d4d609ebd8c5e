package dev.edgeinfer.reliability.scale;

import dev.edgeinfer.demo.AppProcess;
import dev.edgeinfer.reliability.apps.AppLaunch;
import dev.edgeinfer.reliability.apps.AppLaunch.ProducerSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The pipeline's apps, each in a JVM of its own started from its module's build output as a deployment would run
 * it, all pointed at one stack through one client settings file. {@link #close()} stops them all (SIGTERM), newest
 * first.
 */
public final class PipelineApps implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

    private final Path home;
    private final Path logs;
    private final Path clientFile;
    private final List<AppProcess> running = new ArrayList<>();
    /** The apps that run until stopped; a producer given a count or a duration ends by itself. */
    private final List<AppProcess> services = new ArrayList<>();

    /**
     * @param home   the repository root, holding the modules' build output and {@code models/}
     * @param logs   folder for the apps' logs and the client settings file
     * @param client the stack's client settings ({@code bootstrap.servers}, {@code schema.registry.url})
     * @throws IOException if the client settings file cannot be written
     */
    public PipelineApps(Path home, Path logs, Map<String, Object> client) throws IOException {
        this.home = home;
        this.logs = logs;
        this.clientFile = logs.resolve("client.properties");
        Properties properties = new Properties();
        client.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        try (OutputStream out = Files.newOutputStream(clientFile)) {
            properties.store(out, "Client settings shared by the apps of this run");
        }
    }

    /**
     * The machine's cores as {@code "<online> online (<n> available to this JVM)"}: the JVM's count follows CPU
     * affinity and container limits, and on a shared machine it may differ from the cores there are.
     */
    public static String cores() throws IOException {
        long online = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("processor")).count();
        return online + " online (" + Runtime.getRuntime().availableProcessors() + " available to this JVM)";
    }

    /** The machine's one-minute load average, recorded beside figures taken on a shared machine. */
    public static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    /**
     * Starts an edge consumer (OpenVINO, INT8, exactly-once) with its Prometheus endpoint on a free port. Consumers
     * given the same group share the frames topic's partitions (fleet mode).
     */
    public AppProcess startEdgeConsumer(String deviceId, String deviceType, String group, String framesTopic) {
        return service(launch(deviceId, "edge-consumer", "dev.edgeinfer.edge.EdgeConsumerApp", "256m", List.of(
                "--config", clientFile.toString(),
                "--engine", "openvino", "--precision", "INT8", "--models-dir", home.resolve("models").toString(),
                "--device-id", deviceId, "--device-type", deviceType, "--group", group,
                "--frames-topic", framesTopic, "--delivery", "exactly-once",
                "--metrics-port", "0", "--no-create-topics")));
    }

    /** Starts an analytics instance; instances with the same application id share the work and answer for each other. */
    public AppProcess startAnalytics(String name, String applicationId, int httpPort) {
        return service(launch(name, "analytics", "dev.edgeinfer.analytics.AnalyticsApp", "384m", List.of(
                "--config", clientFile.toString(),
                "--http-port", Integer.toString(httpPort), "--advertised-host", "localhost",
                "--state-dir", logs.resolve(name + "-state").toString(),
                "--application-id", applicationId, "--no-create-topics")));
    }

    /** Starts the frame producer with these options in addition to the connection settings. */
    public AppProcess startProducer(String name, List<String> options) {
        List<String> args = new ArrayList<>(List.of("--config", clientFile.toString(), "--no-create-topics"));
        args.addAll(options);
        return launch(name, "producer", "dev.edgeinfer.producer.FrameProducerApp", "256m", args);
    }

    /**
     * Waits until every consumer logged that it is ready.
     *
     * @throws IllegalStateException if one exits or is not ready in time, with the end of its log
     */
    public static void awaitReady(List<AppProcess> consumers) throws InterruptedException {
        for (AppProcess consumer : consumers) {
            AppLaunch.awaitDeviceReady(consumer, READY_TIMEOUT);
        }
    }


    /**
     * The frames a finished producer says the brokers acknowledged.
     *
     * @throws IllegalStateException if its log has no summary, or frames failed
     */
    public static long acknowledged(AppProcess producer) {
        ProducerSummary summary = AppLaunch.producerSummary(producer).orElseThrow(() -> new IllegalStateException(
                "The producer's log has no summary of acknowledged frames:\n" + producer.tail()));
        if (summary.failed() != 0) {
            throw new IllegalStateException("The producer reports failed frames: " + summary + "\n" + producer.tail());
        }
        return summary.acknowledged();
    }

    /**
     * Throws if an edge consumer or analytics instance started here has exited, naming it and quoting its log.
     *
     * @throws IllegalStateException if one of them is no longer running
     */
    public void assertAllAlive() {
        synchronized (running) {
            for (AppProcess app : services) {
                if (!app.isAlive()) {
                    throw new IllegalStateException(app.name() + " exited:\n" + app.tail());
                }
            }
        }
    }

    private AppProcess service(AppProcess app) {
        synchronized (running) {
            services.add(app);
        }
        return app;
    }

    private AppProcess launch(String name, String module, String mainClass, String heap, List<String> args) {
        AppProcess app = AppProcess.start(home, name, module, mainClass, heap, args, logs);
        synchronized (running) {
            running.add(0, app);
        }
        return app;
    }


    @Override
    public void close() {
        List<AppProcess> apps;
        synchronized (running) {
            apps = new ArrayList<>(running);
            running.clear();
            services.clear();
        }
        for (AppProcess app : apps) {
            app.close();
        }
    }
}
