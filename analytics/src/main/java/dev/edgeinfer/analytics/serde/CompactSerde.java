package dev.edgeinfer.analytics.serde;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde for the analytics' own state and repartition values: a format version byte, then fields written with
 * {@link DataOutputStream}. Small and schema-free; these bytes never leave the application's internal topics.
 *
 * @param <T> value type
 */
public final class CompactSerde<T> implements Serde<T> {

    /** Writes the fields of a value. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(T value, DataOutputStream out) throws IOException;
    }

    /** Reads the fields written by the matching {@link Writer}. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private final String typeName;
    private final byte version;
    private final Writer<T> writer;
    private final Reader<T> reader;

    public CompactSerde(String typeName, byte version, Writer<T> writer, Reader<T> reader) {
        this.typeName = typeName;
        this.version = version;
        this.writer = writer;
        this.reader = reader;
    }

    /** The value as bytes; null stays null (a tombstone). */
    public byte[] toBytes(T value) {
        if (value == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(version);
            writer.write(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + typeName, e);
        }
        return bytes.toByteArray();
    }

    /**
     * The value read from bytes; null stays null.
     *
     * @throws SerializationException if the bytes are of another format version or truncated
     */
    public T fromBytes(byte[] data) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte found = in.readByte();
            if (found != version) {
                throw new SerializationException("Cannot read " + typeName + " of format version " + found + "; expected " + version);
            }
            return reader.read(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("Cannot read " + typeName + " from " + data.length + " bytes", e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> toBytes(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> fromBytes(data);
    }
}
