package dev.edgeinfer.reliability.badinput;

import static dev.edgeinfer.avro.FailureStage.DECODE;
import static dev.edgeinfer.avro.FailureStage.DESERIALIZE;
import static dev.edgeinfer.avro.FailureStage.VALIDATE;

import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.registry.CachingSchemaRegistryClient;
import dev.edgeinfer.schemas.registry.SchemaRegistryClient;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.serde.WireFormat;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Makes bad records for a frames topic, deterministically from a seed: the same seed gives the same bytes, so a
 * failure can be replayed. Every {@link BadFrameKind} comes in several variants, each with the stage and reason a
 * device's dead letter must name.
 *
 * <p>Records that need the registry are made through it: well-formed frames are serialized with the project's
 * {@link AvroSerializer} under the topic's subject, and the "missing fields" writer schemas are registered under that
 * same subject. The registry accepts them: the subject is BACKWARD compatible, and a schema that drops a field (or
 * makes it optional) still reads everything written before it.
 */
public final class BadFrameGenerator {

    /** Frames of {@link BadFrameKind#OVERSIZED} per batch, one per variant: each takes 10 or 20 MiB. */
    public static final int OVERSIZED_PER_BATCH = 3;

    private static final int SIDE = 32;
    private static final int RAW_BYTES = SIDE * SIDE * 3;
    private static final int TEN_MIB = 10 * 1024 * 1024;
    private static final List<BadFrameKind> SMALL_KINDS = Arrays.stream(BadFrameKind.values())
            .filter(kind -> kind != BadFrameKind.OVERSIZED).toList();

    private final Random random;
    private final String topic;
    private final AvroSerializer<ImageFrame> serializer;
    private final SchemaRegistryClient registry;
    private final Map<BadFrameKind, Integer> made = new EnumMap<>(BadFrameKind.class);
    private final byte[] pngTemplate;
    private int index;
    private Integer withoutPixelsSchemaId;
    private Integer optionalPixelsSchemaId;
    private Integer predictionSchemaId;

    /**
     * @param seed          seed of every random choice
     * @param topic         frames topic the records are for (its value subject receives the writer schemas)
     * @param serdeConfigs  the serde's configs: {@code schema.registry.url} and any registry credentials
     */
    public BadFrameGenerator(long seed, String topic, Map<String, ?> serdeConfigs) {
        this.random = new Random(seed);
        this.topic = topic;
        this.serializer = new AvroSerializer<>();
        serializer.configure(serdeConfigs, false);
        this.registry = CachingSchemaRegistryClient.create(serdeConfigs);
        this.pngTemplate = PngFiles.noise(SIDE, SIDE, random);
    }

    /**
     * {@code count} bad records in a seeded order: {@link #OVERSIZED_PER_BATCH} oversized ones (fewer when count is
     * smaller), the rest spread evenly over the other kinds and, within each kind, over its variants.
     */
    public List<BadFrame> generate(int count) {
        List<BadFrameKind> kinds = new ArrayList<>(count);
        for (int i = 0; i < Math.min(count, OVERSIZED_PER_BATCH); i++) {
            kinds.add(BadFrameKind.OVERSIZED);
        }
        for (int i = 0; kinds.size() < count; i++) {
            kinds.add(SMALL_KINDS.get(i % SMALL_KINDS.size()));
        }
        Collections.shuffle(kinds, random);
        List<BadFrame> frames = new ArrayList<>(count);
        for (BadFrameKind kind : kinds) {
            frames.add(next(kind));
        }
        return frames;
    }

    /** One more bad record of the kind, in its next variant. */
    public BadFrame next(BadFrameKind kind) {
        int n = made.merge(kind, 1, Integer::sum) - 1;
        String id = String.format(Locale.ROOT, "bad-%05d", index++);
        return switch (kind) {
            case RANDOM_BYTES -> randomBytes(id, n);
            case WRONG_MAGIC_BYTE -> wrongMagicByte(id, n);
            case UNKNOWN_SCHEMA_ID -> unknownSchemaId(id, n);
            case TRUNCATED_AVRO -> truncatedAvro(id, n);
            case WRONG_DIMENSIONS -> wrongDimensions(id, n);
            case CORRUPT_PNG -> corruptPng(id, n);
            case OVERSIZED -> oversized(id, n);
            case MISSING_FIELDS -> missingFields(id, n);
            case OVERLONG_FIELDS -> overlongFields(id, n);
        };
    }

