package dev.edgeinfer.edge.consumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Exactly-once: the outputs and the offsets of their frames go in one Kafka transaction. */
final class TransactionalCommitter implements Committer {

    private static final Logger log = LoggerFactory.getLogger(TransactionalCommitter.class);

    private final String deviceId;
    private final Producer<String, byte[]> producer;
    private final Consumer<?, ?> consumer;
    private boolean open;

    TransactionalCommitter(String deviceId, Producer<String, byte[]> producer, Consumer<?, ?> consumer) {
        this.deviceId = deviceId;
        this.producer = producer;
        this.consumer = consumer;
    }

    @Override
    public void start() {
        producer.initTransactions();
    }

    @Override
    public void begin() {
        producer.beginTransaction();
        open = true;
    }

    @Override
    public void commit(OffsetLedger written) {
        // The producer sends no records while a transactional request is pending: flushed first, the predictions are
        // appended before the offsets' requests, not after two more round trips (and the linger).
        producer.flush();
        if (!written.offsets().isEmpty()) {
            producer.sendOffsetsToTransaction(written.offsets(), consumer.groupMetadata());
        }
        producer.commitTransaction();
        open = false;
    }

    @Override
    public void abort(String why) {
        if (!open) {
            return;
        }
        open = false;
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // The abort itself failed; the broker aborts the transaction when it times out, and the next
            // beginTransaction fails loudly if the producer is unusable.
            log.warn("device {}: aborting the transaction ({}) failed: {}", deviceId, why, e.toString());
        }
    }
}
