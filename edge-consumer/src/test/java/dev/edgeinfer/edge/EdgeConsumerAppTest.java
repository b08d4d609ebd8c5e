package dev.edgeinfer.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.edge.consumer.Batching;
import dev.edgeinfer.edge.consumer.DeliveryMode;
import dev.edgeinfer.edge.consumer.EdgeConsumerSettings;
import dev.edgeinfer.edge.engine.EngineConfig;
import dev.edgeinfer.edge.engine.EngineKind;
import dev.edgeinfer.edge.engine.EngineTestSupport;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EdgeConsumerAppTest {

    @Test
    void aFlushIsOneBatchPerRequestInFlightUnlessToldOtherwise() {
        EdgeConsumerApp defaults = CommandLine.populateCommand(new EdgeConsumerApp());
        assertThat(defaults.flushFrames()).isEqualTo(16 * 2);

        EdgeConsumerApp sized = CommandLine.populateCommand(new EdgeConsumerApp(), "--max-batch", "64",
                "--requests-in-flight", "4");
        assertThat(sized.flushFrames()).isEqualTo(256);

        EdgeConsumerApp told = CommandLine.populateCommand(new EdgeConsumerApp(), "--max-batch", "64",
                "--requests-in-flight", "4", "--flush-frames", "1024");
        assertThat(told.flushFrames()).isEqualTo(1024);
    }

    @Test
    void theLiteRtEngineIsChosenWithItsArtifactAndThreads() throws Exception {
        ModelManifest manifest = ModelManifest.read(EngineTestSupport.u8Models().resolve(ModelManifest.FILE_NAME));
        EdgeConsumerApp app = CommandLine.populateCommand(new EdgeConsumerApp(), "--engine", "litert",
                "--models-dir", EngineTestSupport.u8Models().toString(), "--num-threads", "2");

        EngineConfig config = EngineConfig.fromProperties(app.engineProperties(manifest));

        assertThat(config.engine()).isEqualTo(EngineKind.LITERT);
        assertThat(config.artifactId()).isEqualTo("litert-int8");
        assertThat(config.numThreads()).hasValue(2);
        assertThat(config.inferencePrecisionHint()).isEmpty();
        assertThat(EdgeConsumerApp.artifactFor(manifest, "litert", "FP32")).isEqualTo("litert-fp32");
    }

    @Test
    void theClientFileOverridesTheDeviceDefaultsButNotDeliveryGuarantees() {
        EdgeConsumerSettings settings = new EdgeConsumerSettings("pi-7", "rpi-int8", DeliveryMode.EXACTLY_ONCE, Batching.ADAPTIVE, 256,
                Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(10), "frames", "predictions",
                "dead-letters", "heartbeats");

        Map<String, Object> consumer = EdgeConsumerApp.consumerConfig(Map.of(), "edge-rpi-int8", settings);
        assertThat(consumer).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "edge-rpi-int8")
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
        Map<String, Object> producer = EdgeConsumerApp.producerConfig(Map.of(), settings);
        assertThat(producer).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none")
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024)
                .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "edge-pi-7")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all");

        Map<String, Object> file = Map.of(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "262144", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd", ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.BATCH_SIZE_CONFIG, "16384");
        assertThat(EdgeConsumerApp.consumerConfig(file, "edge-rpi-int8", settings))
                .containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "262144")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        assertThat(EdgeConsumerApp.producerConfig(file, settings))
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, "16384")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
    }
}
