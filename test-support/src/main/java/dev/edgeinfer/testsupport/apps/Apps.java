package dev.edgeinfer.testsupport.apps;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pipeline's apps as processes of their own, the way a deployment runs them: each started from its module's
 * build output, all pointed at one Kafka cluster and registry through one client settings file
 * ({@code client.properties} in the logs folder, given to each app as {@code --config}). The demo, the system tests
 * and the benches start apps only through this class. {@link #close()} stops (SIGTERM) every app still running, all
 * at once.
 */
public final class Apps implements AutoCloseable {

    /** The line an edge consumer logs once its engine is loaded and its loop is about to poll. */
    private static final Pattern DEVICE_READY = Pattern.compile("device \\S+ of type \\S+ ready");
    private static final Pattern PRODUCER_SUMMARY = Pattern.compile("sent (\\d+), acknowledged (\\d+), failed (\\d+)");

    /** The frame counts the producer prints at its end. */
    public record ProducerSummary(long sent, long acknowledged, long failed) {
        /** As the producer printed it. */
        @Override
        public String toString() {
            return "sent " + sent + ", acknowledged " + acknowledged + ", failed " + failed;
        }
    }

    private final Path home;
    private final Path logs;
    private final Path clientFile;
    /** Newest first, so {@link #close()} stops the producers before the devices and the devices before analytics. */
    private final List<AppProcess> running = new ArrayList<>();
    /** The apps that run until stopped; a producer ends by itself. */
    private final List<AppProcess> services = new ArrayList<>();

    /**
     * @param home   the repository root, holding the modules' build output and {@code models/}
     * @param logs   folder for the apps' logs and the client settings file; created if missing
     * @param client the client settings every app is given ({@code bootstrap.servers}, {@code schema.registry.url},
     *               security settings, any other client setting)
     * @throws IOException if the folder or the client settings file cannot be written
     */
    public Apps(Path home, Path logs, Map<String, ?> client) throws IOException {
        this.home = home;
        // Absolute: the apps run in the repository root, and read the client settings file from there.
        this.logs = Files.createDirectories(logs.toAbsolutePath());
        this.clientFile = this.logs.resolve("client.properties");
        Properties properties = new Properties();
        client.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        try (OutputStream out = Files.newOutputStream(clientFile)) {
            properties.store(out, "Client settings shared by the apps of this run");
        }
    }

    /**
     * Apps that each get a client settings file of their own ({@link #startWithOwnSettings}), e.g. one per principal
     * of a secured cluster.
     *
     * @param home the repository root, holding the modules' build output and {@code models/}
     * @param logs folder for the apps' logs; created if missing
     * @throws IOException if the folder cannot be created
     */
    public Apps(Path home, Path logs) throws IOException {
        this.home = home;
        // Absolute: the apps run in the repository root, and read the client settings file from there.
        this.logs = Files.createDirectories(logs.toAbsolutePath());
        this.clientFile = null;
    }

    /**
     * The repository root: the nearest folder above the working directory that holds {@code models/manifest.json}
     * and the {@code edge-consumer} module, so the modules' build output and the models are found from it.
     *
     * @throws IllegalStateException if no folder above the working directory is the root
     */
    public static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("models/manifest.json")) && Files.isDirectory(dir.resolve("edge-consumer"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Repository root (with models/manifest.json) not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * A port free on the loopback interface at the time of the call, for an app's HTTP server.
     *
     * @throws UncheckedIOException if no port could be bound
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }

    public Path home() {
        return home;
    }

    public Path logs() {
        return logs;
    }

    /** The client settings file every app is given; null where each app has settings of its own. */
    public Path clientFile() {
        return clientFile;
    }

    /** Starts an edge consumer; it runs until stopped. */
    public AppProcess edgeConsumer(EdgeConsumerLaunch device) {
        return service(start(App.EDGE_CONSUMER, device.name(), device.jvmOptions(), device.environment(),
                device.args(home.resolve("models"))));
    }

    /**
     * Starts an analytics instance answering on {@code httpPort}, its state in {@code stateDir}; instances with the
     * same application id share the work and answer for each other. It runs until stopped.
     *
     * @param stateDir where Kafka Streams keeps its state; an instance restarted on the same folder keeps its stores
     * @param options  further options of the app, e.g. {@code --no-create-topics} where the topics exist
     */
    public AppProcess analytics(String name, String applicationId, int httpPort, Path stateDir, List<String> options) {
        List<String> args = new ArrayList<>(List.of("--http-port", Integer.toString(httpPort), "--advertised-host", "127.0.0.1",
                "--state-dir", stateDir.toString(), "--application-id", applicationId));
        args.addAll(options);
        return service(start(App.ANALYTICS, name, App.ANALYTICS.defaultJvmOptions(), Map.of(), args));
    }

    /** Starts the frame producer with these options; it ends by itself when given a count or a duration. */
    public AppProcess producer(String name, List<String> options) {
        List<String> args = new ArrayList<>(List.of("--no-create-topics"));
        args.addAll(options);
        return start(App.PRODUCER, name, App.PRODUCER.defaultJvmOptions(), Map.of(), args);
    }

    /**
     * Starts an app with the client settings file as {@code --config}, then {@code args}.
     *
     * @param jvmOptions  options of the JVM, before the main class
     * @param environment variables added to the process's environment
     * @throws IllegalStateException if these apps were created without shared client settings
     */
    public AppProcess start(App app, String name, List<String> jvmOptions, Map<String, String> environment, List<String> args) {
        if (clientFile == null) {
            throw new IllegalStateException("These apps have no shared client settings; start " + name + " with settings of its own");
        }
        List<String> withConfig = new ArrayList<>(List.of("--config", clientFile.toString()));
        withConfig.addAll(args);
        return startWithOwnSettings(app, name, jvmOptions, environment, withConfig);
    }

    /** Starts an app with exactly {@code args}, e.g. a client settings file of its own as {@code --config}. */
    public AppProcess startWithOwnSettings(App app, String name, List<String> jvmOptions, Map<String, String> environment,
                                           List<String> args) {
        AppProcess process = AppProcess.start(home, name, app.module(), app.mainClass(), jvmOptions, environment, args, logs);
        synchronized (running) {
            running.add(0, process);
        }
        return process;
    }

    /**
     * Waits until an edge consumer has loaded its model and is about to join its group.
     *
     * @throws IllegalStateException if it exits or is not ready within {@code timeout}, with the end of its log
     */
    public static void awaitDeviceReady(AppProcess device, Duration timeout) throws InterruptedException {
        device.awaitLog(DEVICE_READY, timeout);
    }

    /**
     * Waits until every edge consumer has loaded its model and is about to join its group.
     *
     * @throws IllegalStateException if one exits or is not ready within {@code timeout}, with the end of its log
     */
    public static void awaitDevicesReady(List<AppProcess> devices, Duration timeout) throws InterruptedException {
        for (AppProcess device : devices) {
            awaitDeviceReady(device, timeout);
        }
    }

    /** The summary in the producer's log; empty while the producer has not printed it, or if it never did. */
    public static Optional<ProducerSummary> producerSummary(AppProcess producer) {
        return producer.findInLog(PRODUCER_SUMMARY).map(Apps::summary);
    }

    /**
     * The frames a finished producer says the brokers acknowledged.
     *
     * @throws IllegalStateException if its log has no summary, or frames failed
     */
    public static long acknowledged(AppProcess producer) {
        ProducerSummary summary = producerSummary(producer).orElseThrow(() -> new IllegalStateException(
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
    public void assertServicesAlive() {
        synchronized (running) {
            for (AppProcess app : services) {
                if (!app.isAlive()) {
                    throw new IllegalStateException(app.name() + " exited:\n" + app.tail());
                }
            }
        }
    }

    /** Every app started here and still running, newest first. */
    public List<AppProcess> running() {
        synchronized (running) {
            return running.stream().filter(AppProcess::isAlive).toList();
        }
    }

    private AppProcess service(AppProcess app) {
        synchronized (running) {
            services.add(app);
        }
        return app;
    }

    private static ProducerSummary summary(Matcher line) {
        return new ProducerSummary(Long.parseLong(line.group(1)), Long.parseLong(line.group(2)), Long.parseLong(line.group(3)));
    }

    /** Stops every app still running, all at once: each is given SIGTERM and its grace period in parallel. */
    @Override
    public void close() {
        List<AppProcess> apps;
        synchronized (running) {
            apps = new ArrayList<>(running);
            running.clear();
            services.clear();
        }
        List<Thread> stopping = new ArrayList<>();
        for (AppProcess app : apps) {
            Thread thread = new Thread(app::close, "stop-" + app.name());
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