    private BadFrame randomBytes(String id, int n) {
        return switch (n % 3) {
            case 0 -> {
                byte[] noise = bytes(WireFormat.HEADER_SIZE + random.nextInt(4096));
                String kind = noise[0] == WireFormat.MAGIC_BYTE ? "(UNKNOWN_SCHEMA_ID|MALFORMED_BODY)" : "UNKNOWN_MAGIC_BYTE";
                yield bad(id, BadFrameKind.RANDOM_BYTES, "noise", noise, DESERIALIZE, kind + " in ");
            }
            case 1 -> bad(id, BadFrameKind.RANDOM_BYTES, "shorter-than-header", bytes(1 + random.nextInt(WireFormat.HEADER_SIZE - 1)),
                    DESERIALIZE, "TOO_SHORT in .* shorter than the 5-byte Confluent header");
            default -> bad(id, BadFrameKind.RANDOM_BYTES, "empty", new byte[0], DESERIALIZE,
                    "TOO_SHORT in .* record of 0 bytes");
        };
    }

    private BadFrame wrongMagicByte(String id, int n) {
        return switch (n % 3) {
            case 0 -> {
                String json =
                        "{\"frameId\":\"" + id + "\",\"width\":32,\"height\":32,\"pixels\":\"" + "AAAA".repeat(random.nextInt(200)) + "\"}";
                yield bad(id, BadFrameKind.WRONG_MAGIC_BYTE, "json", json.getBytes(StandardCharsets.UTF_8), DESERIALIZE,
                        "UNKNOWN_MAGIC_BYTE in .* magic byte is 0x7b");
            }
            case 1 -> {
                byte[] value = wellFormed(id, n);
                value[0] = 1;
                yield bad(id, BadFrameKind.WRONG_MAGIC_BYTE, "magic-1", value, DESERIALIZE, "UNKNOWN_MAGIC_BYTE in .* magic byte is 0x01");
            }
            default -> {
                byte[] value = wellFormed(id, n);
                value[0] = (byte) (2 + random.nextInt(254));
                yield bad(id, BadFrameKind.WRONG_MAGIC_BYTE, "any-other-byte", value, DESERIALIZE,
                        String.format(Locale.ROOT, "UNKNOWN_MAGIC_BYTE in .* magic byte is 0x%02x", value[0] & 0xff));
            }
        };
    }

    private BadFrame unknownSchemaId(String id, int n) {
        byte[] value = wellFormed(id, n);
        String variant = switch (n % 3) {
            case 0 -> "never-issued";
            case 1 -> "negative";
            default -> "largest-int";
        };
        int schemaId = switch (n % 3) {
            case 0 -> 1_000_000_000 + random.nextInt(1_000_000_000);
            case 1 -> -1 - random.nextInt(1_000_000);
            default -> Integer.MAX_VALUE;
        };
        ByteBuffer.wrap(value).putInt(1, schemaId);
        return bad(id, BadFrameKind.UNKNOWN_SCHEMA_ID, variant, value, DESERIALIZE, "UNKNOWN_SCHEMA_ID in .*" + schemaId);
    }

    private BadFrame truncatedAvro(String id, int n) {
        byte[] value = wellFormed(id, n);
        return switch (n % 3) {
            case 0 -> bad(id, BadFrameKind.TRUNCATED_AVRO, "header-only", Arrays.copyOf(value, WireFormat.HEADER_SIZE), DESERIALIZE,
                    "MALFORMED_BODY in .*Avro body \\(0 bytes\\)");
            case 1 -> bad(id, BadFrameKind.TRUNCATED_AVRO, "one-byte-short", Arrays.copyOf(value, value.length - 1), DESERIALIZE,
                    "MALFORMED_BODY in .*does not decode");
            default -> bad(id, BadFrameKind.TRUNCATED_AVRO, "cut-in-body",
                    Arrays.copyOf(value, WireFormat.HEADER_SIZE + 1 + random.nextInt(value.length - WireFormat.HEADER_SIZE - 2)),
                    DESERIALIZE, "MALFORMED_BODY in .*does not decode");
        };
    }

