package dev.edgeinfer.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.producer.rate.Arrivals;
import dev.edgeinfer.producer.source.SourceSpec;
import dev.edgeinfer.schemas.config.ClientConfig;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FrameProducerAppTest {

    @TempDir
    Path dir;

    @Test
    void optionsBecomeTheRunSettings() {
        FrameProducerApp app = parse("--producer-id", "cam-7", "--source", "dir:images", "--fps", "25", "--burst", "5",
                "--count", "1000", "--duration", "90s", "--loop", "--shuffle", "--seed", "11", "--key", "producer-id",
                "--strict", "--topic", "frames.test");
        PublishSettings settings = app.settings("abc");
        assertThat(settings.producerId()).isEqualTo("cam-7");
        assertThat(settings.frameId(42)).isEqualTo("cam-7-abc-42");
        assertThat(settings.plan().fps()).isEqualTo(25.0);
        assertThat(settings.plan().burst()).isEqualTo(5);
        assertThat(settings.count()).isEqualTo(1000);
        assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.loop()).isTrue();
        assertThat(settings.shuffle()).isTrue();
        assertThat(settings.seed()).isEqualTo(11);
        assertThat(settings.key()).isEqualTo(KeyChoice.PRODUCER_ID);
        assertThat(settings.strict()).isTrue();
        assertThat(settings.topic()).isEqualTo("frames.test");
        assertThat(app.source.kind()).isEqualTo(SourceSpec.Kind.DIRECTORY);
    }

    @Test
    void poissonArrivalsAreSeededAndNeedARate() {
        PublishSettings settings = parse("--producer-id", "cam", "--fps", "20", "--arrivals", "poisson", "--arrival-seed", "9")
                .settings("abc");
        assertThat(settings.plan().arrivals()).isEqualTo(Arrivals.POISSON);
        assertThat(settings.plan().seed()).isEqualTo(9);
        assertThat(parse("--producer-id", "cam", "--fps", "20").settings("abc").plan().arrivals()).isEqualTo(Arrivals.CONSTANT);
        assertThat(run("--bootstrap-servers", "localhost:1", "--schema-registry-url", "mock://x", "--arrivals", "poisson"))
                .as("Poisson arrivals without --fps").isEqualTo(2);
        assertThat(run("--bootstrap-servers", "localhost:1", "--schema-registry-url", "mock://x", "--fps", "5",
                "--arrivals", "bursty")).isEqualTo(2);
    }

    @Test
    void defaultsPublishTheCifarTestSplitUnpacedToTheFramesTopic() {
        FrameProducerApp app = parse("--producer-id", "cam");
        PublishSettings settings = app.settings("abc");
        assertThat(app.source).isEqualTo(SourceSpec.parse("cifar10:test"));
        assertThat(settings.plan().isPaced()).isFalse();
        assertThat(settings.topic()).isEqualTo(Topics.FRAMES);
        assertThat(settings.key()).isEqualTo(KeyChoice.FRAME_ID);
        assertThat(settings.loop()).isFalse();
        assertThat(app.cifar10Dir()).isNotNull();
    }

    @Test
    void contradictoryOptionsAreRefusedWithExitCode2() {
        assertThat(run("--bootstrap-servers", "localhost:1", "--schema-registry-url", "mock://x", "--loop")).isEqualTo(2);
        assertThat(run("--bootstrap-servers", "localhost:1", "--schema-registry-url", "mock://x", "--burst", "4")).isEqualTo(2);
        assertThat(run("--source", "webcam:0")).isEqualTo(2);
        assertThat(run("--duration", "soon")).isEqualTo(2);
        assertThat(run("--bootstrap-servers", "localhost:1")).as("no registry").isEqualTo(2);
        assertThat(run("--key", "camera")).isEqualTo(2);
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        FrameProducerApp.DurationConverter converter = new FrameProducerApp.DurationConverter();
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(converter.convert("PT90S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> converter.convert("10 years")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void producerConfigGuaranteesDeliveryAndLetsTheFileTune() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                "acks=1", "enable.idempotence=false", "batch.size=65536", "compression.type=zstd", "security.protocol=SSL"));
        Map<String, Object> client = ClientConfig.load(file, "broker:9092", "http://registry:8081");

        Map<String, Object> fromFile = FrameProducerConfig.producerConfig(client, "cam", null, KeyChoice.FRAME_ID);
        assertThat(fromFile).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, "65536")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
                .containsEntry("security.protocol", "SSL")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "frame-producer-cam")
                .containsEntry("schema.registry.url", "http://registry:8081");

        Map<String, Object> fromCommandLine = FrameProducerConfig.producerConfig(client, "cam", "lz4", KeyChoice.PRODUCER_ID);
        assertThat(fromCommandLine).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .as("producer-id keys must be hashed to keep one producer in one partition")
                .doesNotContainKey(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG);
        assertThat(fromFile).containsEntry(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, true);

        Map<String, Object> defaults = FrameProducerConfig.producerConfig(
                ClientConfig.load(null, "broker:9092", "http://registry:8081"), "cam", null, KeyChoice.FRAME_ID);
        assertThat(defaults).containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, FrameProducerConfig.DEFAULT_BATCH_SIZE)
                .doesNotContainKey(ProducerConfig.COMPRESSION_TYPE_CONFIG);
    }

    @Test
    void runIdsDifferBetweenRuns() {
        assertThat(FrameProducerApp.newRunId()).hasSize(12).isNotEqualTo(FrameProducerApp.newRunId());
    }

    private static FrameProducerApp parse(String... args) {
        FrameProducerApp app = new FrameProducerApp();
        CommandLine commandLine = new CommandLine(app);
        commandLine.parseArgs(args);
        return app;
    }

    private static int run(String... args) {
        CommandLine commandLine = FrameProducerApp.commandLine();
        commandLine.setErr(new PrintWriter(new StringWriter()));
        return commandLine.execute(args);
    }
}
