package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what a device writes: each output serialized and checked against the limits first, and replaced by its
 * frame's dead letter (a truncated one when the dead letter cannot be written whole either) when it cannot be written.
 */
final class OutputSender {

    private static final Logger log = LoggerFactory.getLogger(OutputSender.class);

    private final String deviceId;
    private final Producer<String, byte[]> producer;
    private final OutputEncoder encoder;
    private final DeadLetters deadLetters;

    OutputSender(String deviceId, Producer<String, byte[]> producer, OutputEncoder encoder, DeadLetters deadLetters) {
        this.deviceId = deviceId;
        this.producer = producer;
        this.encoder = encoder;
        this.deadLetters = deadLetters;
    }

    /** Sends the output, or what replaces it; null when it was a heartbeat that cannot be written (the next follows). */
    Quarantine.Sent send(Output output) {
        OutputEncoder.Encoded encoded = encodeOrReplace(output);
        return encoded == null ? null : new Quarantine.Sent(encoded.output(), producer.send(encoded.record()));
    }

    /**
     * The output ready to send or, when it cannot be written, the dead letter of its frame (a truncated one when the
     * dead letter cannot be written whole either); null for a heartbeat that cannot be written.
     *
     * @throws KafkaException when not even a truncated dead letter can be written: the limits are absurd
     */
    OutputEncoder.Encoded encodeOrReplace(Output output) {
        try {
            return encoder.encode(output);
        } catch (UnwritableOutputException e) {
            if (output.frame() == null) {
                log.warn("device {}: heartbeat not written: {}", deviceId, e.getMessage());
                return null;
            }
            Output replacement = output.value() instanceof DeadLetter
                    ? deadLetters.truncated(output, e.getMessage())
                    : deadLetters.of(output.frame(), output.frameId(), FailureStage.PUBLISH, e);
            try {
                return encoder.encode(replacement);
            } catch (UnwritableOutputException again) {
                if (DeadLetters.isTruncated(replacement)) {
                    throw new KafkaException("device " + deviceId + " cannot write even a truncated dead letter of the frame at "
                            + DeadLetters.where(output.frame()) + ": " + again.getMessage(), again);
                }
                return encoder.encode(deadLetters.truncated(replacement, again.getMessage()));
            }
        }
    }
}