    private BadFrame wrongDimensions(String id, int n) {
        return switch (n % 6) {
            case 0 -> {
                int length = 1 + random.nextInt(2 * RAW_BYTES);
                length = length == RAW_BYTES ? RAW_BYTES + 1 : length;
                yield frame(id, BadFrameKind.WRONG_DIMENSIONS, "pixel-count", raw(id, SIDE, SIDE, bytes(length)), VALIDATE,
                        "needs 3072 bytes, has " + length);
            }
            case 1 -> frame(id, BadFrameKind.WRONG_DIMENSIONS, "zero-width", raw(id, 0, SIDE, bytes(0)), VALIDATE,
                    "image size 0x32 is outside 1\\.\\.8192");
            case 2 -> frame(id, BadFrameKind.WRONG_DIMENSIONS, "negative-height", raw(id, SIDE, -SIDE, bytes(RAW_BYTES)), VALIDATE,
                    "image size 32x-32 is outside 1\\.\\.8192");
            case 3 -> frame(id, BadFrameKind.WRONG_DIMENSIONS, "side-over-limit", raw(id, 100_000, 1, bytes(300_000)), VALIDATE,
                    "image size 100000x1 is outside 1\\.\\.8192");
            case 4 -> {
                ImageFrame frame = raw(id, SIDE, SIDE, bytes(SIDE * SIDE * 4));
                frame.setChannels(4);
                yield frame(id, BadFrameKind.WRONG_DIMENSIONS, "four-channels", frame, VALIDATE,
                        "expected 3 colour channels \\(RGB\\), frame says 4");
            }
            default -> frame(id, BadFrameKind.WRONG_DIMENSIONS, "png-other-size",
                    png(id, SIDE, SIDE, PngFiles.noise(SIDE / 2, SIDE / 2, random)), VALIDATE, "frame says 32x32, the PNG image is 16x16");
        };
    }

    private BadFrame corruptPng(String id, int n) {
        return switch (n % 5) {
            case 0 -> {
                byte[] noise = bytes(64 + random.nextInt(2000));
                // No image format starts with 'X', so no reader claims the bytes.
                noise[0] = 'X';
                yield frame(id, BadFrameKind.CORRUPT_PNG, "no-signature", png(id, SIDE, SIDE, noise), DECODE,
                        "are not a readable PNG image");
            }
            case 1 ->
                frame(id, BadFrameKind.CORRUPT_PNG, "garbage-after-signature", png(id, SIDE, SIDE, PngFiles.garbageAfterSignature(random)),
                        DECODE, "cannot decode PNG image of \\d+ bytes");
            case 2 -> frame(id, BadFrameKind.CORRUPT_PNG, "broken-zlib-stream",
                    png(id, SIDE, SIDE, PngFiles.withBrokenImageData(pngTemplate, random)),
                    DECODE, "cannot decode PNG image of \\d+ bytes");
            case 3 -> frame(id, BadFrameKind.CORRUPT_PNG, "cut-in-image-data",
                    png(id, SIDE, SIDE, PngFiles.cutInsideImageData(pngTemplate, random)),
                    DECODE, "cannot decode PNG image of \\d+ bytes");
            default -> frame(id, BadFrameKind.CORRUPT_PNG, "header-claims-20000x20000",
                    png(id, SIDE, SIDE, PngFiles.withHeaderSize(pngTemplate, 20_000, 20_000)), VALIDATE,
                    "frame says 32x32, the PNG image is 20000x20000");
        };
    }

