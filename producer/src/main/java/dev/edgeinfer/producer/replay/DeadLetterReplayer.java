package dev.edgeinfer.producer.replay;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-sends chosen dead letters' frames, each frame once, however often it runs and wherever it stops.
 *
 * <p>"Once" rests on one transaction per batch that writes both the frames and, to a compacted ledger topic, one
 * record per frame keyed by the frame's coordinates ({@code topic-partition@offset} where the frame was read). A run
 * first reads the ledger ({@code read_committed}) and skips every frame in it. A run that stops mid-batch leaves an
 * open transaction, which the next run's {@code initTransactions} (same {@code transactional.id}) aborts: neither
 * those frames nor their ledger records were ever visible to {@code read_committed} readers, the edge consumers
 * included, so the next run sends them again, once. Keying by the frame, not by the dead letter, sends a frame that
 * several devices failed (one dead letter each) once. Dead letters are only read, never removed: nothing is lost.
 *
 * <p>The producer must be transactional with {@code initTransactions} done, so that an earlier run is fenced before
 * the ledger is read; the consumer must read {@code read_committed} byte arrays and have no group.
 */
public final class DeadLetterReplayer {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayer.class);

    /** The default ledger of replayed frames (compacted; key: the frame's coordinates). */
    public static final String LEDGER_TOPIC = "edge.dead-letters.replayed.v1";
    /** Header of every replayed frame: the coordinates of the dead letter it came from. */
    public static final String REPLAYED_FROM_HEADER = "edgeinfer.replayed-from";

    private static final Duration POLL = Duration.ofMillis(500);

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final AvroDeserializer<DeadLetter> deserializer;
    private final ReplaySettings settings;
    private final Clock clock;
    private final Runnable beforeCommit;
    private final List<ProducerRecord<byte[], byte[]>> pending = new ArrayList<>();
    private final List<ReplayReport.Entry> pendingEntries = new ArrayList<>();

    /**
     * @param producer transactional, initialized; null for a dry run
     */
    public DeadLetterReplayer(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                              AvroDeserializer<DeadLetter> deserializer, ReplaySettings settings, Clock clock) {
        this(consumer, producer, deserializer, settings, clock, () -> {});
    }

    /** With a step run before each commit, where tests stop a run as a crash would. */
    DeadLetterReplayer(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                       AvroDeserializer<DeadLetter> deserializer, ReplaySettings settings, Clock clock, Runnable beforeCommit) {
        if (producer == null && !settings.dryRun()) {
            throw new IllegalArgumentException("only a dry run goes without a producer");
        }
        this.consumer = consumer;
        this.producer = producer;
        this.deserializer = deserializer;
        this.settings = settings;
        this.clock = clock;
        this.beforeCommit = beforeCommit;
    }

    /**
     * Reads the ledger, then every dead letter committed when the run started, and sends the chosen ones' frames.
     *
     * @throws ReplayException when a batch cannot be committed; the batches before it are sent, it and the rest are not
     */
    public ReplayReport run() {
        ReplayReport report = new ReplayReport(settings.selection().describe(), settings.dryRun());
        Set<String> replayed = new HashSet<>();
        // A dry run creates nothing: a ledger not made yet means nothing was replayed.
        readToEnd(settings.ledgerTopic(), !settings.dryRun(), record -> {
            if (record.key() != null && record.value() != null) {
                replayed.add(new String(record.key(), StandardCharsets.UTF_8));
            }
        });
        log.info("{} frame(s) replayed before, by the ledger {}", replayed.size(), settings.ledgerTopic());
        readToEnd(settings.deadLettersTopic(), true, record -> handle(record, replayed, report));
        commitBatch(report);
        return report;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, Set<String> replayed, ReplayReport report) {
        report.countScanned();
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        DeadLetter letter;
        try {
            letter = deserializer.deserialize(record.topic(), record.partition(), record.offset(), record.value());
        } catch (RuntimeException e) {
            // Its selection cannot be known: named for every selection, so that nothing chosen goes unmentioned.
            report.notReplayable(new ReplayReport.Entry(where, "?", null, "unreadable dead letter: " + e.getMessage()));
            return;
        }
        if (!settings.selection().matches(letter)) {
            return;
        }
        String frame = letter.getOriginalTopic() + "-" + letter.getOriginalPartition() + "@" + letter.getOriginalOffset();
        String frameId = letter.getFrameId();
        if (letter.getStage() == FailureStage.MODEL) {
            report.notReplayable(new ReplayReport.Entry(where, frame, frameId, "a model assignment a device could not follow,"
                    + " not a frame: publish the model again (rollout/bin/models publish) once it is fixed"));
        } else if (letter.getOriginalValue() == null) {
            report.notReplayable(new ReplayReport.Entry(where, frame, frameId, "the dead letter does not carry the frame's"
                    + " bytes (too large to copy, or not kept); read the frame at " + frame + " while its topic keeps it"));
        } else if (replayed.contains(frame)) {
            report.alreadyReplayed(new ReplayReport.Entry(where, frame, frameId, "already replayed"));
        } else {
            String target = settings.toTopic() != null ? settings.toTopic() : letter.getOriginalTopic();
            replayed.add(frame);
            if (!settings.dryRun()) {
                ProducerRecord<byte[], byte[]> resend = new ProducerRecord<>(target, null, bytes(letter.getOriginalKey()),
                        bytes(letter.getOriginalValue()));
                resend.headers().add(new RecordHeader(REPLAYED_FROM_HEADER, where.getBytes(StandardCharsets.UTF_8)));
                pending.add(resend);
                pending.add(new ProducerRecord<>(settings.ledgerTopic(), frame.getBytes(StandardCharsets.UTF_8),
                        ("replayed to " + target + " from " + where + " at " + clock.instant()).getBytes(StandardCharsets.UTF_8)));
            }
            pendingEntries.add(new ReplayReport.Entry(where, frame, frameId, "to " + target));
            if (pendingEntries.size() >= settings.batchSize()) {
                commitBatch(report);
            }
        }
    }

    /** Sends the pending frames and their ledger records in one transaction; reports them once it is committed. */
    private void commitBatch(ReplayReport report) {
        if (pendingEntries.isEmpty()) {
            return;
        }
        if (!settings.dryRun()) {
            String batch = pendingEntries.size() + " frame(s) from " + pendingEntries.get(0).deadLetter() + " to "
                    + pendingEntries.get(pendingEntries.size() - 1).deadLetter();
            try {
                producer.beginTransaction();
                pending.forEach(producer::send);
                beforeCommit.run();
                producer.commitTransaction();
            } catch (ProducerFencedException | AuthorizationException e) {
                // Not abortable: another run took over, or the principal may not write. Its transaction dies unseen.
                throw new ReplayException("Replay stopped; the batch of " + batch + " was not sent: " + e.getMessage()
                        + "; " + report.sent().size() + " frame(s) were sent before it", e);
            } catch (KafkaException e) {
                producer.abortTransaction();
                throw new ReplayException("Replay stopped; the batch of " + batch + " was aborted, nothing of it sent: "
                        + e.getMessage() + "; " + report.sent().size() + " frame(s) were sent before it", e);
            }
            log.info("Replayed {}", batch);
        }
        pendingEntries.forEach(report::sent);
        pending.clear();
        pendingEntries.clear();
    }

    /** Every committed record of the topic up to its end when called, from every partition. */
    private void readToEnd(String topic, boolean required, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> action) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            if (!required) {
                return;
            }
            throw new ReplayException("The topic " + topic + " does not exist or cannot be described", null);
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                    action.accept(record);
                }
            }
        }
        consumer.unsubscribe();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
