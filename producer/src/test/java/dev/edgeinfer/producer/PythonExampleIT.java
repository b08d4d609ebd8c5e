package dev.edgeinfer.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.producer.source.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Python example of docs/producing-frames.md ({@code docs/examples/publish_frame.py}) against the local
 * stack and reads its frames back with the project's deserializer, as the edge consumer does.
 *
 * <p>Python: {@code EDGEINFER_PYTHON} if set, else the project venv {@code .venv/bin/python}; the test is skipped
 * when that interpreter cannot import confluent_kafka (install {@code docs/examples/requirements.txt} into it).
 */
@ExtendWith(LocalStackExtension.class)
class PythonExampleIT {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Path EXAMPLE = REPO.resolve("docs/examples/publish_frame.py");

    @TempDir
    Path tmp;

    @Test
    void pythonExampleFramesReadBackWithTheProjectsDeserializer(LocalStack stack) throws Exception {
        String python = python();
        String topic = "frames.python." + UUID.randomUUID();
        Path png = TestImages.writeImage(tmp.resolve("ship.png"), "png", 32, 32);
        FrameProducerIT.createTopic(stack, topic);

        String rawId = runExample(python, stack, topic, "--producer-id", "py-cam", "--label", "cat");
        String pngId = runExample(python, stack, topic, "--producer-id", "py-cam", "--image", png.toString(), "--label", "ship");

        List<ConsumerRecord<String, ImageFrame>> records = FrameProducerIT.readAll(stack, topic, 2);
        assertThat(records).hasSize(2);
        ImageFrame raw = records.stream().filter(r -> r.key().equals(rawId)).findFirst().orElseThrow().value();
        assertThat(raw.getFrameId()).isEqualTo(rawId).startsWith("py-cam-");
        assertThat(raw.getProducerId()).isEqualTo("py-cam");
        assertThat(raw.getEncoding()).isEqualTo(PixelEncoding.RAW_RGB8_HWC);
        assertThat(List.of(raw.getWidth(), raw.getHeight(), raw.getChannels())).containsExactly(32, 32, 3);
        assertThat(raw.getPixels().remaining()).isEqualTo(32 * 32 * 3);
        assertThat(raw.getGroundTruth()).isEqualTo(3);
        assertThat(raw.getLabelSet()).isEqualTo("cifar-10");
        assertThat(raw.getCaptureTime()).isNotNull();
        // Pixel (x=1, y=2) of the example's test pattern is (8, 16, 64), interleaved.
        int offset = (2 * 32 + 1) * 3;
        assertThat(new byte[] {raw.getPixels().get(offset), raw.getPixels().get(offset + 1), raw.getPixels().get(offset + 2)})
                .containsExactly(8, 16, 64);

        ImageFrame file = records.stream().filter(r -> r.key().equals(pngId)).findFirst().orElseThrow().value();
        assertThat(file.getEncoding()).isEqualTo(PixelEncoding.PNG);
        assertThat(file.getSource().getFileName()).isEqualTo("ship.png");
        assertThat(file.getGroundTruth()).isEqualTo(8);
        byte[] pixels = new byte[file.getPixels().remaining()];
        file.getPixels().get(pixels);
        assertThat(pixels).isEqualTo(Files.readAllBytes(png));
    }

    private static String python() throws IOException, InterruptedException {
        String configured = System.getenv("EDGEINFER_PYTHON");
        String python = configured != null && !configured.isBlank() ? configured : REPO.resolve(".venv/bin/python").toString();
        assumeTrue(Files.isExecutable(Path.of(python)), python + " does not exist");
        Process check = new ProcessBuilder(python, "-c", "import confluent_kafka.schema_registry.avro")
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(check.waitFor() == 0, python + " cannot import confluent_kafka; install docs/examples/requirements.txt: " + output);
        return python;
    }

    private String runExample(String python, LocalStack stack, String topic, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(python, EXAMPLE.toString(),
                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl(),
                "--topic", topic));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "python", ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("example finished").isTrue();
        assertThat(process.exitValue()).as("exit code; stderr: %s", Files.readString(log)).isZero();
        return stdout;
    }
}
