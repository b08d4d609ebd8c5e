package dev.edgeinfer.reliability.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.schemas.registry.InMemorySchemaRegistryClient;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.serde.AvroSerdeException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The generator on an in-memory registry: same seed, same bytes; every kind and variant made; and every record the
 * device must refuse while reading it is refused by the project's deserializer with the expected reason, while the
 * others read as frames (their fault lies deeper: size, pixels, PNG file).
 */
class BadFrameGeneratorTest {

    private static final String TOPIC = "frames-generator-test";
    private static final Map<String, String> SERDE = Map.of("schema.registry.url", "mock://bad-frame-generator-test");

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistryClient.dropScope("bad-frame-generator-test");
    }

    @Test
    void sameSeedGivesSameRecords() {
        List<BadFrame> first = new BadFrameGenerator(42, TOPIC, SERDE).generate(300);
        List<BadFrame> second = new BadFrameGenerator(42, TOPIC, SERDE).generate(300);
        assertThat(second).extracting(BadFrame::key).containsExactlyElementsOf(first.stream().map(BadFrame::key).toList());
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).value()).as(first.get(i).key()).isEqualTo(first.get(i).value());
        }
    }

    @Test
    void kindsAreSpreadEvenlyWithEveryVariant() {
        List<BadFrame> frames = new BadFrameGenerator(7, TOPIC, SERDE).generate(803);
        Map<BadFrameKind, Long> perKind = frames.stream().collect(Collectors.groupingBy(BadFrame::kind, Collectors.counting()));
        assertThat(perKind).containsOnlyKeys(BadFrameKind.values());
        assertThat(perKind.get(BadFrameKind.OVERSIZED)).isEqualTo(BadFrameGenerator.OVERSIZED_PER_BATCH);
        perKind.forEach((kind, count) -> {
            if (kind != BadFrameKind.OVERSIZED) {
                assertThat(count).as("%s", kind).isEqualTo(100);
            }
        });
        Map<String, Long> variants =
                frames.stream().collect(Collectors.groupingBy(f -> f.kind() + "/" + f.variant(), Collectors.counting()));
        assertThat(variants).hasSize(3 + 3 + 3 + 3 + 6 + 5 + 3 + 4 + 7);
        assertThat(frames).extracting(BadFrame::key).doesNotHaveDuplicates();
    }

    @Test
    void recordsRefusedWhileReadingAreRefusedWithTheExpectedReason() {
        List<BadFrame> frames = new BadFrameGenerator(11, TOPIC, SERDE).generate(400);
        AvroDeserializer<ImageFrame> deserializer = AvroDeserializer.forClass(ImageFrame.class);
        deserializer.configure(SERDE, false);
        for (BadFrame frame : frames) {
            if (frame.value() == null) {
                assertThat(frame.variant()).isEqualTo("no-value");
                continue;
            }
            if (frame.expectedStage() == FailureStage.DESERIALIZE) {
                AvroSerdeException refused = catchThrowableOfType(AvroSerdeException.class,
                        () -> deserializer.deserialize(TOPIC, 0, 0, frame.value()));
                assertThat(refused).as("%s", frame).isNotNull();
                assertThat(refused.getMessage()).as("%s", frame).containsPattern(frame.expectedReason());
            } else {
                ImageFrame read = deserializer.deserialize(TOPIC, 0, 0, frame.value());
                String expectedId = frame.variant().equals("blank-frame-id") ? " " : frame.key().substring(0, "bad-00000".length());
                if (frame.kind() == BadFrameKind.OVERLONG_FIELDS) {
                    assertThat(read.getFrameId()).as("%s", frame).startsWith(expectedId);
                } else {
                    assertThat(read.getFrameId()).as("%s", frame).isEqualTo(expectedId);
                }
            }
        }
    }
}
