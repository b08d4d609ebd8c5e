package dev.edgeinfer.it.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The producer and an edge consumer, started from their image layouts, against Kafka and the schema registry in
 * containers: the images compose.yaml runs ({@code apache/kafka} in KRaft mode, Apicurio), at the versions of the
 * build. Runs where a Docker engine exists; elsewhere JUnit reports it skipped ("Docker is not available"), and the
 * same pipeline is proven on the local stack by {@link ImageLayoutIT}, which this never replaces.
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerPipelineIT {

    static final DeploymentFiles FILES = DeploymentFiles.find();
    static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = kafka(NETWORK);

    @Container
    static final GenericContainer<?> REGISTRY = registry(NETWORK);

    private static final String DEVICE_TYPE = "containers-onnxruntime-cpu-int8";
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private final List<Process> started = new ArrayList<>();

    /** Kafka in KRaft mode from the image compose.yaml runs, reachable from the host and, as kafka:19092, from the network. */
    static KafkaContainer kafka(Network network) {
        return new KafkaContainer(DockerImageName.parse("apache/kafka:" + FILES.pomProperty("kafka.version")))
                .withNetwork(network).withNetworkAliases("kafka").withListener("kafka:19092");
    }

    /** The Apicurio registry of the build's version, in memory, reachable as registry:8080 from the network. */
    static GenericContainer<?> registry(Network network) {
        return new GenericContainer<>(DockerImageName.parse("apicurio/apicurio-registry-mem:" + FILES.pomProperty("apicurio.version")))
                .withNetwork(network).withNetworkAliases("registry").withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/apis/ccompat/v7/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(3)));
    }

    static String registryUrl() {
        return "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8080) + "/apis/ccompat/v7";
    }

    static Map<String, Object> clientProperties() {
        return new HashMap<>(Map.of("bootstrap.servers", KAFKA.getBootstrapServers(), "schema.registry.url", registryUrl()));
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process process : started) {
            ImageLayout.stop(process);
        }
    }

    @Test
    void producerAndEdgeConsumerLayoutsRunAgainstKafkaInAContainer() throws Exception {
        Path work = FILES.root().resolve("integration-tests/target/kafka-container-it");
        // A fresh folder per run: state left by an earlier run (analytics' stores) belongs to a stack that is gone.
        ImageLayout.deleteRecursively(work);
        Path logs = Files.createDirectories(work.resolve("logs"));
        ImageLayout producer = ImageLayout.build(FILES, "producer", work.resolve("producer"));
        ImageLayout edge = ImageLayout.build(FILES, "edge-consumer", work.resolve("edge-consumer"));

        Map<String, String> edgeEnv = environment("edge-consumer");
        edgeEnv.put("EDGEINFER_ENGINE", "onnxruntime");
        edgeEnv.put("EDGEINFER_PRECISION", "INT8");
        edgeEnv.put("EDGEINFER_DEVICE_TYPE", DEVICE_TYPE);
        edgeEnv.put("EDGEINFER_DEVICE_ID", "containers-device-1");
        edgeEnv.put("EDGEINFER_METRICS_PORT", "-1");
        Path edgeLog = logs.resolve("edge-consumer.log");
        started.add(edge.start(edgeEnv, List.of(), edgeLog));

        int frames = PipelineCheck.writeFrames(Files.createDirectories(work.resolve("frames")), 3, 11);
        Map<String, String> producerEnv = environment("producer");
        producerEnv.put("EDGEINFER_SOURCE", "dir:" + work.resolve("frames"));
        Path producerLog = logs.resolve("producer.log");
        Process producerProcess = producer.start(producerEnv, List.of(), producerLog);
        started.add(producerProcess);
        assertThat(producerProcess.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as(ImageLayout.tail(producerLog)).isTrue();
        assertThat(producerProcess.exitValue()).as(ImageLayout.tail(producerLog)).isZero();

        Set<String> predicted = PipelineCheck.predictedFrames(clientProperties(), DEVICE_TYPE, frames, PATIENCE);
        assertThat(predicted).as(ImageLayout.tail(edgeLog)).hasSize(frames);
    }

    private static Map<String, String> environment(String app) {
        Map<String, String> environment = new HashMap<>(FILES.imageEnvironment(app));
        environment.put("EDGEINFER_BOOTSTRAP_SERVERS", KAFKA.getBootstrapServers());
        environment.put("EDGEINFER_SCHEMA_REGISTRY_URL", registryUrl());
        environment.put("JAVA_OPTS", "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        return environment;
    }
}
