package dev.edgeinfer.producer;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.producer.rate.LagRecorder;
import dev.edgeinfer.producer.rate.Pacer;
import dev.edgeinfer.producer.source.BadImageException;
import dev.edgeinfer.producer.source.ImageSource;
import dev.edgeinfer.producer.source.SourceException;
import dev.edgeinfer.producer.source.SourceImage;
import dev.edgeinfer.schemas.serde.AvroSerdeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending loop: reads images from a source, turns them into frames and hands them to Kafka when the
 * {@link dev.edgeinfer.producer.rate.SendPlan} says they are due.
 *
 * <p>Errors are split three ways. A bad image is reported with its file name and skipped (or ends the run under
 * {@code --strict}, where every image is checked before the first send so nothing reaches the topic). A retriable
 * failure (registry or cluster briefly unreachable while sending) is logged and the frame is sent again; a frame whose
 * delivery the producer itself gave up on is counted as failed. Anything else (authorization, an unsupported broker,
 * a refused schema) stops the run with a {@link PublishException}.
 *
 * <p>A frame's {@code captureTime} is the time it was due by the plan when paced, so latency measured from it
 * includes any lag of the producer behind its plan; unpaced, it is the time the frame was read.
 */
public final class FramePublisher {

    private static final Logger log = LoggerFactory.getLogger(FramePublisher.class);

    private static final Duration FIRST_RETRY_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(5);
    /** Failures logged one by one; beyond this only every thousandth, so an outage does not flood the log. */
    private static final long DETAILED_FAILURES = 10;

    private final Producer<String, ImageFrame> producer;
    private final ImageSource source;
    private final PublishSettings settings;
    private final Pacer.Ticker ticker;
    private final Clock clock;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicReference<PublishException> fatal = new AtomicReference<>();
    private final LagRecorder lag = new LagRecorder();
    private volatile boolean stopRequested;
    private volatile long startNanos;
    private long bytes;
    /** Bad images already reported, so a looping run names each once. */
    private final java.util.Set<String> reportedBadImages = new java.util.HashSet<>();

    /**
     * @param producer the Kafka producer; not closed here
     * @param source   the images; not closed here
     * @param settings how to publish
     * @param ticker   monotonic clock the plan runs on
     * @param clock    wall clock for frames' capture times
     */
    public FramePublisher(Producer<String, ImageFrame> producer, ImageSource source, PublishSettings settings,
                          Pacer.Ticker ticker, Clock clock) {
        this.producer = producer;
        this.source = source;
        this.settings = settings;
        this.ticker = ticker;
        this.clock = clock;
    }

    /**
     * Publishes until the count, the duration or the source is exhausted, or {@link #stop()} is called; then waits
     * for every sent frame to be acknowledged.
     *
     * @return what the run did
     * @throws PublishException if publishing cannot go on; the message names the frame or file
     * @throws SourceException if no image of the source can be read
     * @throws InterruptedException if interrupted while waiting for a frame to be due
     */
    public PublishSummary run() throws InterruptedException {
        if (settings.strict()) {
            checkEveryImage();
        }
        PassOrder order = new PassOrder(source.size(), settings.shuffle(), settings.seed());
        warmUp();
        startNanos = ticker.nanoTime();
        Instant wallStart = clock.instant();
        Pacer pacer = new Pacer(settings.plan(), ticker, startNanos);
        long lastSend = 0;
        long sequence = 0;
        String stopReason = "source exhausted";
        while (true) {
            String limit = limitReached(sequence, pacer);
            if (limit != null) {
                stopReason = limit;
                break;
            }
            SourceImage image = nextImage(order);
            if (image == null) {
                break;
            }
            long lateNanos = pacer.awaitDue(sequence, this::shouldStop);
            if (lateNanos < 0) {
                continue;
            }
            if (settings.plan().isPaced()) {
                lag.record(lateNanos);
            }
            Instant captureTime = settings.plan().isPaced()
                    ? wallStart.plusNanos(pacer.dueNanos(sequence) - startNanos)
                    : clock.instant();
            if (!send(image.toFrame(settings.frameId(sequence), settings.producerId(), captureTime), image.where())) {
                continue;
            }
            lastSend = ticker.nanoTime();
            sequence++;
        }
        throwIfFatal();
        producer.flush();
        throwIfFatal();
        long endNanos = ticker.nanoTime();
        return new PublishSummary(source.description(), sent.get(), acked.get(), failed.get(), skipped.get(), bytes,
                Duration.ofNanos(endNanos - startNanos), Duration.ofNanos(sequence == 0 ? 0 : lastSend - startNanos),
                settings.plan().fps(), lag.snapshot(), stopReason);
    }

    /** Asks a running {@link #run()} to stop after the current frame; it still waits for sent frames. Thread-safe. */
    public void stop() {
        stopRequested = true;
    }

    /** The counters so far; safe from any thread. */
    public PublishProgress progress() {
        long start = startNanos;
        return new PublishProgress(sent.get(), acked.get(), failed.get(), skipped.get(), expectedTotal(),
                start == 0 ? Duration.ZERO : Duration.ofNanos(ticker.nanoTime() - start), lag.snapshot().latest());
    }

