package dev.edgeinfer.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.registry.InMemorySchemaRegistryClient;
import dev.edgeinfer.schemas.registry.SchemaRegistryClient;
import dev.edgeinfer.schemas.registry.SchemaRegistryException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contracts evolve BACKWARD compatibly (a new reader reads old records); thanks to defaults on every optional
 * field and an UNKNOWN default symbol on every enum, old readers also read new records (forward), which is what lets a
 * fleet upgrade producers before devices.
 */
class SchemaEvolutionTest {

    private static final String SCOPE = "evolution-test";
    private static final String TOPIC = "edge.frames.v1";
    private final Map<String, Object> configs = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE);

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistryClient.dropScope(SCOPE);
    }

    @Test
    void newReaderReadsOldRecords() {
        byte[] old = serializer().serialize(TOPIC, SampleRecords.frame("f-old"));
        GenericRecord read = readAs(EvolutionSchemas.imageFrameV2(), old);
        assertThat(read.get("frameId").toString()).isEqualTo("f-old");
        assertThat(read.get("cameraId")).isNull();
    }

    @Test
    void oldReaderReadsNewRecords() {
        Schema v2 = EvolutionSchemas.imageFrameV2();
        GenericRecord newFrame = newFrame(v2, "WEBP");
        byte[] bytes = this.<GenericRecord>serializer().serialize(TOPIC, newFrame);

        AvroDeserializer<ImageFrame> oldReader = AvroDeserializer.forClass(ImageFrame.class);
        oldReader.configure(configs, false);
        ImageFrame read = oldReader.deserialize(TOPIC, bytes);
        assertThat(read.getFrameId()).isEqualTo("f-new");
        // A symbol the old reader does not know becomes its default, which consumers dead-letter.
        assertThat(read.getEncoding()).isEqualTo(PixelEncoding.UNKNOWN);
    }

    @Test
    void registryAcceptsTheCompatibleVersionAndRefusesTheBreakingOne() {
        SchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(SCOPE);
        String subject = TOPIC + "-value";
        int v1 = registry.register(subject, ImageFrame.getClassSchema());
        int v2 = registry.register(subject, EvolutionSchemas.imageFrameV2());
        assertThat(v2).isNotEqualTo(v1);
        assertThat(registry.isCompatible(subject, EvolutionSchemas.imageFrameBreaking())).isFalse();
        assertThatThrownBy(() -> registry.register(subject, EvolutionSchemas.imageFrameBreaking()))
                .isInstanceOf(SchemaRegistryException.IncompatibleSchemaException.class);
    }

    @Test
    void everyOptionalFieldHasADefaultAndEveryEnumADefaultSymbol() {
        for (Schema schema : List.of(ImageFrame.getClassSchema(), Prediction.getClassSchema(), DeviceHeartbeat.getClassSchema(),
                DeadLetter.getClassSchema())) {
            assertDefaults(schema);
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(schema, schema).getType())
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
    }

    private static void assertDefaults(Schema schema) {
        switch (schema.getType()) {
            case RECORD -> schema.getFields().forEach(field -> {
                assertThat(field.doc()).as("doc of %s.%s", schema.getFullName(), field.name()).isNotBlank();
                if (field.schema().isNullable()) {
                    assertThat(field.hasDefaultValue()).as("default of %s.%s", schema.getFullName(), field.name()).isTrue();
                }
                assertDefaults(field.schema());
            });
            case ENUM -> assertThat(schema.getEnumDefault()).as("default symbol of %s", schema.getFullName()).isEqualTo("UNKNOWN");
            case UNION -> schema.getTypes().forEach(SchemaEvolutionTest::assertDefaults);
            case ARRAY -> assertDefaults(schema.getElementType());
            default -> {
            }
        }
    }

    private <T> AvroSerializer<T> serializer() {
        AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(configs, false);
        return serializer;
    }

    private GenericRecord readAs(Schema readerSchema, byte[] bytes) {
        SchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(SCOPE);
        Schema writer = registry.schemaById(WireFormat.schemaId(bytes, TOPIC, 0, 0));
        try {
            var reader = new org.apache.avro.generic.GenericDatumReader<GenericRecord>(writer, readerSchema);
            return reader.read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static GenericRecord newFrame(Schema v2, String encoding) {
        ImageFrame current = SampleRecords.frame("f-new");
        GenericRecord record = new GenericData.Record(v2);
        for (Schema.Field field : ImageFrame.getClassSchema().getFields()) {
            Object value = current.get(field.name());
            if (field.name().equals("source")) {
                GenericRecord source = new GenericData.Record(v2.getField("source").schema());
                source.put("dataset", "cifar-10/test");
                source.put("index", 42L);
                value = source;
            } else if (field.name().equals("encoding")) {
                value = new GenericData.EnumSymbol(v2.getField("encoding").schema(), encoding);
            } else if (field.name().equals("captureTime")) {
                value = current.getCaptureTime().toEpochMilli();
            }
            record.put(field.name(), value);
        }
        record.put("cameraId", "left");
        return record;
    }
}
