package dev.edgeinfer.producer.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The console producer's line reader, on the example line that docs/producing-frames.md uses. */
class AvroJsonFrameReaderTest {

    private static final Path EXAMPLE = Path.of("").toAbsolutePath().getParent().resolve("docs/examples/console-frame.json");
    private static final Map<String, Object> CONFIG = Map.of("topic", "frames", "schema.registry.url", "mock://console-reader-test");

    @Test
    void exampleLineBecomesAWireFormatFrameKeyedByItsId() throws Exception {
        String example = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
        AvroJsonFrameReader reader = new AvroJsonFrameReader();
        reader.configure(CONFIG);
        Iterator<ProducerRecord<byte[], byte[]>> records = reader.readRecords(input("\n" + example + "\n\n"));

        ProducerRecord<byte[], byte[]> record = records.next();
        assertThat(records.hasNext()).isFalse();
        assertThat(record.topic()).isEqualTo("frames");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("console-example-0001");
        assertThat(record.value()[0]).as("Confluent magic byte").isZero();

        AvroDeserializer<ImageFrame> deserializer = AvroDeserializer.forClass(ImageFrame.class);
        deserializer.configure(CONFIG, false);
        ImageFrame frame = deserializer.deserialize("frames", record.value());
        assertThat(frame.getProducerId()).isEqualTo("console");
        assertThat(frame.getEncoding()).isEqualTo(PixelEncoding.PNG);
        assertThat(frame.getCaptureTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(frame.getSource().getFileName()).isEqualTo("pattern.png");
        byte[] png = new byte[frame.getPixels().remaining()];
        frame.getPixels().get(png);
        assertThat(javax.imageio.ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(32);
    }

    @Test
    void producerIdKeyAndBadLinesNamedByNumber() throws Exception {
        String example = Files.readString(EXAMPLE, StandardCharsets.UTF_8).strip();
        AvroJsonFrameReader reader = new AvroJsonFrameReader();
        reader.configure(Map.of("topic", "frames", "schema.registry.url", "mock://console-reader-test", "key", "producer-id"));
        Iterator<ProducerRecord<byte[], byte[]>> records = reader.readRecords(input(example + "\n{\"frameId\": 42}\n"));

        assertThat(new String(records.next().key(), StandardCharsets.UTF_8)).isEqualTo("console");
        assertThatThrownBy(records::next).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Line 2 is not an ImageFrame");
    }

    @Test
    void needsTheTopic() {
        assertThatThrownBy(() -> new AvroJsonFrameReader().configure(Map.of("schema.registry.url", "mock://x")))
                .hasMessageContaining("topic");
    }

    private static ByteArrayInputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
