package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.FailureStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once: the offsets are committed once the broker acknowledged every record written before them. A record the
 * broker refused for its own sake is replaced by its frame's dead letter, written and awaited in its place, so the
 * offsets still commit behind every frame.
 */
final class AcknowledgedCommitter implements Committer {

    private static final Logger log = LoggerFactory.getLogger(AcknowledgedCommitter.class);

    private final String deviceId;
    private final Producer<String, byte[]> producer;
    private final Consumer<?, ?> consumer;
    private final OutputEncoder encoder;
    private final OutputSender sender;
    private final DeadLetters deadLetters;

    AcknowledgedCommitter(String deviceId, Producer<String, byte[]> producer, Consumer<?, ?> consumer, OutputEncoder encoder,
                          OutputSender sender, DeadLetters deadLetters) {
        this.deviceId = deviceId;
        this.producer = producer;
        this.consumer = consumer;
        this.encoder = encoder;
        this.sender = sender;
        this.deadLetters = deadLetters;
    }

    @Override
    public void start() {
    }

    @Override
    public void begin() {
    }

    @Override
    public void commit(OffsetLedger written) {
        producer.flush();
        written.sent().replaceAll(this::acknowledged);
        if (!written.offsets().isEmpty()) {
            consumer.commitSync(written.offsets());
        }
    }

    @Override
    public void abort(String why) {
        // Nothing to take back: what was sent stays, and the frames are read again from the committed offsets.
    }

    /**
     * The send once the broker acknowledged it. A record the broker refused for its own sake is replaced by its frame's
     * dead letter (a truncated one if the dead letter was refused), written and awaited in its place.
     *
     * @return what was written in the end
     */
    private Quarantine.Sent acknowledged(Quarantine.Sent sent) {
        Quarantine.Sent current = sent;
        while (true) {
            awaitCompletion(current.ack());
            Quarantine.Refusal refusal = Quarantine.refusal(current);
            Output failed = current.output();
            if (refusal == null || failed.frame() == null || DeadLetters.isTruncated(failed)) {
                awaitAck(current.ack());
                return current;
            }
            if (refusal.tooLarge()) {
                encoder.refreshLimits();
                if (encoder.whyUnwritable(failed) == null && encoder.limits().containsKey(failed.topic())) {
                    // Within every limit known: refused with another batch that was not, so sent again as it is.
                    current = new Quarantine.Sent(failed, producer.send(encoder.encode(failed).record()));
                    producer.flush();
                    continue;
                }
            }
            log.warn("device {}: the broker refused the {} of the frame at {}: {}", deviceId,
                    failed.value().getSchema().getName(), DeadLetters.where(failed.frame()), refusal.reason());
            Output replacement = refusal.deadLetterRefused()
                    ? deadLetters.truncated(failed, refusal.reason())
                    : deadLetters.of(failed.frame(), failed.frameId(), FailureStage.PUBLISH,
                            new UnwritableOutputException(refusal.reason(), null));
            current = sender.send(replacement);
            producer.flush();
        }
    }

    private static void awaitCompletion(Future<RecordMetadata> ack) {
        try {
            ack.get();
        } catch (ExecutionException e) {
            // Looked at by the caller.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for acknowledgements", e);
        }
    }

    private static void awaitAck(Future<RecordMetadata> ack) {
        try {
            ack.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException kafka ? kafka : new KafkaException("send failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for acknowledgements", e);
        }
    }
}
