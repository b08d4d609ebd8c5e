package dev.edgeinfer.schemas.serde;

import dev.edgeinfer.schemas.registry.CachingSchemaRegistryClient;
import dev.edgeinfer.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializer and deserializer together, for Kafka Streams and for apps that configure both from one map.
 *
 * @param <T> record type
 */
public final class AvroSerde<T> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    private AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    /** A serde for a generated class, configured from client configs ({@code schema.registry.url}, ...). */
    public static <R extends SpecificRecord> AvroSerde<R> specific(Class<R> type, Map<String, ?> configs, boolean isKey) {
        SchemaRegistryClient registry = CachingSchemaRegistryClient.create(configs);
        AvroSerde<R> serde =
                new AvroSerde<>(new AvroSerializer<>(registry, configs, isKey), new AvroDeserializer<>(registry, configs, type));
        return serde;
    }

    /** A serde for generic records, configured from client configs. */
    public static AvroSerde<GenericRecord> generic(Map<String, ?> configs, boolean isKey) {
        SchemaRegistryClient registry = CachingSchemaRegistryClient.create(configs);
        return new AvroSerde<>(new AvroSerializer<>(registry, configs, isKey), new AvroDeserializer<>(registry, configs, null));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Both halves were configured at construction; Kafka Streams calls this again with the same configs.
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
