package dev.edgeinfer.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.demo.sweep.LoadSweep;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the demo on the local stack with the committed models: every frame sent is predicted by every
 * device type, the report's numbers are the query API's, and the report files exist.
 */
class DemoIT {

    private static final int FRAMES = 300;

    @TempDir
    Path reportDir;

    @Test
    void shortRunReportsWhatTheApiSaysAndEveryFrameHasEveryPrediction() throws Exception {
        Path home = homeWithCifar10();
        DemoRun.Options options = new DemoRun.Options(home, home.resolve("models"), List.of("openvino", "onnxruntime", "litert"),
                List.of("FP32", "INT8"), List.of("adaptive"), 100, 100, "constant", FRAMES, null, null, null, null, reportDir, 0,
                Duration.ofSeconds(180));
        try (DemoRun run = DemoRun.start(options, System.out)) {
            DemoRun.Progress progress = run.stream();
            assertThat(progress.framesSent()).isEqualTo(FRAMES);
            assertThat(progress.complete()).as("every device type predicted every frame").isTrue();
            Path markdown = run.report(progress);

            for (String file : List.of("report.md", "report.json", "accuracy.png", "disagreement.png", "latency-inference.png",
                    "latency-end-to-end.png", "throughput.png", "dead-letters.png")) {
                Path path = reportDir.resolve(file);
                assertThat(path).as(file).exists();
                assertThat(Files.size(path)).as(file).isPositive();
            }
            assertThat(Files.readAllBytes(reportDir.resolve("accuracy.png"))).startsWith(0x89, 'P', 'N', 'G');
            assertReportEqualsApi(new ObjectMapper().readTree(reportDir.resolve("report.json").toFile()), run.figures());
            assertThat(Files.readString(markdown, StandardCharsets.UTF_8)).contains("(" + FRAMES + ")");

            assertEveryFramePredictedByEveryType(run);
        }
    }

    @Test
    void aLoadSweepReportsEveryDeviceTypeAtEveryLoadFromEveryFrame() throws Exception {
        Path home = homeWithCifar10();
        DemoRun.Options options = new DemoRun.Options(home, home.resolve("models"), List.of("openvino"), List.of("INT8"),
                List.of("adaptive", "fixed"), 100, 100, "poisson", FRAMES, null, null, null, null, reportDir, 0,
                Duration.ofSeconds(180));
        try (DemoRun run = DemoRun.start(options, System.out)) {
            DemoRun.Sweep sweep = run.sweep(LoadSweep.Load.parse(List.of("50", "max")), 150, 1, 100);
            Path markdown = run.report(sweep);

            List<String> types = List.of("openvino-cpu-int8", "openvino-cpu-int8-fixed");
            JsonNode json = new ObjectMapper().readTree(reportDir.resolve("latency-vs-load.json").toFile());
            assertThat(json.path("points")).hasSize(2);
            for (JsonNode point : json.path("points")) {
                long sent = point.path("sent").asLong();
                assertThat(sent).as("frames sent at load %s", point.path("load").asText()).isGreaterThanOrEqualTo(150);
                for (String type : types) {
                    JsonNode device = point.path("deviceTypes").path(type);
                    assertThat(device.path("frames").asLong()).as("%s at load %s", type, point.path("load").asText())
                            .isEqualTo(sent);
                    assertThat(device.path("endToEndP50").isNumber()).as("p50 of %s frames", sent).isTrue();
                    assertThat(device.path("endToEndP99").isNull()).as("p99 is not supported by %s frames", sent).isTrue();
                }
            }
            assertThat(json.path("knees").fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(types);
            assertThat(Files.readAllBytes(reportDir.resolve("latency-vs-load.png"))).startsWith(0x89, 'P', 'N', 'G');
            assertThat(Files.readString(markdown, StandardCharsets.UTF_8)).contains("## Latency against offered load")
                    .contains("![latency-vs-load](latency-vs-load.png)").contains("p99 <= 100 ms");
        }
    }

    private static void assertReportEqualsApi(JsonNode report, List<DeviceFigures> api) {
        assertThat(report.path("deviceTypes")).hasSize(api.size());
        for (int i = 0; i < api.size(); i++) {
            JsonNode row = report.path("deviceTypes").get(i);
            DeviceFigures figures = api.get(i);
            assertThat(row.path("deviceType").asText()).isEqualTo(figures.deviceType());
            assertThat(row.path("frames").asLong()).isEqualTo(figures.frames()).isEqualTo(FRAMES);
            assertThat(row.path("framesWithGroundTruth").asLong()).isEqualTo(figures.withTruth());
            assertThat(row.path("accuracy").asDouble()).isEqualTo(figures.accuracy());
            assertThat(row.path("deadLetters").asLong()).isEqualTo(figures.deadLetters());
            assertThat(row.path("comparedWithReference").asLong()).isEqualTo(figures.compared());
            assertThat(row.path("inferenceMicros").path("p50").asLong()).isEqualTo(figures.inference().p50());
            assertThat(row.path("inferenceMicros").path("max").asLong()).isEqualTo(figures.inference().max());
            assertThat(row.path("endToEndMicros").path("samples").asLong()).isEqualTo(figures.endToEnd().samples());
            assertThat(row.path("endToEndMicros").path("p50").asLong()).isEqualTo(figures.endToEnd().p50());
            if (figures.disagreement() != null) {
                assertThat(row.path("disagreement").asDouble()).isEqualTo(figures.disagreement());
            }
        }
    }

    private static void assertEveryFramePredictedByEveryType(DemoRun run) {
        Set<String> frames = new HashSet<>();
        Map<String, Set<String>> predicted = new HashMap<>();
        Map<String, Object> configs = run.clientProperties();
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-it-" + UUID.randomUUID());
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroDeserializer<Prediction> predictions = AvroDeserializer.forClass(Prediction.class);
        predictions.configure(run.clientProperties(), false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.FRAMES, Topics.PREDICTIONS));
            long quietUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < quietUntil) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.topic().equals(Topics.FRAMES)) {
                        frames.add(new String(record.key(), StandardCharsets.UTF_8));
                    } else {
                        Prediction prediction = predictions.deserialize(record);
                        predicted.computeIfAbsent(prediction.getDeviceType(), t -> new HashSet<>()).add(prediction.getFrameId());
                    }
                }
            }
        }
        assertThat(frames).hasSize(FRAMES);
        assertThat(predicted.keySet())
                .containsExactlyInAnyOrderElementsOf(run.devices().stream().map(DemoRun.DeviceSpec::deviceType).toList());
        predicted.forEach((type, ids) -> assertThat(ids).as("frames predicted by %s", type).isEqualTo(frames));
    }

    /** The repository root, once the test is known to have the CIFAR-10 batches it streams (skipped otherwise). */
    private static Path homeWithCifar10() {
        String cifar = System.getenv("CIFAR10_DIR");
        Assumptions.assumeTrue(cifar != null && Files.isRegularFile(Path.of(cifar, "test_batch.bin")),
                "CIFAR10_DIR does not name the CIFAR-10 binary batches; set it to run the demo test");
        return repositoryRoot();
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bin/demo"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root (with bin/demo) not found above " + Path.of("").toAbsolutePath());
    }
}
