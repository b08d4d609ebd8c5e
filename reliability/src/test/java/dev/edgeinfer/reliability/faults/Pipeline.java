package dev.edgeinfer.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.demo.AppProcess;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.reliability.apps.AppLaunch;
import dev.edgeinfer.reliability.apps.AppLaunch.ProducerSummary;
import dev.edgeinfer.reliability.frames.Cifar10TestFrames;
import dev.edgeinfer.reliability.topics.RunTopics;
import dev.edgeinfer.schemas.registry.RegistryClientConfig;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The pipeline's apps as processes of their own against a local stack, the way a deployment runs them: the producer,
 * edge consumers and analytics instances, each started from its module's build output with a client properties file.
 * {@link #close()} stops (SIGTERM) every process still running.
 */
final class Pipeline implements AutoCloseable {

    static final String ARTIFACT = "openvino-int8";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /** How the producer ended: its exit status and what it said at its end. */
    record ProducerEnd(int exitStatus, ProducerSummary summary) {
    }

    private final LocalStack stack;
    private final Path home;
    private final Path logs;
    private final Path clientConfig;
    private final List<AppProcess> started = new ArrayList<>();

    /**
     * @param registryUrl    the registry URL the apps are given (the stack's, or a proxy in front of it)
     * @param clientSettings further client settings for every app, e.g. a shorter {@code session.timeout.ms}
     */
    Pipeline(LocalStack stack, Path workDir, String registryUrl, Map<String, String> clientSettings) throws IOException {
        this.stack = stack;
        this.home = AppLaunch.repositoryRoot();
        this.logs = Files.createDirectories(workDir.resolve("logs"));
        this.clientConfig = workDir.resolve("client.properties");
        Properties properties = new Properties();
        properties.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        properties.setProperty(RegistryClientConfig.URL, registryUrl);
        clientSettings.forEach(properties::setProperty);
        try (OutputStream out = Files.newOutputStream(clientConfig)) {
            properties.store(out, "fault test clients");
        }
    }

    /** Creates a frames topic of its own for one run, with the pipeline's frames topic settings. */
    static void createFramesTopic(LocalStack stack, String topic) throws InterruptedException {
        RunTopics.create(stack, Topics.spec(Topics.FRAMES).named(topic));
    }

    /** Streams CIFAR-10 test images to {@code topic} at {@code fps} for {@code duration}, looping over the set. */
    AppProcess producer(String name, String topic, double fps, Duration duration) {
        return launch(name, "producer", "dev.edgeinfer.producer.FrameProducerApp", List.of(
                "--config", clientConfig.toString(), "--source", "cifar10:test",
                "--cifar10-dir", Cifar10TestFrames.dir().toString(),
                "--fps", Double.toString(fps), "--duration", duration.toMillis() + "ms", "--loop",
                "--topic", topic, "--producer-id", name, "--no-create-topics"));
    }

    /** Starts an edge consumer on the committed OpenVINO INT8 model; devices of one type share a consumer group. */
    AppProcess edgeConsumer(String name, String deviceId, String deviceType, String framesTopic, String delivery) {
        return launch(name, "edge-consumer", "dev.edgeinfer.edge.EdgeConsumerApp", List.of(
                "--config", clientConfig.toString(), "--engine", "openvino", "--artifact", ARTIFACT,
                "--models-dir", home.resolve("models").toString(), "--device-id", deviceId, "--device-type", deviceType,
                "--frames-topic", framesTopic, "--delivery", delivery, "--metrics-port", "-1", "--no-create-topics"));
    }

    /** Starts an analytics instance; instances with the same application id share the work. */
    AppProcess analytics(String name, String applicationId, int httpPort, Path stateDir) {
        return launch(name, "analytics", "dev.edgeinfer.analytics.AnalyticsApp", List.of(
                "--config", clientConfig.toString(), "--http-port", Integer.toString(httpPort),
                "--advertised-host", "127.0.0.1", "--state-dir", stateDir.toString(), "--application-id", applicationId,
                "--no-create-topics"));
    }

    /** Waits until an edge consumer has loaded its model and is about to join its group. */
    static void awaitDeviceReady(AppProcess device) throws InterruptedException {
        AppLaunch.awaitDeviceReady(device, START_TIMEOUT);
    }

    /** Waits for the producer to end and reads its summary. */
    static ProducerEnd awaitProducer(AppProcess producer, Duration timeout) throws InterruptedException {
        int status = producer.waitFor(timeout);
        ProducerSummary summary = AppLaunch.producerSummary(producer).orElseThrow(() -> new AssertionError(
                "The producer (exit status " + status + ") printed no summary:\n" + producer.tail()));
        return new ProducerEnd(status, summary);
    }

    /** Asserts that every process is still running: none exited because of the fault. */
    static void assertAlive(AppProcess... processes) {
        for (AppProcess process : processes) {
            assertThat(process.isAlive()).as("%s still running; its log ends:%n%s", process.name(), process.tail()).isTrue();
        }
    }

    Path logs() {
        return logs;
    }

    LocalStack stack() {
        return stack;
    }

    private AppProcess launch(String name, String module, String mainClass, List<String> args) {
        AppProcess process = AppProcess.start(home, name, module, mainClass, module.equals("analytics") ? "384m" : "256m", args, logs);
        started.add(0, process);
        return process;
    }

    /** Stops every process still running, all at once: each is given SIGTERM and its grace period in parallel. */
    @Override
    public void close() {
        List<Thread> stopping = new ArrayList<>();
        for (AppProcess process : started) {
            Thread thread = new Thread(process::close, "stop-" + process.name());
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
