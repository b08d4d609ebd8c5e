package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.Ticker;
import dev.edgeinfer.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's loop: read frames, classify them in micro-batches on the engine, publish one prediction per frame
 * (or a dead letter) and commit the consumed offsets only behind what was written.
 *
 * <p>Frames are classified in flushes, cut into batches of the engine's maximum size that run on the engine's
 * requests in flight ({@link BatchAssembler}), when {@link BatchingPolicy} says: with {@link Batching#ADAPTIVE}
 * batching a frame goes at once at low load, and batches fill under load. While one flush is being classified, the one
 * before it is written: the engine does not idle while the broker commits. What was written is committed every
 * {@link EdgeConsumerSettings#commitInterval()} at the latest, as in Kafka Streams, and with adaptive batching as soon
 * as the loop has nothing else to do, so readers see a prediction a commit after it was written.
 * In exactly-once mode ({@link TransactionalCommitter}) the predictions, dead letters and offsets of the flushes
 * written since the last commit ({@link OffsetLedger}) go in one transaction; a failure aborts it and rewinds the
 * consumer to the first uncommitted frame, so the frames are classified again and nothing is written twice. In
 * at-least-once mode ({@link AcknowledgedCommitter}) the offsets are committed once the broker acknowledged every
 * prediction written before them.
 *
 * <p>The loop owns its Kafka clients and closes them when {@link #run()} returns; the engine stays the caller's.
 *
 * <p>Unrecoverable errors (fenced by a newer instance of the same device, authorization) end the loop;
 * {@link #run()} then throws. Everything else is logged, rewound and retried.
 */
public final class EdgeConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(EdgeConsumer.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** The least bound on the bytes of frames held: a flush of small frames. */
    private static final long MIN_HELD_BYTES = 4 * 1024 * 1024;

    private final EdgeConsumerSettings settings;
    private final Consumer<byte[], ByteBuffer> consumer;
    private final Producer<String, byte[]> producer;
    private final OutputEncoder encoder;
    private final TopicLimits topicLimits;
    private final OutputSender sender;
    private final Committer committer;
    private final Quarantine quarantine = new Quarantine();
    private final ModelSwitch model;
    private final BatchingPolicy policy;
    private final EdgeMetrics metrics;
    private final Clock clock;
    private final Ticker ticker;
    private final HeldFrames held = new HeldFrames();
    private final AtomicLong framesProcessed = new AtomicLong();
    private final AtomicLong framesFailed = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long startNanos;
    private volatile boolean running = true;
    /** The last poll found no more frames fetched: what adaptive batching waits for before it dispatches a short batch. */
    private boolean fetchDrained;
    private long nextHeartbeatNanos;
    private Duration backoff = Duration.ZERO;

    /**
     * @param engine  the engine to start with, which stays the caller's
     * @param handOff the models to swap to, {@link ModelHandOff#NONE} for none
     */
    public EdgeConsumer(EdgeConsumerSettings settings, DeviceClients clients, InferenceEngine engine, FrameDecoder decoder,
                        ModelHandOff handOff, EdgeMetrics metrics, Clock clock, Ticker ticker) {
        this.settings = settings;
        this.consumer = clients.consumer();
        this.producer = clients.producer();
        this.topicLimits = clients.topicLimits();
        this.encoder = new OutputEncoder(clients.values(), clients.producerLimit(), topicLimits,
                List.of(settings.predictionsTopic(), settings.deadLettersTopic(), settings.heartbeatsTopic()));
        // Largest frame record the device reads: the frames topic's limit, or an eighth of the heap if that is less
        // (reading holds the fetched record, its decoded copy and the next fetch at once). A larger frame is
        // dead-lettered at validation, with its coordinates instead of its bytes.
        long largestFrame = Math.min(Topics.MAX_FRAME_BYTES, Runtime.getRuntime().maxMemory() / 8);
        DeadLetters deadLetters = new DeadLetters(settings, clock, largestFrame);
        // Most bytes of frames held at once: received and not yet classified, classified and not yet written, written
        // and not yet committed. Frames of megabytes cannot pile up in a small heap.
        this.policy = new BatchingPolicy(settings, Math.max(MIN_HELD_BYTES, largestFrame));
        this.sender = new OutputSender(settings.deviceId(), producer, encoder, deadLetters);
        this.committer = settings.delivery() == DeliveryMode.EXACTLY_ONCE
                ? new TransactionalCommitter(settings.deviceId(), producer, consumer)
                : new AcknowledgedCommitter(settings.deviceId(), producer, consumer, encoder, sender, deadLetters);
        PredictionRecords records = new PredictionRecords(settings, engine.describe(), PredictionRecords.thisHost());
        this.model = new ModelSwitch(handOff, settings, ticker, engine, new BatchAssembler(clients.frames(), decoder, engine,
                quarantine, deadLetters, records, metrics, clock, ticker, largestFrame), records);
        this.metrics = metrics;
        this.clock = clock;
        this.ticker = ticker;
        this.startNanos = ticker.nanoTime();
    }

    /** Frames predicted since start. */
    public long framesProcessed() {
        return framesProcessed.get();
    }

    /** Frames dead-lettered since start. */
    public long framesFailed() {
        return framesFailed.get();
    }

    /** Asks the loop to finish its current flush and return; safe from any thread (a shutdown hook). */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    /** Waits until {@link #run()} has returned. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(settings.framesTopic()), new Rebalance());
            committer.start();
            nextHeartbeatNanos = ticker.nanoTime();
            while (running) {
                try {
                    if (policy.full(held)) {
                        // Full: no more frames until the flush or the commit below lets some go.
                        awaitInFlight(BatchingPolicy.IDLE_POLL);
                    } else if (policy.awaitsInFlight(held, engineIdle())) {
                        // Frames fetched meanwhile wait in the socket's buffer: read without waiting, before the loop
                        // writes the flight and decides whether it is idle enough to commit.
                        awaitInFlight(BatchingPolicy.IN_FLIGHT_WAIT);
                        pollOnce(Duration.ZERO);
                    } else {
                        pollOnce(BatchingPolicy.IDLE_POLL);
                    }
                } catch (WakeupException e) {
                    if (running) {
                        throw e;
                    }
                }
                if (policy.shouldFlush(held, fetchDrained, engineIdle(), heartbeatDue(), ticker.nanoTime())
                        || (model.waiting() && held.inFlight != null)) {
                    attempt(this::flush);
                } else if (policy.commitDue(held, ticker.nanoTime()) || (model.waiting() && held.written != null)) {
                    attempt(this::commit);
                }
                if (model.waiting() && held.inFlight == null && held.written == null) {
                    model.swap();
                }
            }
            // On stop, what was received is still classified and committed before the clients close.
            while (!held.isEmpty()) {
                attempt(this::flush);
            }
        } finally {
            model.close();
            closeClients();
            log.info("device {} stopping: {} frames predicted, {} dead-lettered", settings.deviceId(), framesProcessed.get(),
                    framesFailed.get());
            stopped.countDown();
        }
    }

    private void closeClients() {
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        } finally {
            try {
                producer.close(Duration.ofSeconds(10));
            } finally {
                encoder.close();
                topicLimits.close();
            }
        }
    }

    /** Polls for at most {@code longest}, less when the policy says so, and takes what came into the pending frames. */
    private void pollOnce(Duration longest) {
        Duration timeout = policy.pollTimeout(held, engineIdle(), ticker.nanoTime());
        var polled = consumer.poll(timeout.compareTo(longest) <= 0 ? timeout : longest);
        fetchDrained = polled.isEmpty();
        long now = ticker.nanoTime();
        Instant receivedAt = clock.instant();
        for (ConsumerRecord<byte[], ByteBuffer> record : polled) {
            held.receive(new Received(record, now, receivedAt));
        }
    }

    private boolean heartbeatDue() {
        return ticker.nanoTime() - nextHeartbeatNanos >= 0;
    }

    /** Whether the engine has nothing to classify: no flush in flight, or only one whose batches are all done. */
    private boolean engineIdle() {
        return held.inFlight == null || held.inFlight.isDone();
    }

    /**
     * Waits up to {@code timeout} for the flush being classified, if any: what the loop does instead of reading while it
     * is full, or while it has nothing else to do.
     */
    private void awaitInFlight(Duration timeout) {
        Flight flight = held.inFlight;
        if (flight != null && !flight.isDone()) {
            try {
                CompletableFuture.allOf(flight.batches().toArray(CompletableFuture[]::new)).get(timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Its outcome is read when it is written.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /** Runs a step of the loop that writes (a flush, a commit); a failure aborts, rewinds and backs off. */
    private void attempt(Runnable step) {
        try {
            step.run();
            backoff = Duration.ZERO;
        } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                 | AuthorizationException | AuthenticationException | UnsupportedVersionException e) {
            // Another instance took over this device's transactional id, or we may not write: nothing to retry.
            running = false;
            throw new IllegalStateException("device " + settings.deviceId() + " cannot continue: " + e, e);
        } catch (KafkaException | RetryableFlushException e) {
            int frames = held.frames();
            OffsetLedger written = held.written;
            // Aborting completes every send of the transaction, so those the broker refused for their own sake are known.
            committer.abort("writing failed: " + e);
            int refused = written == null ? 0 : quarantine.afterAbort(written.sent(), encoder, settings.deviceId());
            if (refused > 0) {
                // The cause is known and removed: the frames are read again at once.
                dropUnwritten("the broker refused " + refused + " records", Set.of());
                log.warn("device {}: {} records over the output topics' limits refused by the broker; {} frames rewound to"
                        + " write again with their dead letters", settings.deviceId(), refused, frames);
                return;
            }
            dropUnwritten("writing failed: " + e, Set.of());
            backoff = backoff.isZero() ? Duration.ofMillis(500) : min(backoff.multipliedBy(2), MAX_BACKOFF);
            log.warn("device {}: writing {} frames failed, rewound to retry in {} ms: {}", settings.deviceId(), frames,
                    backoff.toMillis(), e.toString());
            sleep(backoff);
        }
    }

    /**
     * Starts classifying everything pending, then writes the flush classified before it, and commits when the commit
     * interval has passed, when the loop is stopping, or, with adaptive batching, when nothing else is left to do: the
     * broker takes one flush while the engine works on the next.
     */
    private void flush() {
        held.writing = held.inFlight;
        // A model ready to swap holds frames back; not once stopping: what was received goes to the model in use.
        held.inFlight = held.pending().isEmpty() || (running && model.waiting()) ? null : launch();
        if (held.writing != null || heartbeatDue()) {
            write(held.writing);
        }
        held.writing = null;
        if (held.written != null && (!running || model.waiting() || policy.commitDue(held, ticker.nanoTime()))) {
            commit();
        }
    }

    /** Takes pending frames ({@link BatchingPolicy#take}) into a new flight and hands them to the engine. */
    private Flight launch() {
        Flight flight = held.launch(policy.take(held.pending(), model.engine().maxBatch(), fetchDrained, running,
                ticker.nanoTime()));
        model.assembler().assemble(flight);
        return flight;
    }

    /**
     * Sends a classified flight's predictions and dead letters (or only a heartbeat, when null), in the open
     * transaction in exactly-once mode; they count once committed.
     */
    private void write(Flight flight) {
        List<Output> out = new ArrayList<>();
        if (flight != null) {
            out.addAll(flight.deadLetters());
            for (CompletableFuture<List<Output>> batch : flight.batches()) {
                out.addAll(batch.join());
            }
        }
        out.addAll(model.failures());
        if (heartbeatDue()) {
            out.add(model.records().heartbeat((ticker.nanoTime() - startNanos) / 1_000_000, framesProcessed.get(),
                    framesFailed.get(), PredictionRecords.consumerLag(consumer), model.handOff().status(), clock.instant()));
            nextHeartbeatNanos = ticker.nanoTime() + settings.heartbeatInterval().toNanos();
        }
        OffsetLedger open = openLedger();
        if (flight != null) {
            open.addFrames(flight.records(), flight.bytes());
        }
        for (Output output : out) {
            Quarantine.Sent sent = sender.send(output);
            if (sent != null) {
                open.addSent(sent);
            }
        }
    }

    /** What was written since the last commit; begins a transaction in exactly-once mode when nothing was. */
    private OffsetLedger openLedger() {
        if (held.written == null) {
            committer.begin();
            held.written = new OffsetLedger(ticker.nanoTime());
        }
        return held.written;
    }

    /** Commits what was written since the last commit with the offsets of its frames, then counts it. */
    private void commit() {
        OffsetLedger done = held.written;
        long start = ticker.nanoTime();
        committer.commit(done);
        policy.committed(start, ticker.nanoTime());
        quarantine.committed(done.offsets());
        held.written = null;
        for (Quarantine.Sent sent : done.sent()) {
            if (sent.output().value() instanceof Prediction prediction) {
                framesProcessed.incrementAndGet();
                metrics.framePredicted(prediction.getTimings().getTotalOnDeviceMicros());
                if (prediction.getFrameLabelSet() != null) {
                    metrics.frameOfOtherLabelSet();
                }
            } else if (sent.output().value() instanceof DeadLetter letter && sent.output().frame() != null) {
                framesFailed.incrementAndGet();
                metrics.frameFailed(letter.getStage());
            }
        }
    }

    /**
     * Aborts the open transaction, if any, and drops everything not yet committed: the partitions this device keeps
     * are rewound to their first uncommitted frame, and whoever owns the others next reads their frames again from the
     * committed offsets.
     */
    private void dropUnwritten(String why, Collection<TopicPartition> gone) {
        quarantine.forget(gone);
        committer.abort(why);
        held.dropAndRewind(consumer, gone);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            dropUnwritten("partitions " + partitions + " revoked", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("device {} assigned {}", settings.deviceId(), partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            log.warn("device {} lost {} without a clean revoke", settings.deviceId(), partitions);
            dropUnwritten("partitions " + partitions + " lost", partitions);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
