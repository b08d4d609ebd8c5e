package dev.edgeinfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.local.LocalStackExtension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The producing examples of docs/producing-frames.md, in Python and JavaScript, against the local stack: a folder of
 * images and a camera-like loop, the schema read from the registry; every frame read back by the project's
 * deserializer, the one the edge consumer uses.
 */
class ProducingExamplesIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final int TIMEOUT_SECONDS = 120;

    /** An example in one language. */
    enum Language {
        PYTHON {
            List<String> command() {
                return ExampleRun.python("produce_frames.py");
            }
        },
        JAVASCRIPT {
            List<String> command() {
                return ExampleRun.node("produce-frames.js");
            }
        };

        abstract List<String> command();
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Language.class)
    void aFolderOfImagesBecomesLabelledFrames(Language language) throws Exception {
        String topic = topic();
        Path cat = writeImage(dir.resolve("photos/cat/a.png"), "png", 32, 32);
        Path ship = writeImage(dir.resolve("photos/ship/b.jpg"), "jpg", 40, 24);
        Path unlabelled = writeImage(dir.resolve("photos/c.jpeg"), "jpg", 8, 8);
        Files.writeString(dir.resolve("photos/cat/broken.png"), "not an image");

        List<String> ids = run(language, topic, "--images", dir.resolve("photos").toString(), "--producer-id", "folder-cam");

        List<ConsumerRecord<String, ImageFrame>> records = FrameTopics.read(LOCAL.stack(), topic, 3);
        // Printed as acknowledged: frames on different partitions may be acknowledged in another order.
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(ids);
        // Name order of the paths: photos/c.jpeg, photos/cat/a.png, photos/ship/b.jpg.
        assertFrame(records.get(0).value(), unlabelled, PixelEncoding.JPEG, 8, 8, null);
        assertFrame(records.get(1).value(), cat, PixelEncoding.PNG, 32, 32, 3);
        assertFrame(records.get(2).value(), ship, PixelEncoding.JPEG, 40, 24, 8);
        assertThat(records.get(0).value().getProducerId()).isEqualTo("folder-cam");
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void aCameraLoopSendsMovingRawFrames(Language language) throws Exception {
        String topic = topic();
        List<String> ids = run(language, topic, "--camera", "--count", "5", "--fps", "50", "--label", "dog");

        List<ConsumerRecord<String, ImageFrame>> records = FrameTopics.read(LOCAL.stack(), topic, 5);
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
        for (int n = 0; n < 5; n++) {
            ImageFrame frame = records.get(n).value();
            assertThat(frame.getEncoding()).isEqualTo(PixelEncoding.RAW_RGB8_HWC);
            assertThat(List.of(frame.getWidth(), frame.getHeight(), frame.getChannels())).containsExactly(32, 32, 3);
            assertThat(frame.getPixels().remaining()).isEqualTo(32 * 32 * 3);
            assertThat(frame.getGroundTruth()).isEqualTo(5);
            assertThat(frame.getLabelSet()).isEqualTo("cifar-10");
            // Pixel (x=1, y=2) of frame n is ((1 + n) * 8, 16, 64): the pattern moves one pixel a frame.
            int offset = (2 * 32 + 1) * 3;
            ByteBuffer pixels = frame.getPixels();
            assertThat(List.of(pixels.get(offset) & 0xFF, pixels.get(offset + 1) & 0xFF, pixels.get(offset + 2) & 0xFF))
                    .containsExactly((1 + n) * 8, 16, 64);
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void aTopicWithoutASchemaInTheRegistryIsRefusedWithTheSubject(Language language) throws Exception {
        String topic = "frames.unregistered." + UUID.randomUUID();
        FrameTopics.create(LOCAL.stack(), topic);
        List<String> command = language.command();
        command.addAll(List.of("--bootstrap-servers", LOCAL.stack().bootstrapServers(),
                "--schema-registry-url", LOCAL.stack().schemaRegistryUrl(), "--topic", topic, "--camera", "--count", "1"));
        ExampleRun.Result result = ExampleRun.execute(command, dir, TIMEOUT_SECONDS);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("no frame schema under subject " + topic + "-value");
        assertThat(result.stdout()).isEmpty();
    }

    private static String topic() throws InterruptedException {
        String topic = "frames.examples." + UUID.randomUUID();
        FrameTopics.create(LOCAL.stack(), topic);
        FrameTopics.registerSchema(LOCAL.stack(), topic);
        return topic;
    }

    private List<String> run(Language language, String topic, String... args) throws Exception {
        List<String> command = language.command();
        command.addAll(List.of("--bootstrap-servers", LOCAL.stack().bootstrapServers(),
                "--schema-registry-url", LOCAL.stack().schemaRegistryUrl(), "--topic", topic));
        command.addAll(List.of(args));
        return ExampleRun.run(command, dir, TIMEOUT_SECONDS);
    }

    private static void assertFrame(ImageFrame frame, Path file, PixelEncoding encoding, int width, int height, Integer label)
            throws IOException {
        assertThat(frame.getEncoding()).isEqualTo(encoding);
        assertThat(List.of(frame.getWidth(), frame.getHeight(), frame.getChannels())).containsExactly(width, height, 3);
        assertThat(frame.getSource().getFileName()).isEqualTo(file.getFileName().toString());
        assertThat(frame.getGroundTruth()).isEqualTo(label);
        assertThat(frame.getLabelSet()).isEqualTo(label == null ? null : "cifar-10");
        byte[] pixels = new byte[frame.getPixels().remaining()];
        frame.getPixels().duplicate().get(pixels);
        assertThat(pixels).isEqualTo(Files.readAllBytes(file));
    }

    static Path writeImage(Path file, String format, int width, int height) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 7) << 16 | (y * 5) << 8 | 99);
            }
        }
        assertThat(ImageIO.write(image, format, file.toFile())).as("an ImageIO writer for %s", format).isTrue();
        return file;
    }
}
