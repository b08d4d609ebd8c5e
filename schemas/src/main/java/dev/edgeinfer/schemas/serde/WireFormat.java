package dev.edgeinfer.schemas.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro binary body.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Writes the header for the schema id into the first five bytes of the buffer. */
    static void writeHeader(byte[] target, int schemaId) {
        ByteBuffer.wrap(target, 0, HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId);
    }

    /**
     * The schema id in the header of a serialized record.
     *
     * @throws AvroSerdeException of kind TOO_SHORT or UNKNOWN_MAGIC_BYTE
     */
    public static int schemaId(byte[] data, String topic, int partition, long offset) {
        return schemaId(data, 0, data.length, topic, partition, offset);
    }

    /**
     * The schema id in the header of a serialized record held in {@code data[start, start + length)}.
     *
     * @throws AvroSerdeException of kind TOO_SHORT or UNKNOWN_MAGIC_BYTE
     */
    public static int schemaId(byte[] data, int start, int length, String topic, int partition, long offset) {
        if (length < HEADER_SIZE) {
            throw new AvroSerdeException(AvroSerdeException.Kind.TOO_SHORT, topic, partition, offset,
                    "record of " + length + " bytes is shorter than the " + HEADER_SIZE + "-byte Confluent header", null);
        }
        if (data[start] != MAGIC_BYTE) {
            throw new AvroSerdeException(AvroSerdeException.Kind.UNKNOWN_MAGIC_BYTE, topic, partition, offset,
                    String.format("magic byte is 0x%02x, expected 0x00 (not Confluent wire format)", data[start] & 0xff), null);
        }
        return ByteBuffer.wrap(data, start + 1, 4).getInt();
    }
}
