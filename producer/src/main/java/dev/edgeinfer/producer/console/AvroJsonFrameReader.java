package dev.edgeinfer.producer.console;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.producer.KeyChoice;
import dev.edgeinfer.schemas.registry.CachingSchemaRegistryClient;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.tools.api.RecordReader;

/**
 * Lets Kafka's own {@code kafka-console-producer} publish frames: each input line is one {@code ImageFrame} in Avro's
 * JSON encoding (as Confluent's {@code kafka-avro-console-producer} takes it), written to the topic in the Confluent
 * wire format by the project's serializer. Reader properties: {@code schema.registry.url} and the other serde and
 * registry settings, and {@code key} ({@code frame-id}, the default, or {@code producer-id}).
 *
 * <pre>{@code
 * kafka-console-producer.sh --bootstrap-server localhost:9092 --topic edge.frames.v1 \
 *   --line-reader dev.edgeinfer.producer.console.AvroJsonFrameReader \
 *   --reader-property schema.registry.url=http://localhost:8081/apis/ccompat/v7 < frames.json
 * }</pre>
 *
 * A line that is not a valid frame stops the reader with an error naming the line; the lines before it are sent.
 */
public final class AvroJsonFrameReader implements RecordReader {

    /** Reader property: what records are keyed by. */
    public static final String KEY = "key";

    private AvroSerializer<ImageFrame> serializer;
    private String topic;
    private KeyChoice key = KeyChoice.FRAME_ID;

    @Override
    public void configure(Map<String, ?> configs) {
        Object configuredTopic = configs.get("topic");
        if (configuredTopic == null) {
            throw new ConfigException("AvroJsonFrameReader needs the topic (kafka-console-producer passes it)");
        }
        topic = configuredTopic.toString();
        if (configs.get(KEY) != null) {
            key = KeyChoice.parse(configs.get(KEY).toString());
        }
        serializer = new AvroSerializer<>(CachingSchemaRegistryClient.create(configs), configs, false);
    }

    @Override
    public Iterator<ProducerRecord<byte[], byte[]>> readRecords(InputStream input) {
        if (serializer == null) {
            throw new IllegalStateException("AvroJsonFrameReader used before configure()");
        }
        BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        SpecificDatumReader<ImageFrame> reader = new SpecificDatumReader<>(ImageFrame.class);
        return new Iterator<>() {
            private ProducerRecord<byte[], byte[]> next;
            private long lineNumber;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = readNext();
                }
                return next != null;
            }

            @Override
            public ProducerRecord<byte[], byte[]> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ProducerRecord<byte[], byte[]> record = next;
                next = null;
                return record;
            }

            private ProducerRecord<byte[], byte[]> readNext() {
                String line;
                try {
                    do {
                        line = lines.readLine();
                        lineNumber++;
                    } while (line != null && line.isBlank());
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read line " + lineNumber + " of the input", e);
                }
                if (line == null) {
                    return null;
                }
                ImageFrame frame;
                try {
                    frame = reader.read(null, DecoderFactory.get().jsonDecoder(ImageFrame.getClassSchema(), line));
                } catch (IOException | AvroRuntimeException e) {
                    throw new IllegalArgumentException("Line " + lineNumber + " is not an ImageFrame in Avro's JSON encoding: "
                            + e.getMessage(), e);
                }
                String recordKey = key == KeyChoice.FRAME_ID ? frame.getFrameId() : frame.getProducerId();
                return new ProducerRecord<>(topic, recordKey.getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, frame));
            }
        };
    }
}
