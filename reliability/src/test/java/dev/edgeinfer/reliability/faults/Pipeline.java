package dev.edgeinfer.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.reliability.topics.RunTopics;
import dev.edgeinfer.schemas.registry.RegistryClientConfig;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.apps.Apps.ProducerSummary;
import dev.edgeinfer.testsupport.apps.EdgeConsumerLaunch;
import dev.edgeinfer.testsupport.frames.Cifar10Frames;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final Apps apps;

    /**
     * @param registryUrl    the registry URL the apps are given (the stack's, or a proxy in front of it)
     * @param clientSettings further client settings for every app, e.g. a shorter {@code session.timeout.ms}
     */
    Pipeline(LocalStack stack, Path workDir, String registryUrl, Map<String, String> clientSettings) throws IOException {
        assumeTrue(Cifar10Frames.dir().isPresent(), Cifar10Frames.missingReason());
        this.stack = stack;
        Map<String, Object> client = new HashMap<>();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        client.put(RegistryClientConfig.URL, registryUrl);
        client.putAll(clientSettings);
        this.apps = new Apps(Apps.repositoryRoot(), workDir.resolve("logs"), client);
    }

    /** Creates a frames topic of its own for one run, with the pipeline's frames topic settings. */
    static void createFramesTopic(LocalStack stack, String topic) throws InterruptedException {
        RunTopics.create(stack, Topics.spec(Topics.FRAMES).named(topic));
    }

    /** Streams CIFAR-10 test images to {@code topic} at {@code fps} for {@code duration}, looping over the set. */
    AppProcess producer(String name, String topic, double fps, Duration duration) {
        return apps.producer(name, List.of("--source", "cifar10:test",
                "--cifar10-dir", Cifar10Frames.dir().orElseThrow(() -> new IllegalStateException(Cifar10Frames.missingReason())).toString(),
                "--fps", Double.toString(fps), "--duration", duration.toMillis() + "ms", "--loop",
                "--topic", topic, "--producer-id", name));
    }

    /** Starts an edge consumer on the committed OpenVINO INT8 model; devices of one type share a consumer group. */
    AppProcess edgeConsumer(String name, String deviceId, String deviceType, String framesTopic, String delivery) {
        return apps.edgeConsumer(EdgeConsumerLaunch.device(deviceId, deviceType).artifact("openvino", ARTIFACT)
                .framesTopic(framesTopic).delivery(delivery));
    }

    /** Starts an analytics instance; instances with the same application id share the work. */
    AppProcess analytics(String name, String applicationId, int httpPort, Path stateDir) {
        return apps.analytics(name, applicationId, httpPort, stateDir, List.of("--no-create-topics"));
    }

    /** Waits until an edge consumer has loaded its model and is about to join its group. */
    static void awaitDeviceReady(AppProcess device) throws InterruptedException {
        Apps.awaitDeviceReady(device, START_TIMEOUT);
    }

    /** Waits for the producer to end and reads its summary. */
    static ProducerEnd awaitProducer(AppProcess producer, Duration timeout) throws InterruptedException {
        int status = producer.waitFor(timeout);
        ProducerSummary summary = Apps.producerSummary(producer).orElseThrow(() -> new AssertionError(
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
        return apps.logs();
    }

    LocalStack stack() {
        return stack;
    }

    /** Stops every process still running, all at once. */
    @Override
    public void close() {
        apps.close();
    }
}
