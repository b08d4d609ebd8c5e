package dev.edgeinfer.edge.consumer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgeinfer.avro.Accelerator;
import dev.edgeinfer.avro.ClassScore;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceTimings;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.Precision;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.registry.InMemorySchemaRegistryClient;
import dev.edgeinfer.schemas.serde.AvroSerdeException;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeviceRecordSerializerTest {

    private static final String SCOPE = "device-record-serializer-test";
    private static final String TOPIC = "edge.predictions.v1";
    private static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "camión \u00fc\u4e2d");

    private final String deviceId = "pi-07";
    private final String deviceType = "rpi5-openvino-cpu-int8";
    private final String engine = "openvino";
    private final Accelerator accelerator = new Accelerator("CPU", "Intel(R) Xeon(R) Processor");
    private final ModelRef model = new ModelRef("cifar10-resnet9q", "1.0.0", "openvino-int8", Precision.INT8,
            "9f2c0b7e5d1a4c3b8e6f0a1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b");
    private final Random random = new Random(42);

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistryClient.dropScope(SCOPE);
    }

    @Test
    void predictionsAreByteForByteWhatAvrosSerializerWrites() {
        CountingSerializer wrapped = new CountingSerializer(avro());
        AvroSerializer<SpecificRecord> reference = avro();
        try (DeviceRecordSerializer serializer = new DeviceRecordSerializer(wrapped)) {
            for (int i = 0; i < 5_000; i++) {
                Prediction prediction = randomPrediction(accelerator, model);
                assertArrayEquals(reference.serialize(TOPIC, prediction), serializer.serialize(TOPIC, prediction),
                        "prediction " + i + ": " + prediction);
            }
            // Only the first prediction went through Avro's writer; the others took the fast path.
            assertEquals(1, wrapped.calls.get());
        }
    }

    @Test
    void predictionsOfOtherObjectsAndOtherRecordsGoThroughAvro() {
        CountingSerializer wrapped = new CountingSerializer(avro());
        AvroSerializer<SpecificRecord> reference = avro();
        try (DeviceRecordSerializer serializer = new DeviceRecordSerializer(wrapped)) {
            serializer.serialize(TOPIC, randomPrediction(accelerator, model));
            // Equal content in other objects: not known to be this device's, so encoded in full.
            Prediction other = randomPrediction(new Accelerator("GPU", "Intel(R) Arc(TM) Graphics"), model);
            assertArrayEquals(reference.serialize(TOPIC, other), serializer.serialize(TOPIC, other));
            Prediction sameOnAnotherTopic = randomPrediction(accelerator, model);
            assertArrayEquals(reference.serialize("other.predictions", sameOnAnotherTopic),
                    serializer.serialize("other.predictions", sameOnAnotherTopic));
            DeadLetter letter = DeadLetter.newBuilder().setOriginalTopic("edge.frames.v1").setOriginalPartition(3)
                    .setOriginalOffset(17).setStage(FailureStage.DECODE).setErrorClass("java.io.IOException")
                    .setReason("corrupt PNG").setTime(Instant.ofEpochMilli(1_700_000_000_000L)).build();
            assertArrayEquals(reference.serialize("edge.dead-letters.v1", letter), serializer.serialize("edge.dead-letters.v1", letter));
            assertEquals(4, wrapped.calls.get());
        }
    }

    @Test
    void aPredictionTheSchemaCannotHoldFailsAsWithAvrosSerializer() {
        try (DeviceRecordSerializer serializer = new DeviceRecordSerializer(avro())) {
            serializer.serialize(TOPIC, randomPrediction(accelerator, model));
            Prediction withoutId = randomPrediction(accelerator, model);
            withoutId.setFrameId(null);
            assertThatThrownBy(() -> serializer.serialize(TOPIC, withoutId)).isInstanceOf(AvroSerdeException.class)
                    .hasMessageContaining("frameId");
        }
    }

    @Test
    void keepsAvrosSerializerWhenItWritesOtherBytes() {
        // As when the subject's latest schema differs from the device's and the serializer converts to it.
        AvroSerializer<SpecificRecord> avro = avro();
        CountingSerializer converting = new CountingSerializer((topic, data) -> {
            byte[] bytes = avro.serialize(topic, data);
            return Arrays.copyOf(bytes, bytes.length + 1);
        });
        try (DeviceRecordSerializer serializer = new DeviceRecordSerializer(converting)) {
            for (int i = 0; i < 10; i++) {
                Prediction prediction = randomPrediction(accelerator, model);
                byte[] expected = avro.serialize(TOPIC, prediction);
                assertArrayEquals(Arrays.copyOf(expected, expected.length + 1), serializer.serialize(TOPIC, prediction));
            }
            assertEquals(10, converting.calls.get());
        }
    }

    private AvroSerializer<SpecificRecord> avro() {
        return new AvroSerializer<>(InMemorySchemaRegistryClient.forScope(SCOPE), Map.of(), false);
    }

    private Prediction randomPrediction(Accelerator accelerator, ModelRef model) {
        int k = random.nextInt(CLASSES.size() + 1);
        List<ClassScore> topK = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int index = random.nextInt(CLASSES.size());
            float score = switch (random.nextInt(20)) {
                case 0 -> Float.NaN;
                case 1 -> 0f;
                case 2 -> Float.MIN_VALUE;
                default -> random.nextFloat();
            };
            topK.add(new ClassScore(index, CLASSES.get(index), score));
        }
        int top = k == 0 ? random.nextInt(CLASSES.size()) : topK.get(0).getClassIndex();
        Integer groundTruth = random.nextBoolean() ? null : random.nextInt(3) == 0 ? -random.nextInt(1_000) : random.nextInt(10);
        String frameId = switch (random.nextInt(4)) {
            case 0 -> "cifar-10/test/" + random.nextInt(10_000);
            case 1 -> "caméra-\u00e9t\u00e9-" + random.nextLong();
            case 2 -> "x".repeat(random.nextInt(300));
            default -> "frame-\uD83D\uDCF7-" + random.nextInt();
        };
        return new Prediction(frameId, Instant.ofEpochMilli(randomMillis()), Instant.ofEpochMilli(randomMillis()), deviceId,
                deviceType, engine, accelerator, model, topK, top, CLASSES.get(top), groundTruth,
                new DeviceTimings(randomMicros(), randomMicros(), randomMicros(), randomMicros()), 1 + random.nextInt(256),
                Instant.ofEpochMilli(randomMillis()), Instant.ofEpochMilli(randomMillis()),
                random.nextInt(4) == 0 ? "imagenet-\u00e9t\u00e9-" + random.nextInt(100) : null,
                random.nextInt(3) == 0 ? null : "cam\u00e9ra-" + random.nextInt(1000));
    }

    private long randomMillis() {
        return switch (random.nextInt(4)) {
            case 0 -> -random.nextInt(1_000_000);
            case 1 -> Long.MAX_VALUE / 2_000_000;
            default -> 1_700_000_000_000L + random.nextInt(1_000_000_000);
        };
    }

    private long randomMicros() {
        return random.nextInt(5) == 0 ? Math.abs(random.nextLong()) : random.nextInt(100_000);
    }

    /** Counts the records the wrapped serializer wrote. */
    private static final class CountingSerializer implements Serializer<SpecificRecord> {
        private final Serializer<SpecificRecord> delegate;
        final AtomicInteger calls = new AtomicInteger();

        CountingSerializer(Serializer<SpecificRecord> delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] serialize(String topic, SpecificRecord data) {
            calls.incrementAndGet();
            return delegate.serialize(topic, data);
        }
    }
}