    private BadFrame oversized(String id, int n) {
        return switch (n % 3) {
            case 0 -> frame(id, BadFrameKind.OVERSIZED, "10mib-of-pixels", raw(id, SIDE, SIDE, bytes(TEN_MIB)), VALIDATE,
                    "needs 3072 bytes, has " + TEN_MIB);
            case 1 -> {
                byte[] noise = bytes(TEN_MIB);
                noise[0] = '{';
                yield bad(id, BadFrameKind.OVERSIZED, "10mib-not-avro", noise, DESERIALIZE, "UNKNOWN_MAGIC_BYTE in .* magic byte is 0x7b");
            }
            default -> {
                // Zeros: about 80 KB on the wire when compressed, 20 MiB once read: over the frames topic's limit, refused
                // before it is decoded, and over the dead-letter limit.
                ImageFrame frame = raw(id, SIDE, SIDE, new byte[2 * TEN_MIB]);
                yield new BadFrame(BadFrameKind.OVERSIZED, "20mib-compressible", key(id, BadFrameKind.OVERSIZED, "20mib-compressible"),
                        serializer.serialize(topic, frame), VALIDATE,
                        Pattern.compile("frame of \\d+ bytes exceeds the " + Topics.MAX_FRAME_BYTES + " bytes this device reads"
                                + ".*is not copied here.* limit of " + Topics.MAX_FRAME_BYTES + " bytes"),
                        false);
            }
        };
    }

    private BadFrame overlongFields(String id, int n) {
        ImageFrame frame = raw(id, SIDE, SIDE, bytes(RAW_BYTES));
        return switch (n % 4) {
            case 0 -> {
                frame.setFrameId(id + "-" + "x".repeat(100_000));
                yield frame(id, BadFrameKind.OVERLONG_FIELDS, "long-frame-id", frame, VALIDATE,
                        "frame id of 100010 characters exceeds the limit of 256");
            }
            case 1 -> {
                // Multi-byte characters: 60 KB of UTF-8 in the key and again in the value.
                frame.setFrameId(id + "-" + "€".repeat(20_000));
                yield frame(id, BadFrameKind.OVERLONG_FIELDS, "multi-byte-frame-id", frame, VALIDATE,
                        "frame id of 20010 characters exceeds the limit of 256");
            }
            case 2 -> {
                frame.setProducerId("p".repeat(10_000));
                yield frame(id, BadFrameKind.OVERLONG_FIELDS, "long-producer-id", frame, VALIDATE,
                        "producer id of 10000 characters exceeds the limit of 256");
            }
            default -> {
                frame.setSource(FrameSource.newBuilder().setFileName("f".repeat(5_000) + ".png").build());
                yield frame(id, BadFrameKind.OVERLONG_FIELDS, "long-file-name", frame, VALIDATE,
                        "source file name of 5004 characters exceeds the limit of 1024");
            }
        };
    }

    private BadFrame missingFields(String id, int n) {
        return switch (n % 7) {
            case 0 -> bad(id, BadFrameKind.MISSING_FIELDS, "writer-schema-without-pixels",
                    withSchema(withoutPixelsSchemaId(), withoutPixels(), raw(id, SIDE, SIDE, bytes(RAW_BYTES)), record -> record),
                    DESERIALIZE, "MALFORMED_BODY in .*missing required field pixels");
            case 1 -> bad(id, BadFrameKind.MISSING_FIELDS, "null-pixels",
                    withSchema(optionalPixelsSchemaId(), optionalPixels(), raw(id, SIDE, SIDE, bytes(0)), record -> {
                        record.put("pixels", null);
                        return record;
                    }), DESERIALIZE, "MALFORMED_BODY in .*AvroTypeException");
            case 2 -> bad(id, BadFrameKind.MISSING_FIELDS, "schema-of-another-record", otherRecordType(id), DESERIALIZE,
                    "MALFORMED_BODY in .*Prediction");
            case 3 -> frame(id, BadFrameKind.MISSING_FIELDS, "empty-pixels", raw(id, SIDE, SIDE, new byte[0]), VALIDATE,
                    "needs 3072 bytes, has 0");
            case 4 -> frame(id, BadFrameKind.MISSING_FIELDS, "empty-png", png(id, SIDE, SIDE, new byte[0]), DECODE,
                    "bytes \\(0\\) are not a readable PNG image");
            case 5 -> {
                ImageFrame frame = raw(id, SIDE, SIDE, bytes(RAW_BYTES));
                frame.setFrameId(" ");
                yield frame(id, BadFrameKind.MISSING_FIELDS, "blank-frame-id", frame, VALIDATE, "frame id is empty");
            }
            default -> bad(id, BadFrameKind.MISSING_FIELDS, "no-value", null, VALIDATE, "record has no value");
        };
    }

