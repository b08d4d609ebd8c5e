package dev.edgeinfer.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.registry.InMemorySchemaRegistryClient;
import dev.edgeinfer.schemas.registry.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final String SCOPE = "avro-serde-test";
    private static final String TOPIC = "edge.frames.v1";
    private final Map<String, Object> configs = new HashMap<>(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE));

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistryClient.dropScope(SCOPE);
    }

    private <T> AvroSerializer<T> serializer() {
        AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(configs, false);
        return serializer;
    }

    private <T extends SpecificRecord> AvroDeserializer<T> deserializer(Class<T> type) {
        AvroDeserializer<T> deserializer = AvroDeserializer.forClass(type);
        deserializer.configure(configs, false);
        return deserializer;
    }

    @Test
    void everyContractRoundTripsAsSpecificRecord() {
        List<SpecificRecord> records = List.of(SampleRecords.frame("f-1"), SampleRecords.prediction("f-1"),
                SampleRecords.heartbeat(), SampleRecords.deadLetter());
        AvroSerializer<SpecificRecord> serializer = serializer();
        assertThat(deserializer(ImageFrame.class).deserialize("t1", serializer.serialize("t1", records.get(0)))).isEqualTo(records.get(0));
        assertThat(deserializer(Prediction.class).deserialize("t2", serializer.serialize("t2", records.get(1)))).isEqualTo(records.get(1));
        assertThat(deserializer(DeviceHeartbeat.class).deserialize("t3", serializer.serialize("t3", records.get(2))))
                .isEqualTo(records.get(2));
        assertThat(deserializer(DeadLetter.class).deserialize("t4", serializer.serialize("t4", records.get(3)))).isEqualTo(records.get(3));
    }

    @Test
    void writesConfluentHeaderWithRegisteredId() {
        byte[] bytes = this.<ImageFrame>serializer().serialize(TOPIC, SampleRecords.frame("f-1"));
        SchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(SCOPE);
        int id = registry.lookup(TOPIC + "-value", ImageFrame.getClassSchema()).id();
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(WireFormat.schemaId(bytes, TOPIC, 0, 0)).isEqualTo(id);
    }

    @Test
    void genericReaderSeesWriterFields() {
        byte[] bytes = this.<Prediction>serializer().serialize(TOPIC, SampleRecords.prediction("f-9"));
        AvroDeserializer<GenericRecord> generic = new AvroDeserializer<>();
        generic.configure(configs, false);
        GenericRecord record = generic.deserialize(TOPIC, bytes);
        assertThat(record.get("frameId").toString()).isEqualTo("f-9");
        assertThat(((GenericRecord) record.get("model")).get("precision").toString()).isEqualTo("INT8");
    }

    @Test
    void specificReaderFlagReadsIntoGeneratedClass() {
        configs.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, "true");
        byte[] bytes = this.<ImageFrame>serializer().serialize(TOPIC, SampleRecords.frame("f-2"));
        AvroDeserializer<Object> deserializer = new AvroDeserializer<>();
        deserializer.configure(configs, false);
        assertThat(deserializer.deserialize(TOPIC, bytes)).isInstanceOf(ImageFrame.class);
    }

    @Test
    void reformattedSchemaGetsTheSameId() {
        SchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(SCOPE);
        Schema compact = ImageFrame.getClassSchema();
        Schema pretty = new Schema.Parser().parse(compact.toString(true));
        assertThat(registry.register("s", compact)).isEqualTo(registry.register("s", pretty));
    }

    @Test
    void recordNameStrategyUsesFullName() {
        configs.put(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "io.confluent.kafka.serializers.subject.RecordNameStrategy");
        this.<Prediction>serializer().serialize(TOPIC, SampleRecords.prediction("f-1"));
        assertThat(InMemorySchemaRegistryClient.forScope(SCOPE).subjects()).containsExactly("dev.edgeinfer.avro.Prediction");
    }

    @Test
    void withoutAutoRegisterAnUnknownSchemaIsATypedError() {
        configs.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false");
        assertThatThrownBy(() -> this.<ImageFrame>serializer().serialize(TOPIC, SampleRecords.frame("f-1")))
                .isInstanceOfSatisfying(AvroSerdeException.class,
                        e -> assertThat(e.kind()).isEqualTo(AvroSerdeException.Kind.SCHEMA_NOT_REGISTERED))
                .hasMessageContaining(TOPIC + "-value");
    }

    @Test
    void useLatestVersionWritesWithTheRegisteredSchema() {
        Schema widened = EvolutionSchemas.imageFrameV2();
        int latestId = InMemorySchemaRegistryClient.forScope(SCOPE).register(TOPIC + "-value", ImageFrame.getClassSchema());
        latestId = InMemorySchemaRegistryClient.forScope(SCOPE).register(TOPIC + "-value", widened);
        configs.put(AvroSerdeConfig.USE_LATEST_VERSION, "true");
        configs.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false");
        byte[] bytes = this.<ImageFrame>serializer().serialize(TOPIC, SampleRecords.frame("f-3"));
        assertThat(WireFormat.schemaId(bytes, TOPIC, 0, 0)).isEqualTo(latestId);
        assertThat(deserializer(ImageFrame.class).deserialize(TOPIC, bytes)).isEqualTo(SampleRecords.frame("f-3"));
    }

    @Test
    void badBytesGiveTypedErrorsWithContext() {
        byte[] good = this.<ImageFrame>serializer().serialize(TOPIC, SampleRecords.frame("f-1"));
        AvroDeserializer<ImageFrame> deserializer = deserializer(ImageFrame.class);

        assertKind(() -> deserializer.deserialize(TOPIC, 4, 77, new byte[] {0, 0, 1}), AvroSerdeException.Kind.TOO_SHORT);
        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 1;
        assertKind(() -> deserializer.deserialize(TOPIC, 4, 77, wrongMagic), AvroSerdeException.Kind.UNKNOWN_MAGIC_BYTE);
        byte[] unknownId = good.clone();
        ByteBuffer.wrap(unknownId, 1, 4).putInt(9999);
        assertKind(() -> deserializer.deserialize(TOPIC, 4, 77, unknownId), AvroSerdeException.Kind.UNKNOWN_SCHEMA_ID);
        for (int cut : new int[] {6, 20, good.length / 2, good.length - 1}) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertKind(() -> deserializer.deserialize(TOPIC, 4, 77, truncated), AvroSerdeException.Kind.MALFORMED_BODY);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        assertKind(() -> deserializer.deserialize(TOPIC, 4, 77, trailing), AvroSerdeException.Kind.MALFORMED_BODY);
    }

    @Test
    void consumerRecordErrorsNamePartitionAndOffset() {
        AvroDeserializer<ImageFrame> deserializer = deserializer(ImageFrame.class);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, 2, 1234L, null, new byte[] {7, 7, 7, 7, 7, 7});
        assertThatThrownBy(() -> deserializer.deserialize(record))
                .isInstanceOfSatisfying(AvroSerdeException.class, e -> {
                    assertThat(e.partition()).isEqualTo(2);
                    assertThat(e.offset()).isEqualTo(1234L);
                })
                .hasMessageContaining("topic " + TOPIC + " partition 2 offset 1234");
    }

    @Test
    void readsAViewIntoALargerBufferInPlace() {
        ImageFrame frame = SampleRecords.frame("f-5");
        byte[] bytes = this.<ImageFrame>serializer().serialize(TOPIC, frame);
        // As Kafka hands out values: a slice of the fetched bytes, at an offset into the array, positioned past others.
        byte[] fetched = new byte[bytes.length + 40];
        Arrays.fill(fetched, (byte) 0x55);
        System.arraycopy(bytes, 0, fetched, 21, bytes.length);
        ByteBuffer view = ByteBuffer.wrap(fetched, 9, bytes.length + 30).slice();
        view.position(12).limit(12 + bytes.length);
        AvroDeserializer<ImageFrame> deserializer = deserializer(ImageFrame.class);
        assertThat(deserializer.deserialize(TOPIC, 3, 40, view)).isEqualTo(frame);
        assertThat(deserializer.deserialize(TOPIC, new RecordHeaders(), view)).isEqualTo(frame);
        assertThat(view.position()).isEqualTo(12);
        assertThat(deserializer.deserialize(TOPIC, 3, 40, ByteBuffer.allocateDirect(bytes.length).put(bytes).flip())).isEqualTo(frame);

        ByteBuffer truncated = view.duplicate().limit(12 + bytes.length - 1);
        assertKind(() -> deserializer.deserialize(TOPIC, 3, 40, truncated), AvroSerdeException.Kind.MALFORMED_BODY);
        ByteBuffer tooShort = view.duplicate().limit(15);
        assertKind(() -> deserializer.deserialize(TOPIC, 3, 40, tooShort), AvroSerdeException.Kind.TOO_SHORT);
        ByteBuffer shifted = view.duplicate().position(11);
        assertKind(() -> deserializer.deserialize(TOPIC, 3, 40, shifted), AvroSerdeException.Kind.UNKNOWN_MAGIC_BYTE);
    }

    @Test
    void decodesIntoARecordItIsGivenAndRefillsItsPixelBuffer() {
        AvroDeserializer<ImageFrame> deserializer = deserializer(ImageFrame.class);
        AvroSerializer<ImageFrame> serializer = serializer();
        ImageFrame first = SampleRecords.frame("f-6");
        ImageFrame second = SampleRecords.frame("f-7");
        second.setGroundTruth(null);
        second.getPixels().put(0, (byte) 1);
        ImageFrame reused = deserializer.deserialize(TOPIC, 0, 1, ByteBuffer.wrap(serializer.serialize(TOPIC, first)), null);
        ByteBuffer pixels = reused.getPixels();

        ImageFrame again = deserializer.deserialize(TOPIC, 0, 2, ByteBuffer.wrap(serializer.serialize(TOPIC, second)), reused);

        assertThat(again).isSameAs(reused).isEqualTo(second);
        assertThat(again.getPixels()).isSameAs(pixels);
        assertThat(again.getGroundTruth()).isNull();
    }

    @Test
    void hugeLengthPrefixDoesNotExhaustMemory() {
        // A body claiming a string of about 1 GiB in 6 bytes must fail as malformed, not allocate the gigabyte.
        byte[] good = this.<ImageFrame>serializer().serialize(TOPIC, SampleRecords.frame("f-1"));
        byte[] hostile = Arrays.copyOf(good, 11);
        byte[] varint = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        System.arraycopy(varint, 0, hostile, WireFormat.HEADER_SIZE, varint.length);
        assertKind(() -> deserializer(ImageFrame.class).deserialize(TOPIC, 0, 1, hostile), AvroSerdeException.Kind.MALFORMED_BODY);
    }

    @Test
    void nullValuesPassThrough() {
        assertThat(this.<ImageFrame>serializer().serialize(TOPIC, null)).isNull();
        assertThat(deserializer(ImageFrame.class).deserialize(TOPIC, null)).isNull();
    }

    @Test
    void nonRecordsAreRefused() {
        assertKind(() -> this.<String>serializer().serialize(TOPIC, "plain"), AvroSerdeException.Kind.UNSUPPORTED_TYPE);
    }

    private static void assertKind(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, AvroSerdeException.Kind kind) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(AvroSerdeException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContaining("topic " + TOPIC);
    }
}
