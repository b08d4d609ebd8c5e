package dev.edgeinfer.schemas.serde;

import dev.edgeinfer.schemas.registry.CachingSchemaRegistryClient;
import dev.edgeinfer.schemas.registry.RegisteredSchema;
import dev.edgeinfer.schemas.registry.SchemaRegistryClient;
import dev.edgeinfer.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated classes or generic records) in the Confluent wire format, registering or looking up
 * their schema in the registry as {@link AvroSerdeConfig} says. Thread-safe, as Kafka producers require.
 *
 * @param <T> record type
 */
public final class AvroSerializer<T> implements Serializer<T> {

    static {
        GeneratedClasses.trust();
    }

    private SchemaRegistryClient registry;
    private AvroSerdeConfig config;
    private boolean isKey;
    private final Map<String, RegisteredSchema> latestBySubject = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation; {@link #configure} must follow. */
    public AvroSerializer() {
    }

    /** A serializer over an existing registry client, already configured. */
    public AvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        this.registry = registry;
        this.config = AvroSerdeConfig.from(configs);
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = CachingSchemaRegistryClient.create(configs);
        }
        this.config = AvroSerdeConfig.from(configs);
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        if (!(data instanceof GenericContainer container)) {
            throw new AvroSerdeException(AvroSerdeException.Kind.UNSUPPORTED_TYPE, topic, -1, -1,
                    "cannot write " + data.getClass().getName() + ": only Avro records are supported", null);
        }
        Schema schema = container.getSchema();
        String subject = config.strategy(isKey).subject(topic, isKey, schema);
        Object value = data;
        int id;
        try {
            if (config.useLatestVersion()) {
                RegisteredSchema latest = latestBySubject.computeIfAbsent(subject, registry::latest);
                id = latest.id();
                if (!latest.schema().equals(schema)) {
                    value = convert(container, latest.schema(), topic);
                    schema = latest.schema();
                }
            } else if (config.autoRegisterSchemas()) {
                id = registry.register(subject, schema);
            } else {
                id = registry.lookup(subject, schema).id();
            }
        } catch (SchemaRegistryException.RegistryUnavailableException e) {
            throw new AvroSerdeException(AvroSerdeException.Kind.REGISTRY_UNAVAILABLE, topic, -1, -1,
                    "schema of " + schema.getFullName() + " for subject " + subject + " is not cached and the registry is unreachable", e);
        } catch (SchemaRegistryException e) {
            throw new AvroSerdeException(AvroSerdeException.Kind.SCHEMA_NOT_REGISTERED, topic, -1, -1,
                    "schema of " + schema.getFullName() + " for subject " + subject + ": " + e.getMessage(), e);
        }
        return encode(id, schema, value, topic);
    }

    private byte[] encode(int id, Schema schema, Object value, String topic) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(new byte[WireFormat.HEADER_SIZE], 0, WireFormat.HEADER_SIZE);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writers.computeIfAbsent(schema, s -> writerFor(s, value)).write(value, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new AvroSerdeException(AvroSerdeException.Kind.MALFORMED_BODY, topic, -1, -1,
                    "cannot encode a " + schema.getFullName() + " record: " + e.getMessage(), e);
        }
        byte[] bytes = out.toByteArray();
        WireFormat.writeHeader(bytes, id);
        return bytes;
    }

    private static DatumWriter<Object> writerFor(Schema schema, Object sample) {
        return sample instanceof SpecificRecord ? new SpecificDatumWriter<>(schema) : new GenericDatumWriter<>(schema, GenericData.get());
    }

    /** Re-expresses the record in the subject's latest schema, resolving fields by name as Avro schema resolution does. */
    private static GenericRecord convert(GenericContainer record, Schema target, String topic) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writerFor(record.getSchema(), record).write(record, encoder);
            encoder.flush();
            GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(record.getSchema(), target);
            return reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException | RuntimeException e) {
            throw new AvroSerdeException(AvroSerdeException.Kind.INCOMPATIBLE_SCHEMA, topic, -1, -1,
                    "a " + record.getSchema().getFullName() + " record cannot be written with the latest registered schema: "
                            + e.getMessage(),
                    e);
        }
    }
}
