package dev.edgeinfer.reliability.badinput;

/** The kinds of bad input a frames topic meets in the field, each made in several variants by {@link BadFrameGenerator}. */
public enum BadFrameKind {
    /** Bytes that are no frame at all: any length, including empty and shorter than the wire-format header. */
    RANDOM_BYTES,
    /** A well-formed frame whose first byte is not the Confluent magic byte 0 (JSON, another serde). */
    WRONG_MAGIC_BYTE,
    /** A well-formed frame whose header names a schema id the registry never issued. */
    UNKNOWN_SCHEMA_ID,
    /** A well-formed frame cut short: header only, a few bytes short, cut inside the pixels. */
    TRUNCATED_AVRO,
    /** A decodable frame whose size fields contradict its pixels or the model: byte count, zero or huge sides, channels. */
    WRONG_DIMENSIONS,
    /** A decodable frame whose PNG file is damaged: no signature, garbage after it, a broken zlib stream, cut off, a lying header. */
    CORRUPT_PNG,
    /** A frame of 10 MiB or more: far over Kafka's 1 MiB default, within the frames topic's 16 MiB, or beyond it compressed. */
    OVERSIZED,
    /**
     * A frame whose id or names are absurdly long (the id is the key and a field of every prediction, so its prediction
     * could be larger than the predictions topic takes): refused at validation, with the limit.
     */
    OVERLONG_FIELDS,
    /** A frame lacking what the contract requires: written with a schema without pixels, null or empty pixels, no value at all. */
    MISSING_FIELDS
}