    /** A frame of the right shape, written by the serializer: RAW or PNG, alternately. */
    private byte[] wellFormed(String id, int n) {
        ImageFrame frame = n % 2 == 0 ? raw(id, SIDE, SIDE, bytes(RAW_BYTES)) : png(id, SIDE, SIDE, pngTemplate);
        return serializer.serialize(topic, frame);
    }

    private ImageFrame raw(String id, int width, int height, byte[] pixels) {
        return ImageFrame.newBuilder()
                .setFrameId(id).setProducerId("bad-frame-generator")
                .setSource(FrameSource.newBuilder().setDataset("generated").setIndex((long) index).build())
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L + index))
                .setWidth(width).setHeight(height).setChannels(3)
                .setEncoding(PixelEncoding.RAW_RGB8_HWC)
                .setPixels(ByteBuffer.wrap(pixels))
                .setGroundTruth(random.nextInt(10)).setLabelSet("cifar-10")
                .build();
    }

    private ImageFrame png(String id, int width, int height, byte[] file) {
        ImageFrame frame = raw(id, width, height, file);
        frame.setEncoding(PixelEncoding.PNG);
        return frame;
    }

    private BadFrame frame(String id, BadFrameKind kind, String variant, ImageFrame frame, FailureStage stage, String reason) {
        return bad(id, kind, variant, serializer.serialize(topic, frame), stage, reason);
    }

    private static BadFrame bad(String id, BadFrameKind kind, String variant, byte[] value, FailureStage stage, String reason) {
        return new BadFrame(kind, variant, key(id, kind, variant), value, stage, Pattern.compile(reason), true);
    }

    private static String key(String id, BadFrameKind kind, String variant) {
        return id + "-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + variant;
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    // --- Records written with other writer schemas, registered under the topic's subject ---

    private static Schema withoutPixels() {
        Schema full = ImageFrame.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : full.getFields()) {
            if (!field.name().equals("pixels")) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        return Schema.createRecord(full.getName(), "An ImageFrame as a broken producer writes it: without pixels.",
                full.getNamespace(), false, fields);
    }

    private static Schema optionalPixels() {
        Schema full = ImageFrame.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : full.getFields()) {
            if (field.name().equals("pixels")) {
                fields.add(new Schema.Field("pixels", Schema.createUnion(Schema.create(Schema.Type.NULL), field.schema()),
                        "Pixels made optional by a broken producer.", Schema.Field.NULL_DEFAULT_VALUE));
            } else {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        return Schema.createRecord(full.getName(), "An ImageFrame as a broken producer writes it: pixels optional.",
                full.getNamespace(), false, fields);
    }

    private int withoutPixelsSchemaId() {
        if (withoutPixelsSchemaId == null) {
            withoutPixelsSchemaId = registry.register(subject(), withoutPixels());
        }
        return withoutPixelsSchemaId;
    }

    private int optionalPixelsSchemaId() {
        if (optionalPixelsSchemaId == null) {
            // After the schema without pixels: optional pixels with a null default read its records too.
            withoutPixelsSchemaId();
            optionalPixelsSchemaId = registry.register(subject(), optionalPixels());
        }
        return optionalPixelsSchemaId;
    }

    /** A frame's body behind the id of the Prediction schema (registered where the devices write predictions). */
    private byte[] otherRecordType(String id) {
        if (predictionSchemaId == null) {
            predictionSchemaId = registry.register(Topics.PREDICTIONS + "-value", Prediction.getClassSchema());
        }
        byte[] value = wellFormed(id, 0);
        ByteBuffer.wrap(value).putInt(1, predictionSchemaId);
        return value;
    }

    private String subject() {
        return topic + "-value";
    }

    /** The frame's fields that the schema has, adjusted, written in the wire format with the schema id. */
    private static byte[] withSchema(int schemaId, Schema schema, ImageFrame frame,
                                     Function<GenericData.Record, GenericData.Record> adjust) {
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.name(), frame.get(field.name()));
        }
        SpecificData model = new SpecificData();
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(WireFormat.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<GenericData.Record>(schema, model).write(adjust.apply(record), encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a record in memory", e);
        }
        return out.toByteArray();
    }
}
