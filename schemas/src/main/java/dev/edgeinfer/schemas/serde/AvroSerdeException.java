package dev.edgeinfer.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that could not be serialized or deserialized, with what went wrong and where: topic, partition and offset
 * when known (-1 otherwise). It extends Kafka's {@link SerializationException}, so a consumer's poll wraps it in a
 * {@code RecordDeserializationException} that lets the caller skip or dead-letter the record instead of crashing.
 */
public final class AvroSerdeException extends SerializationException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** Fewer bytes than the 5-byte header. */
        TOO_SHORT,
        /** The first byte is not the Confluent magic byte 0. */
        UNKNOWN_MAGIC_BYTE,
        /** The registry knows no schema with the id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The Avro body is truncated, has trailing bytes or does not match its writer schema. */
        MALFORMED_BODY,
        /** The writer schema cannot be read with the reader schema, or no specific class exists for it. */
        INCOMPATIBLE_SCHEMA,
        /** The schema to write is not registered and auto-registration is off, or registration was refused. */
        SCHEMA_NOT_REGISTERED,
        /** The value is not an Avro record. */
        UNSUPPORTED_TYPE,
        /** The registry could not be reached and the schema was not cached. Retrying may help. */
        REGISTRY_UNAVAILABLE
    }

    private final Kind kind;
    private final String topic;
    private final int partition;
    private final long offset;

    public AvroSerdeException(Kind kind, String topic, int partition, long offset, String detail, Throwable cause) {
        super(kind + " in " + where(topic, partition, offset) + ": " + detail, cause);
        this.kind = kind;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    private static String where(String topic, int partition, long offset) {
        StringBuilder text = new StringBuilder("topic ").append(topic);
        if (partition >= 0) {
            text.append(" partition ").append(partition);
        }
        if (offset >= 0) {
            text.append(" offset ").append(offset);
        }
        return text.toString();
    }

    public Kind kind() {
        return kind;
    }

    public String topic() {
        return topic;
    }

    /** Partition of the record, -1 when the caller did not know it. */
    public int partition() {
        return partition;
    }

    /** Offset of the record, -1 when the caller did not know it. */
    public long offset() {
        return offset;
    }

    /** Whether a later attempt may succeed (the registry was unreachable). */
    public boolean isRetriable() {
        return kind == Kind.REGISTRY_UNAVAILABLE;
    }
}
