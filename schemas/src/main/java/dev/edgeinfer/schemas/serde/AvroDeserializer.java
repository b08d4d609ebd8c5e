package dev.edgeinfer.schemas.serde;

import dev.edgeinfer.schemas.registry.CachingSchemaRegistryClient;
import dev.edgeinfer.schemas.registry.SchemaRegistryClient;
import dev.edgeinfer.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format. The writer schema comes from the registry by the id in the header
 * (cached); the reader schema is the generated class's (with {@code specific.avro.reader=true} or a reader class given
 * to the constructor) or the writer schema itself (generic records).
 *
 * <p>Every failure is an {@link AvroSerdeException} of a {@link AvroSerdeException.Kind}; {@link #deserialize(ConsumerRecord)}
 * names topic, partition and offset in it. Thread-safe.
 *
 * @param <T> record type: a generated class, or {@link org.apache.avro.generic.GenericRecord}
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

    static {
        GeneratedClasses.trust();
    }

    private SchemaRegistryClient registry;
    private boolean specificReader;
    private final Class<? extends SpecificRecord> readerClass;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation; {@link #configure} must follow. */
    public AvroDeserializer() {
        this.readerClass = null;
    }

    /**
     * A deserializer over an existing registry client, already configured.
     *
     * @param readerClass generated class to read into; null to follow {@code specific.avro.reader}
     */
    public AvroDeserializer(SchemaRegistryClient registry, Map<String, ?> configs, Class<? extends SpecificRecord> readerClass) {
        this.registry = registry;
        this.readerClass = readerClass;
        this.specificReader = readerClass != null || AvroSerdeConfig.from(configs).specificAvroReader();
    }

    /** A deserializer configured by {@link #configure} that always reads into the given generated class. */
    public static <R extends SpecificRecord> AvroDeserializer<R> forClass(Class<R> readerClass) {
        return new AvroDeserializer<>(null, Map.of(), readerClass);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = CachingSchemaRegistryClient.create(configs);
        }
        specificReader = readerClass != null || AvroSerdeConfig.from(configs).specificAvroReader();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return deserialize(topic, -1, -1, data);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, -1, -1, data);
    }

    /** Decodes straight from the consumer's fetch buffer, without the copy into a byte array Kafka makes otherwise. */
    @Override
    public T deserialize(String topic, Headers headers, ByteBuffer data) {
        return deserialize(topic, -1, -1, data);
    }

    /** Decodes the value of a record read as bytes; errors name its topic, partition and offset. */
    public T deserialize(ConsumerRecord<?, byte[]> record) {
        return deserialize(record.topic(), record.partition(), record.offset(), record.value());
    }

    /**
     * Decodes one serialized record.
     *
     * @throws AvroSerdeException naming topic, partition and offset when the bytes cannot be decoded
     */
    public T deserialize(String topic, int partition, long offset, byte[] data) {
        return data == null ? null : decode(topic, partition, offset, data, 0, data.length, null);
    }

    /**
     * Decodes one serialized record from the buffer's remaining bytes, without copying them when the buffer has an
     * accessible array (as the values Kafka's {@code ByteBufferDeserializer} hands out do). The buffer's position is
     * not moved.
     *
     * @throws AvroSerdeException naming topic, partition and offset when the bytes cannot be decoded
     */
    public T deserialize(String topic, int partition, long offset, ByteBuffer data) {
        return deserialize(topic, partition, offset, data, null);
    }

    /**
     * Decodes one serialized record as {@link #deserialize(String, int, long, ByteBuffer)} does, into {@code reuse}
     * where it can: Avro overwrites the fields of a record of the reader's class and refills its byte buffers when they
     * are large enough, so a loop that has taken what it needs from one record before reading the next allocates
     * nothing per record for its largest fields. After a failure {@code reuse} may hold parts of the failed record.
     *
     * @param reuse a record to decode into, or null for a new one
     * @return {@code reuse} or, when the reader could not use it, a new record
     * @throws AvroSerdeException naming topic, partition and offset when the bytes cannot be decoded
     */
    public T deserialize(String topic, int partition, long offset, ByteBuffer data, T reuse) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()) {
            return decode(topic, partition, offset, data.array(), data.arrayOffset() + data.position(), data.remaining(),
                    reuse);
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return decode(topic, partition, offset, copy, 0, copy.length, reuse);
    }

    @SuppressWarnings("unchecked")
    private T decode(String topic, int partition, long offset, byte[] data, int start, int length, T reuse) {
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        int id = WireFormat.schemaId(data, start, length, topic, partition, offset);
        DatumReader<Object> reader = readerFor(id, topic, partition, offset);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, start + WireFormat.HEADER_SIZE,
                length - WireFormat.HEADER_SIZE, null);
        Object value;
        try {
            value = reader.read(reuse, decoder);
            if (!decoder.isEnd()) {
                throw new AvroSerdeException(AvroSerdeException.Kind.MALFORMED_BODY, topic, partition, offset,
                        "bytes left over after a complete record of schema id " + id, null);
            }
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                 | ClassCastException | IllegalArgumentException | UnsupportedOperationException e) {
            // A truncated or corrupt body surfaces as any of these from Avro's decoder.
            throw new AvroSerdeException(AvroSerdeException.Kind.MALFORMED_BODY, topic, partition, offset,
                    "Avro body (" + (length - WireFormat.HEADER_SIZE) + " bytes) does not decode with schema id " + id
                            + ": " + e,
                    e);
        }
        return (T) value;
    }

    private DatumReader<Object> readerFor(int id, String topic, int partition, long offset) {
        DatumReader<Object> cached = readers.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaRegistryException.SchemaNotFoundException e) {
            throw new AvroSerdeException(AvroSerdeException.Kind.UNKNOWN_SCHEMA_ID, topic, partition, offset,
                    "the registry has no schema with id " + id, e);
        } catch (SchemaRegistryException.RegistryUnavailableException e) {
            throw new AvroSerdeException(AvroSerdeException.Kind.REGISTRY_UNAVAILABLE, topic, partition, offset,
                    "schema id " + id + " is not cached and the registry is unreachable", e);
        } catch (SchemaRegistryException e) {
            throw new AvroSerdeException(AvroSerdeException.Kind.UNKNOWN_SCHEMA_ID, topic, partition, offset,
                    "cannot fetch schema id " + id + ": " + e.getMessage(), e);
        }
        DatumReader<Object> reader = specificReader ? specificReader(writer, id, topic, partition, offset)
                : new GenericDatumReader<>(writer, writer, GenericData.get());
        readers.put(id, reader);
        return reader;
    }

    private DatumReader<Object> specificReader(Schema writer, int id, String topic, int partition, long offset) {
        Schema readerSchema;
        if (readerClass != null) {
            readerSchema = SpecificData.get().getSchema(readerClass);
        } else {
            Class<?> generated = SpecificData.get().getClass(writer);
            if (generated == null) {
                throw new AvroSerdeException(AvroSerdeException.Kind.INCOMPATIBLE_SCHEMA, topic, partition, offset,
                        "specific.avro.reader is set but no generated class exists for " + writer.getFullName() + " (schema id " + id + ")",
                        null);
            }
            readerSchema = SpecificData.get().getSchema(generated);
        }
        try {
            return new SpecificDatumReader<>(writer, readerSchema);
        } catch (AvroTypeException e) {
            throw new AvroSerdeException(AvroSerdeException.Kind.INCOMPATIBLE_SCHEMA, topic, partition, offset,
                    "schema id " + id + " cannot be read as " + readerSchema.getFullName() + ": " + e.getMessage(), e);
        }
    }
}
