package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.schemas.serde.AvroSerdeException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializes what the device writes and refuses, before it is sent, what the producer or the topic would refuse: a
 * record that cannot be serialized, or one larger than the producer's {@code max.request.size} and
 * {@code buffer.memory} or the topic's {@code max.message.bytes}. Such a record is its frame's failure, not the
 * device's: under a transaction, one refused send would fail the whole transaction, and retrying would fail it again.
 *
 * <p>Sizes are checked uncompressed, as the producer checks them; with compression on, a record the broker would
 * take compressed may be refused here.
 */
final class OutputEncoder {

    private static final Logger log = LoggerFactory.getLogger(OutputEncoder.class);
    /**
     * What a record costs on top of its key and value, at most: a record batch's header (61 bytes), the record's own
     * fields (at most 21 bytes) and the lengths of its key and value (5 bytes each), rounded up.
     */
    static final int RECORD_OVERHEAD = 128;

    /** A record ready to send, and what it is. */
    record Encoded(Output output, ProducerRecord<String, byte[]> record) {
    }

    private final Serializer<SpecificRecord> values;
    private final int producerLimit;
    private final TopicLimits topicLimits;
    private final Collection<String> topics;
    private Map<String, Integer> limits;

    /**
     * @param values        the value serializer (Confluent wire format)
     * @param producerLimit the largest record the producer sends: its {@code max.request.size} or {@code buffer.memory}
     * @param topicLimits   where the topics' limits are read
     * @param topics        the topics written
     */
    OutputEncoder(Serializer<SpecificRecord> values, int producerLimit, TopicLimits topicLimits, Collection<String> topics) {
        this.values = values;
        this.producerLimit = producerLimit;
        this.topicLimits = topicLimits;
        this.topics = topics;
        this.limits = topicLimits.read(topics);
    }

    /**
     * The output as it will be sent.
     *
     * @throws UnwritableOutputException when it cannot be serialized or is larger than the producer or its topic takes
     * @throws RetryableFlushException when the schema registry could not be reached
     */
    Encoded encode(Output output) {
        byte[] value;
        try {
            value = values.serialize(output.topic(), output.value());
        } catch (AvroSerdeException e) {
            // The registry unreachable, or refusing or racing a registration (409 when devices register at once): the
            // device's trouble, not the record's, and a later attempt may not have it.
            if (e.isRetriable() || e.kind() == AvroSerdeException.Kind.SCHEMA_NOT_REGISTERED) {
                throw new RetryableFlushException("writing to " + output.topic() + " needs the registry: "
                        + e.getMessage(), e);
            }
            throw new UnwritableOutputException("cannot serialize the " + kind(output) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new UnwritableOutputException("cannot serialize the " + kind(output) + ": " + e, e);
        }
        long size = RECORD_OVERHEAD + (long) value.length
                + (output.key() == null ? 0 : output.key().getBytes(StandardCharsets.UTF_8).length);
        int limit = limit(output.topic());
        if (size > limit) {
            throw new UnwritableOutputException("the " + kind(output) + " of " + size + " bytes exceeds the limit of " + limit
                    + " bytes (" + (limit == producerLimit ? "the producer's max.request.size or buffer.memory"
                            : "max.message.bytes of topic " + output.topic())
                    + ")", null);
        }
        return new Encoded(output, new ProducerRecord<>(output.topic(), output.key(), value));
    }

    /** Why the output cannot be written under the limits now known, or null if it can. */
    String whyUnwritable(Output output) {
        try {
            encode(output);
            return null;
        } catch (UnwritableOutputException e) {
            return e.getMessage();
        }
    }

    /** The output topics' limits as last read; topics missing were not readable. */
    Map<String, Integer> limits() {
        return limits;
    }

    /** Reads the topics' limits again: the broker refused a record under the limit known, so it changed. */
    void refreshLimits() {
        Map<String, Integer> read = topicLimits.read(topics);
        if (!read.equals(limits)) {
            log.info("output topics' max.message.bytes now {} (was {})", read, limits);
        }
        limits = read;
    }

    /** Closes the value serializer. */
    void close() {
        values.close();
    }

    private int limit(String topic) {
        Integer topicLimit = limits.get(topic);
        return topicLimit == null ? producerLimit : Math.min(producerLimit, topicLimit);
    }

    private static String kind(Output output) {
        return output.value().getSchema().getName();
    }
}