    private long expectedTotal() {
        if (settings.count() > 0) {
            return settings.loop() ? settings.count() : Math.min(settings.count(), source.size());
        }
        return settings.loop() || settings.duration() != null ? -1 : source.size();
    }

    private boolean shouldStop() {
        return stopRequested || fatal.get() != null;
    }

    /** Why the run ends before frame {@code sequence}, or null to go on. */
    private String limitReached(long sequence, Pacer pacer) {
        if (stopRequested) {
            return "stopped";
        }
        if (fatal.get() != null) {
            return "failed";
        }
        if (settings.count() > 0 && sequence >= settings.count()) {
            return "count reached";
        }
        Duration duration = settings.duration();
        if (duration != null) {
            long elapsed = settings.plan().isPaced() ? pacer.offsetNanos(sequence) : ticker.nanoTime() - startNanos;
            if (elapsed >= duration.toNanos()) {
                return "duration reached";
            }
        }
        return null;
    }

    /** The next good image, starting a new pass when looping; null when the source is exhausted. */
    private SourceImage nextImage(PassOrder order) {
        long badInARow = 0;
        while (true) {
            if (!order.hasNext()) {
                if (!settings.loop()) {
                    return null;
                }
                order.startPass();
            }
            try {
                return source.read(order.next());
            } catch (BadImageException e) {
                skipped.incrementAndGet();
                if (reportedBadImages.add(e.where())) {
                    log.warn("Skipping bad input {}", e.getMessage());
                }
                if (++badInARow >= source.size()) {
                    throw new SourceException("No image of " + source.description() + " can be published; see the warnings above");
                }
            }
        }
    }

    /**
     * Fetches the topic's metadata before the plan starts, so the first frame is not late by a metadata round trip
     * and a missing or forbidden topic fails before anything is sent.
     */
    private void warmUp() {
        try {
            producer.partitionsFor(settings.topic());
        } catch (KafkaException e) {
            throw new PublishException("Cannot get the partitions of topic " + settings.topic() + ": " + e, e);
        }
    }

    private void checkEveryImage() {
        log.info("Checking all {} image(s) of {} before sending (--strict)", source.size(), source.description());
        for (int i = 0; i < source.size(); i++) {
            try {
                source.read(i);
            } catch (BadImageException e) {
                throw new PublishException("Bad input, nothing was sent (--strict): " + e.getMessage(), e);
            }
        }
    }

    /** Hands one frame to Kafka, retrying retriable failures; false if a stop came first. */
    private boolean send(ImageFrame frame, String where) throws InterruptedException {
        String key = settings.key() == KeyChoice.FRAME_ID ? frame.getFrameId() : frame.getProducerId();
        ProducerRecord<String, ImageFrame> record = new ProducerRecord<>(settings.topic(), key, frame);
        Duration backoff = FIRST_RETRY_BACKOFF;
        while (!shouldStop()) {
            try {
                producer.send(record, callback(frame.getFrameId(), where));
                sent.incrementAndGet();
                bytes += frame.getPixels().remaining();
                return true;
            } catch (AvroSerdeException e) {
                if (!e.isRetriable()) {
                    throw new PublishException("Frame " + frame.getFrameId() + " (" + where + ") cannot be serialized: "
                            + e.getMessage(), e);
                }
                log.warn("Frame {} ({}): {}; retrying in {} ms", frame.getFrameId(), where, e.getMessage(), backoff.toMillis());
            } catch (InterruptException e) {
                InterruptedException interrupted = new InterruptedException("interrupted while sending frame " + frame.getFrameId());
                interrupted.initCause(e);
                throw interrupted;
            } catch (RetriableException e) {
                log.warn("Frame {} ({}) could not be handed to Kafka: {}; retrying in {} ms",
                        frame.getFrameId(), where, e.toString(), backoff.toMillis());
            } catch (KafkaException e) {
                throw new PublishException("Kafka refused frame " + frame.getFrameId() + " (" + where + ") for topic "
                        + settings.topic() + ": " + e, e);
            }
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY_BACKOFF) > 0 ? MAX_RETRY_BACKOFF : backoff.multipliedBy(2);
        }
        return false;
    }

    private Callback callback(String frameId, String where) {
        return (metadata, exception) -> {
            if (exception == null) {
                acked.incrementAndGet();
            } else if (exception instanceof RecordTooLargeException && !settings.strict()) {
                // Refused before it left the producer: bad input, not a delivery failure.
                sent.decrementAndGet();
                skipped.incrementAndGet();
                log.warn("Skipping bad input {}: frame {} is larger than the producer or broker accepts ({})",
                        where, frameId, exception.getMessage());
            } else if (exception instanceof RetriableException) {
                long count = failed.incrementAndGet();
                if (count <= DETAILED_FAILURES || count % 1000 == 0) {
                    log.warn("Frame {} ({}) was not delivered before delivery.timeout.ms ran out ({} failed so far): {}",
                            frameId, where, count, exception.toString());
                }
            } else {
                failed.incrementAndGet();
                fatal.compareAndSet(null, new PublishException("Kafka refused frame " + frameId + " (" + where
                        + ") for topic " + settings.topic() + ": " + exception, exception));
            }
        };
    }

    private void throwIfFatal() {
        PublishException failure = fatal.get();
        if (failure != null) {
            throw failure;
        }
    }
}
