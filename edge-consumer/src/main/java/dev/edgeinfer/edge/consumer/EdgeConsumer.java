package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.Accelerator;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.DeviceTimings;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.HostInfo;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.Precision;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.edge.engine.BatchResult;
import dev.edgeinfer.edge.engine.ClassScore;
import dev.edgeinfer.edge.engine.EngineDescription;
import dev.edgeinfer.edge.engine.FrameBatch;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.Ticker;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.serde.AvroSerdeException;
import dev.edgeinfer.schemas.topics.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
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
 * requests in flight. A flush starts when {@link EdgeConsumerSettings#flushFrames()} have arrived or the oldest has
 * waited {@link EdgeConsumerSettings#maxWait()}, and, with {@link Batching#ADAPTIVE} batching, as soon as the fetch is
 * drained and the engine idle: at low load a frame goes alone at once, under load frames gather while the engine works
 * and batches fill (a remainder short of a batch waits for the next flush unless the fetch is drained or it has waited
 * {@code maxWait}). While one flush is being classified, the one before it is written: the engine does not idle while
 * the broker commits. Commits come every {@link EdgeConsumerSettings#commitInterval()} at the latest, as in Kafka
 * Streams, and with adaptive batching as soon as the loop has nothing else to do, so readers see a prediction a commit
 * after it was written, not a commit interval: in exactly-once mode the predictions, dead letters and offsets of the
 * flushes written since the last commit go in one transaction; a failure aborts it and rewinds the consumer to the first uncommitted frame, so the frames are
 * classified again and nothing is written twice. In at-least-once mode the offsets are committed once the broker
 * acknowledged every prediction written before them.
 *
 * <p>The loop owns its Kafka clients and closes them when {@link #run()} returns; the engine stays the caller's.
 *
 * <p>Unrecoverable errors (fenced by a newer instance of the same device, authorization) end the loop;
 * {@link #run()} then throws. Everything else is logged, rewound and retried.
 */
public final class EdgeConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(EdgeConsumer.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(1);
    /** Longest the loop waits for a flush being classified before it polls again, when nothing else waits. */
    private static final Duration IN_FLIGHT_WAIT = Duration.ofMillis(20);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** The least {@link #heldBytesLimit} is: a flush of small frames. */
    private static final long MIN_HELD_BYTES = 4 * 1024 * 1024;
    /** Largest pixel buffer kept from one frame's decoding to the next. */
    private static final int REUSED_PIXELS_BYTES = 64 * 1024;

    /**
     * A record received and not yet committed. Its value is a view of the fetched bytes (Kafka's
     * {@code ByteBufferDeserializer} copies nothing), which the frame decoder reads in place.
     */
    private record Received(ConsumerRecord<byte[], ByteBuffer> record, long receivedNanos, Instant receivedAt) {
    }

    /** A frame whose pixels are in the batch being filled: what its prediction needs of it. */
    private record Decoded(Received received, String frameId, Instant captureTime, Integer groundTruth) {
    }

    /**
     * A flush being classified: its records, the dead letters known before inference, and the outputs of its batches
     * as they complete. It is written while the next flush is being classified, and its offsets are committed with
     * what else was written in the same commit interval.
     */
    private record Flight(List<Received> records, long bytes, List<Output> deadLetters,
                          List<CompletableFuture<List<Output>>> batches) {
        boolean isDone() {
            return batches.stream().allMatch(CompletableFuture::isDone);
        }
    }

    /**
     * What was written since the last commit: the offsets that commit it, the first offset written of each partition
     * (for a rewind), what it adds to the counts, and the sends (awaited before the offsets are committed in
     * at-least-once mode; looked at for records the broker refused when a transaction fails). The frames are not kept:
     * a frame is needed again only if the commit fails, and then it is read again from the broker.
     */
    private static final class Uncommitted {
        final long startNanos;
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        final List<Quarantine.Sent> sent = new ArrayList<>();
        long frameBytes;
        int frames;

        Uncommitted(long startNanos) {
            this.startNanos = startNanos;
        }

        void addFrames(List<Received> received, long bytes) {
            frameBytes += bytes;
            for (Received frame : received) {
                ConsumerRecord<byte[], ByteBuffer> record = frame.record();
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                offsets.merge(partition, new OffsetAndMetadata(record.offset() + 1), (a, b) -> a.offset() >= b.offset() ? a : b);
                firstOffsets.merge(partition, record.offset(), Math::min);
            }
            frames += received.size();
        }
    }

    private final EdgeConsumerSettings settings;
    private final Consumer<byte[], ByteBuffer> consumer;
    private final Producer<String, byte[]> producer;
    private final AvroDeserializer<ImageFrame> frameDeserializer;
    private final OutputEncoder encoder;
    private final TopicLimits topicLimits;
    private final DeadLetters deadLetters;
    private final Quarantine quarantine = new Quarantine();
    private final InferenceEngine engine;
    private final FrameDecoder decoder;
    private final EdgeMetrics metrics;
    private final Clock clock;
    private final Ticker ticker;
    private final EngineDescription engineDescription;
    private final ModelRef modelRef;
    private final Accelerator accelerator;
    private final HostInfo host;
    private final ByteBuffer batchPixels;
    /**
     * Largest frame record the device reads: the frames topic's limit, or an eighth of the heap if that is less
     * (reading holds the fetched record, its decoded copy and the next fetch at once). A larger frame is dead-lettered
     * at validation, with its coordinates instead of its bytes.
     */
    private final long largestFrame;
    /**
     * Most bytes of frames held at once ({@link #largestFrame}, 4 MiB at least): received and not yet classified,
     * classified and not yet written, written and not yet committed. Past it the loop reads no more frames until a
     * flush or a commit let some go, so frames of megabytes cannot pile up in a small heap.
     */
    private final long heldBytesLimit;
    private long pendingBytes;
    // Frames are decoded into this one record, and their pixels copied into the batch before the next is decoded, so
    // Avro reuses its pixel buffer instead of allocating 3 KB per frame.
    private ImageFrame reusableFrame;
    private final List<Received> pending = new ArrayList<>();
    private Flight inFlight;
    private Flight writing;
    private Uncommitted uncommitted;
    private final AtomicLong framesProcessed = new AtomicLong();
    private final AtomicLong framesFailed = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long startNanos;
    private volatile boolean running = true;
    /** The last poll found no more frames fetched: what adaptive batching waits for before it dispatches a short batch. */
    private boolean fetchDrained;
    private boolean transactionOpen;
    private long nextHeartbeatNanos;
    private Duration backoff = Duration.ZERO;

    public EdgeConsumer(EdgeConsumerSettings settings, DeviceClients clients, InferenceEngine engine, FrameDecoder decoder,
                        EdgeMetrics metrics, Clock clock, Ticker ticker) {
        this.settings = settings;
        this.consumer = clients.consumer();
        this.producer = clients.producer();
        this.frameDeserializer = clients.frames();
        this.topicLimits = clients.topicLimits();
        this.encoder = new OutputEncoder(clients.values(), clients.producerLimit(), topicLimits,
                List.of(settings.predictionsTopic(), settings.deadLettersTopic(), settings.heartbeatsTopic()));
        this.largestFrame = Math.min(Topics.MAX_FRAME_BYTES, Runtime.getRuntime().maxMemory() / 8);
        this.deadLetters = new DeadLetters(settings, clock, largestFrame);
        this.heldBytesLimit = Math.max(MIN_HELD_BYTES, largestFrame);
        this.engine = engine;
        this.decoder = decoder;
        this.metrics = metrics;
        this.clock = clock;
        this.ticker = ticker;
        this.engineDescription = engine.describe();
        this.modelRef = ModelRef.newBuilder()
                .setName(engineDescription.modelName())
                .setVersion(engineDescription.modelVersion())
                .setArtifactId(engineDescription.artifactId())
                .setPrecision(precision(engineDescription.precision()))
                .setSha256(engineDescription.sha256())
                .build();
        this.accelerator = new Accelerator(engineDescription.device(), engineDescription.deviceFullName());
        this.host = hostInfo();
        this.batchPixels = ByteBuffer.allocateDirect(engine.maxBatch() * decoder.frameBytes());
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
            if (settings.delivery() == DeliveryMode.EXACTLY_ONCE) {
                producer.initTransactions();
            }
            nextHeartbeatNanos = ticker.nanoTime();
            while (running) {
                try {
                    if (heldBytes() >= heldBytesLimit) {
                        // Full: no more frames until the flush or the commit below lets some go.
                        awaitInFlight(IDLE_POLL);
                    } else if (adaptive() && pending.isEmpty() && !engineIdle()) {
                        // Nothing waits but the flush being classified: written the moment it is done, not at the next
                        // poll's end. A frame fetched meanwhile waits in the socket's buffer for the poll after.
                        awaitInFlight(IN_FLIGHT_WAIT);
                        if (!engineIdle()) {
                            pollOnce();
                        }
                    } else {
                        pollOnce();
                    }
                } catch (WakeupException e) {
                    if (running) {
                        throw e;
                    }
                }
                if (shouldFlush()) {
                    attempt(this::flush);
                } else if (commitDue()) {
                    attempt(this::commit);
                }
            }
            // On stop, what was received is still classified and committed before the clients close.
            while (!pending.isEmpty() || inFlight != null || uncommitted != null) {
                attempt(this::flush);
            }
        } finally {
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

    private void pollOnce() {
        Duration timeout = IDLE_POLL;
        if (adaptive() && !pending.isEmpty() && engineIdle()) {
            // Only to learn whether more frames are already fetched: if none, the pending ones go at once.
            timeout = Duration.ZERO;
        } else if (inFlight != null) {
            // A flush is being classified: look back soon to write it when it is done.
            timeout = IN_FLIGHT_POLL;
        } else if (!pending.isEmpty()) {
            long waitedNanos = ticker.nanoTime() - pending.get(0).receivedNanos();
            timeout = Duration.ofNanos(Math.max(0, settings.maxWait().toNanos() - waitedNanos));
        }
        if (uncommitted != null) {
            long commitInNanos = settings.commitInterval().toNanos() - (ticker.nanoTime() - uncommitted.startNanos);
            timeout = min(timeout, Duration.ofNanos(Math.max(0, commitInNanos)));
        }
        var records = consumer.poll(timeout);
        fetchDrained = records.isEmpty();
        long now = ticker.nanoTime();
        Instant receivedAt = clock.instant();
        for (ConsumerRecord<byte[], ByteBuffer> record : records) {
            pending.add(new Received(record, now, receivedAt));
            pendingBytes += frameBytes(record);
        }
    }

    private boolean shouldFlush() {
        boolean heartbeatDue = ticker.nanoTime() - nextHeartbeatNanos >= 0;
        if (pending.isEmpty()) {
            return heartbeatDue || (inFlight != null && inFlight.isDone());
        }
        if (adaptive() && fetchDrained && engineIdle()) {
            return true;
        }
        long waited = ticker.nanoTime() - pending.get(0).receivedNanos();
        return pending.size() >= settings.flushFrames() || waited >= settings.maxWait().toNanos() || heartbeatDue
                || pendingBytes >= heldBytesLimit;
    }

    private boolean adaptive() {
        return settings.batching() == Batching.ADAPTIVE;
    }

    /** Whether the engine has nothing to classify: no flush in flight, or only one whose batches are all done. */
    private boolean engineIdle() {
        return inFlight == null || inFlight.isDone();
    }

    /**
     * Waits up to {@code timeout} for the flush being classified, if any: what the loop does instead of reading while it
     * is full, or while it has nothing else to do.
     */
    private void awaitInFlight(Duration timeout) {
        if (inFlight != null && !inFlight.isDone()) {
            try {
                CompletableFuture.allOf(inFlight.batches().toArray(CompletableFuture[]::new)).get(timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Its outcome is read when it is written.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private boolean commitDue() {
        return uncommitted != null && (ticker.nanoTime() - uncommitted.startNanos >= settings.commitInterval().toNanos()
                || uncommitted.frameBytes >= heldBytesLimit);
    }

    /** Bytes of the frames received and not yet committed (see {@link #heldBytesLimit}). */
    private long heldBytes() {
        long held = pendingBytes + (uncommitted == null ? 0 : uncommitted.frameBytes);
        for (Flight flight : new Flight[] {writing, inFlight}) {
            held += flight == null ? 0 : flight.bytes();
        }
        return held;
    }

    private static long frameBytes(ConsumerRecord<byte[], ByteBuffer> record) {
        return Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
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
            int frames = unwritten().size() + (uncommitted == null ? 0 : uncommitted.frames);
            // Aborting completes every send of the transaction, so those the broker refused for their own sake are known.
            abortQuietly("writing failed: " + e);
            if (uncommitted != null && uncommitted.sent.stream().map(Quarantine::refusal)
                    .anyMatch(refusal -> refusal != null && refusal.tooLarge())) {
                encoder.refreshLimits();
                List<Quarantine.Refusal> refusals = quarantine.collect(uncommitted.sent, encoder::whyUnwritable);
                if (!refusals.isEmpty()) {
                    // The cause is known and removed: the frames are read again at once.
                    dropUnwritten("the broker refused " + refusals.size() + " records", Set.of());
                    log.warn("device {}: {} records over the output topics' limits refused by the broker; {} frames rewound"
                            + " to write again with their dead letters", settings.deviceId(), refusals.size(), frames);
                    return;
                }
                log.error("device {}: the broker refused records for their size, but none is over the output topics' limits"
                        + " as read ({}): grant the device DescribeConfigs on its output topics so it can check sizes before"
                        + " sending", settings.deviceId(), encoder.limits());
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
        writing = inFlight;
        inFlight = pending.isEmpty() ? null : launch();
        if (writing != null || ticker.nanoTime() - nextHeartbeatNanos >= 0) {
            write(writing);
        }
        writing = null;
        boolean idle = adaptive() && inFlight == null && pending.isEmpty();
        if (uncommitted != null && (!running || idle || commitDue())) {
            commit();
        }
    }

    /**
     * Decodes and submits the pending frames; they leave {@code pending} for the returned flight. A flush started
     * because enough frames arrived takes whole batches only and leaves the rest for the next one, so that under load
     * every batch is full; frames that have waited {@code maxWait}, all frames once the fetch is drained (adaptive
     * batching), and all frames on stop, go in whatever the count.
     */
    private Flight launch() {
        int take = pending.size();
        int remainder = take % engine.maxBatch();
        if (running && !(adaptive() && fetchDrained) && take > remainder && remainder > 0
                && ticker.nanoTime() - pending.get(take - remainder).receivedNanos() < settings.maxWait().toNanos()) {
            take -= remainder;
        }
        List<Received> records = List.copyOf(pending.subList(0, take));
        pending.subList(0, take).clear();
        List<Output> refused = new ArrayList<>();
        List<CompletableFuture<List<Output>>> batches = new ArrayList<>();
        long bytes = 0;
        for (Received received : records) {
            bytes += frameBytes(received.record());
        }
        pendingBytes -= bytes;
        Flight flight = new Flight(records, bytes, refused, batches);
        // Owned by the flight from here, so a failure while decoding still rewinds to these records.
        inFlight = flight;
        List<Decoded> batch = new ArrayList<>(engine.maxBatch());
        ByteBuffer pixels = batchPixels.clear();
        long batchStart = ticker.nanoTime();
        for (Received received : records) {
            Decoded decoded = decodeIntoBatch(received, pixels, refused);
            if (decoded == null) {
                continue;
            }
            batch.add(decoded);
            if (batch.size() == engine.maxBatch()) {
                batches.add(submit(batch, pixels, batchStart));
                batch = new ArrayList<>(engine.maxBatch());
                pixels = batchPixels.clear();
                batchStart = ticker.nanoTime();
            }
        }
        if (!batch.isEmpty()) {
            batches.add(submit(batch, pixels, batchStart));
        }
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
        if (ticker.nanoTime() - nextHeartbeatNanos >= 0) {
            out.add(new Output(settings.heartbeatsTopic(), settings.deviceId(), heartbeat(), null, null));
            nextHeartbeatNanos = ticker.nanoTime() + settings.heartbeatInterval().toNanos();
        }
        Uncommitted open = openUncommitted();
        if (flight != null) {
            open.addFrames(flight.records(), flight.bytes());
        }
        for (Output output : out) {
            OutputEncoder.Encoded encoded = encodeOrReplace(output);
            if (encoded != null) {
                open.sent.add(new Quarantine.Sent(encoded.output(), producer.send(encoded.record())));
            }
        }
    }

    /**
     * The output ready to send or, when it cannot be written, the dead letter of its frame (a truncated one when the
     * dead letter cannot be written whole either). A heartbeat that cannot be written is skipped: the next one follows.
     */
    private OutputEncoder.Encoded encodeOrReplace(Output output) {
        try {
            return encoder.encode(output);
        } catch (UnwritableOutputException e) {
            if (output.frame() == null) {
                log.warn("device {}: heartbeat not written: {}", settings.deviceId(), e.getMessage());
                return null;
            }
            Output replacement = output.value() instanceof DeadLetter
                    ? deadLetters.truncated(output, e.getMessage())
                    : deadLetters.of(output.frame(), output.frameId(), FailureStage.PUBLISH, e);
            try {
                return encoder.encode(replacement);
            } catch (UnwritableOutputException again) {
                if (DeadLetters.isTruncated(replacement)) {
                    throw new KafkaException("device " + settings.deviceId() + " cannot write even a truncated dead letter of"
                            + " the frame at " + DeadLetters.where(output.frame()) + ": " + again.getMessage(), again);
                }
                return encoder.encode(deadLetters.truncated(replacement, again.getMessage()));
            }
        }
    }

    /** What was written since the last commit; begins a transaction in exactly-once mode when nothing was. */
    private Uncommitted openUncommitted() {
        if (uncommitted == null) {
            if (settings.delivery() == DeliveryMode.EXACTLY_ONCE) {
                producer.beginTransaction();
                transactionOpen = true;
            }
            uncommitted = new Uncommitted(ticker.nanoTime());
        }
        return uncommitted;
    }

    /**
     * Commits what was written since the last commit with the offsets of its frames: the transaction in exactly-once
     * mode; in at-least-once mode the offsets, once the broker acknowledged every record written before them.
     */
    private void commit() {
        Uncommitted done = uncommitted;
        if (settings.delivery() == DeliveryMode.EXACTLY_ONCE) {
            // The producer sends no records while a transactional request is pending: flushed first, the predictions
            // are appended before the offsets' requests, not after two more round trips (and the linger).
            producer.flush();
            if (!done.offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(done.offsets, consumer.groupMetadata());
            }
            producer.commitTransaction();
            transactionOpen = false;
        } else {
            producer.flush();
            done.sent.replaceAll(this::acknowledged);
            if (!done.offsets.isEmpty()) {
                consumer.commitSync(done.offsets);
            }
        }
        quarantine.committed(done.offsets);
        uncommitted = null;
        for (Quarantine.Sent sent : done.sent) {
            if (sent.output().value() instanceof Prediction prediction) {
                framesProcessed.incrementAndGet();
                metrics.framePredicted(prediction.getTimings().getTotalOnDeviceMicros());
            } else if (sent.output().value() instanceof DeadLetter letter) {
                framesFailed.incrementAndGet();
                metrics.frameFailed(letter.getStage());
            }
        }
    }

    /**
     * The first offset of each partition not yet committed: of the frames written since the last commit, the flight
     * being written, the one being classified and the pending frames.
     */
    private Map<TopicPartition, Long> firstUncommitted() {
        Map<TopicPartition, Long> first = uncommitted == null ? new HashMap<>() : new HashMap<>(uncommitted.firstOffsets);
        for (Received frame : unwritten()) {
            ConsumerRecord<byte[], ByteBuffer> record = frame.record();
            first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        return first;
    }

    /** Every frame received and not yet written: the flight being written, the one being classified, the pending ones. */
    private List<Received> unwritten() {
        List<Received> unwritten = new ArrayList<>(pending);
        for (Flight flight : new Flight[] {writing, inFlight}) {
            if (flight != null) {
                unwritten.addAll(flight.records());
            }
        }
        return unwritten;
    }

    /**
     * Decodes a frame and writes its pixels at the batch's position; a frame that cannot be decoded becomes a dead
     * letter instead, and the batch is left as it was.
     */
    private Decoded decodeIntoBatch(Received received, ByteBuffer pixels, List<Output> out) {
        ConsumerRecord<byte[], ByteBuffer> record = received.record();
        Quarantine.Refusal refusal = quarantine.of(record);
        if (refusal != null) {
            // The broker refused this frame's output before: its dead letter goes in its place, without inference.
            Output failed = refusal.failed();
            out.add(refusal.deadLetterRefused() ? deadLetters.truncated(failed, refusal.reason())
                    : deadLetters.of(record, failed.frameId(), FailureStage.PUBLISH, new UnwritableOutputException(refusal.reason(), null)));
            return null;
        }
        ImageFrame frame = null;
        int before = pixels.position();
        try {
            if (record.value() == null) {
                throw new FrameRejectedException(FailureStage.VALIDATE, "record has no value", null);
            }
            if (frameBytes(record) > largestFrame) {
                throw new FrameRejectedException(FailureStage.VALIDATE, "frame of " + frameBytes(record) + " bytes exceeds the "
                        + largestFrame + " bytes this device reads (the frames topic's limit, or an eighth of its heap if"
                        + " less: a larger -Xmx raises it)", null);
            }
            try {
                frame = frameDeserializer.deserialize(record.topic(), record.partition(), record.offset(), record.value(),
                        reusableFrame);
                // A large frame's pixel buffer is not kept for the next frame: it would hold its megabytes for good.
                reusableFrame = frame.getPixels().capacity() <= REUSED_PIXELS_BYTES ? frame : null;
            } catch (AvroSerdeException e) {
                if (e.isRetriable()) {
                    throw new RetryableFlushException("frame at " + where(record) + " needs the registry: " + e.getMessage(), e);
                }
                throw new FrameRejectedException(FailureStage.DESERIALIZE, e.getMessage(), e);
            }
            try {
                decoder.decodeInto(frame, pixels);
            } catch (RuntimeException e) {
                // A failure the decoder did not foresee is still this frame's, not the device's.
                pixels.position(before);
                out.add(deadLetters.of(record, frame.getFrameId(), FailureStage.DECODE, e));
                return null;
            }
            return new Decoded(received, frame.getFrameId(), frame.getCaptureTime(), frame.getGroundTruth());
        } catch (FrameRejectedException e) {
            pixels.position(before);
            out.add(deadLetters.of(record, frame == null ? null : frame.getFrameId(), e.stage(), e));
            return null;
        }
    }

    /** Starts inference of a filled batch; its predictions (or dead letters, if inference fails) complete the future. */
    private CompletableFuture<List<Output>> submit(List<Decoded> frames, ByteBuffer pixels,
                                                                                   long start) {
        long decodeMicros = (ticker.nanoTime() - start) / 1_000;
        FrameBatch batch = FrameBatch.of(pixels.flip(), frames.size(), decoder.height(), decoder.width());
        return engine.submit(batch).handle((result, failure) -> {
            List<Output> records = new ArrayList<>(frames.size());
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                for (Decoded frame : frames) {
                    records.add(deadLetters.of(frame.received().record(), frame.frameId(), FailureStage.INFERENCE, cause));
                }
                return records;
            }
            metrics.batchInferred(result.timings().inferenceMicros());
            // One reading of each clock for the whole batch: its predictions are handed off together.
            long publishNanos = ticker.nanoTime();
            Instant publishTime = clock.instant();
            for (int i = 0; i < frames.size(); i++) {
                records.add(prediction(frames.get(i), result, i, start, decodeMicros, frames.size(), publishNanos,
                        publishTime));
            }
            return records;
        });
    }

    private Output prediction(Decoded frame, BatchResult result, int index, long batchStartNanos,
                                                               long decodeMicros, int batchSize, long publishNanos,
                                                               Instant publishTime) {
        dev.edgeinfer.edge.engine.Prediction answer = result.predictions().get(index);
        List<dev.edgeinfer.avro.ClassScore> topK = new ArrayList<>(answer.topK().size());
        for (ClassScore score : answer.topK()) {
            topK.add(new dev.edgeinfer.avro.ClassScore(score.classIndex(), score.className(), score.probability()));
        }
        long receivedNanos = frame.received().receivedNanos();
        // The constructor, not the builder: it is called once per frame, and the builder checks every field again.
        Prediction prediction = new Prediction(frame.frameId(), frame.captureTime(),
                Instant.ofEpochMilli(frame.received().record().timestamp()), settings.deviceId(), settings.deviceType(),
                engineDescription.engine(), accelerator, modelRef, topK, answer.top().classIndex(), answer.top().className(),
                frame.groundTruth(),
                new DeviceTimings(Math.max(0, (batchStartNanos - receivedNanos) / 1_000),
                        decodeMicros + result.timings().preprocessMicros(), result.timings().inferenceMicros(),
                        Math.max(0, (publishNanos - receivedNanos) / 1_000)),
                batchSize, frame.received().receivedAt(), publishTime);
        return new Output(settings.predictionsTopic(), frame.frameId(), prediction, frame.received().record(), frame.frameId());
    }

    private DeviceHeartbeat heartbeat() {
        return DeviceHeartbeat.newBuilder()
                .setDeviceId(settings.deviceId())
                .setDeviceType(settings.deviceType())
                .setEngine(engineDescription.engine())
                .setAccelerator(accelerator)
                .setModel(modelRef)
                .setHost(host)
                .setUptimeMillis((ticker.nanoTime() - startNanos) / 1_000_000)
                .setFramesProcessed(framesProcessed.get())
                .setFramesFailed(framesFailed.get())
                .setConsumerLag(consumerLag())
                .setSentTime(clock.instant())
                .build();
    }

    private long consumerLag() {
        long total = 0;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(partition);
            if (lag.isEmpty()) {
                return -1;
            }
            total += lag.getAsLong();
        }
        return total;
    }

    /**
     * The send once the broker acknowledged it (at-least-once). A record the broker refused for its own sake is replaced
     * by its frame's dead letter (a truncated one if the dead letter was refused), written and awaited in its place, so
     * the offsets still commit behind every frame.
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
            log.warn("device {}: the broker refused the {} of the frame at {}: {}", settings.deviceId(),
                    failed.value().getSchema().getName(), DeadLetters.where(failed.frame()), refusal.reason());
            Output replacement = refusal.deadLetterRefused()
                    ? deadLetters.truncated(failed, refusal.reason())
                    : deadLetters.of(failed.frame(), failed.frameId(), FailureStage.PUBLISH,
                            new UnwritableOutputException(refusal.reason(), null));
            OutputEncoder.Encoded encoded = encodeOrReplace(replacement);
            current = new Quarantine.Sent(encoded.output(), producer.send(encoded.record()));
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

    private void abortQuietly(String why) {
        if (!transactionOpen) {
            return;
        }
        transactionOpen = false;
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // The abort itself failed; the broker aborts the transaction when it times out, and the next
            // beginTransaction fails loudly if the producer is unusable.
            log.warn("device {}: aborting the transaction ({}) failed: {}", settings.deviceId(), why, e.toString());
        }
    }

    /** Moves each partition still assigned, less those given, back to the offset given, so its frames are read again. */
    private void rewind(Map<TopicPartition, Long> first, Collection<TopicPartition> except) {
        first.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition) && !except.contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    /**
     * Aborts the open transaction, if any, and drops everything not yet committed: the partitions this device keeps
     * are rewound to their first uncommitted frame, and whoever owns the others next reads their frames again from the
     * committed offsets.
     */
    private void dropUnwritten(String why, Collection<TopicPartition> gone) {
        quarantine.forget(gone);
        abortQuietly(why);
        Map<TopicPartition, Long> first = firstUncommitted();
        writing = null;
        inFlight = null;
        uncommitted = null;
        pending.clear();
        pendingBytes = 0;
        rewind(first, gone);
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

    /** A flush that failed for a reason a later attempt may not have, such as an unreachable registry. */
    static final class RetryableFlushException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetryableFlushException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static Precision precision(String text) {
        try {
            return Precision.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Precision.UNKNOWN;
        }
    }

    private static HostInfo hostInfo() {
        String hostName;
        try {
            hostName = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            hostName = "unknown";
        }
        return new HostInfo(hostName, System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(),
                Runtime.version().toString());
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
