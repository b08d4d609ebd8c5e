package dev.edgeinfer.producer.fleet;

import dev.edgeinfer.producer.PublishProgress;
import dev.edgeinfer.producer.rate.LagRecorder;
import dev.edgeinfer.producer.rate.Pacer;
import dev.edgeinfer.schemas.serde.AvroSerdeException;
import dev.edgeinfer.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated fleet of edge devices writing predictions, heartbeats and dead letters to Kafka at a planned rate, as
 * the real edge consumers would, for sizing and testing the analytics without hardware.
 *
 * <p>Every device type predicts every frame once, by one of its devices in turn; what each type answers, and when,
 * follows from the {@link FleetSettings} and their seed alone (see {@link FleetSchedule}). Records are sent when they
 * are due, never waiting for acknowledgements (open loop): a simulator that cannot keep up shows lag behind its plan,
 * and predictions carry the frame's planned broker time, so the analytics see that lag as end-to-end latency.
 *
 * <p>Errors: a retriable failure while handing a record to Kafka (registry or cluster briefly unreachable) is logged
 * and the record is handed over again; a record whose delivery the producer itself gave up on is counted as a send
 * error; anything else stops the run with a {@link FleetException}.
 */
public final class FleetSimulation {

    private static final Logger log = LoggerFactory.getLogger(FleetSimulation.class);
    private static final Duration FIRST_RETRY_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Send errors logged one by one; beyond this only every thousandth, so an outage does not flood the log. */
    private static final long DETAILED_FAILURES = 10;

    private final Producer<String, SpecificRecord> producer;
    private final FleetSettings settings;
    private final Pacer.Ticker ticker;
    private final Clock clock;
    private final FleetRecords records;
    private final FleetSchedule schedule;
    private final FleetCounters counters;
    private final LagRecorder lag = new LagRecorder();
    private final AtomicReference<FleetException> fatal = new AtomicReference<>();
    private volatile boolean stopRequested;
    private volatile long startNanos;

    /**
     * @param producer the Kafka producer, values through the project's Avro serializer; not closed here
     * @param settings the fleet
     * @param ticker   monotonic clock the plan runs on
     * @param clock    wall clock for the records' times
     */
    public FleetSimulation(Producer<String, SpecificRecord> producer, FleetSettings settings, Pacer.Ticker ticker,
                           Clock clock) {
        this.producer = producer;
        this.settings = settings;
        this.ticker = ticker;
        this.clock = clock;
        this.records = new FleetRecords(settings);
        this.schedule = new FleetSchedule(settings, new FleetGenerator(settings));
        this.counters = new FleetCounters(settings.types().size());
    }

    /**
     * Runs a simulation against a cluster: creates the producer ({@link FleetClients#createProducer}), simulates until
     * a limit of the settings is reached, waits for every record to be acknowledged and closes the producer. The
     * topics must exist ({@link FleetClients#ensureTopics}).
     *
     * @param clientConfig addresses and security, from {@link dev.edgeinfer.schemas.config.ClientConfig#load}
     * @param settings     the fleet; it needs a duration or a number of predictions, or it never ends
     * @return what was written
     * @throws FleetException if the simulation cannot go on; the message names the record and topic
     * @throws InterruptedException if interrupted while waiting for a record to be due
     */
    public static FleetSummary run(Map<String, Object> clientConfig, FleetSettings settings) throws InterruptedException {
        try (KafkaProducer<String, SpecificRecord> producer = FleetClients.createProducer(clientConfig, null, settings)) {
            return new FleetSimulation(producer, settings, Pacer.Ticker.SYSTEM, Clock.systemUTC()).run();
        }
    }

    /**
     * Sends until the duration is over and its last results are sent, the number of predictions is reached, or
     * {@link #stop()} is called; then waits for every record sent to be acknowledged.
     *
     * @return what was written
     * @throws FleetException if the simulation cannot go on
     * @throws InterruptedException if interrupted while waiting for a record to be due
     */
    public FleetSummary run() throws InterruptedException {
        warmUp();
        startNanos = ticker.nanoTime();
        Instant wallStart = clock.instant();
        long lastSendNanos = startNanos;
        String stopReason;
        while (true) {
            stopReason = limitReached();
            if (stopReason != null) {
                break;
            }
            FleetSchedule.Due due = schedule.next();
            if (due == null) {
                stopReason = "duration reached";
                break;
            }
            long late = Pacer.awaitNanos(ticker, startNanos + due.dueNanos(), this::shouldStop);
            if (late < 0) {
                continue;
            }
            lag.record(late);
            if (send(toRecord(due, wallStart), callback(due))) {
                counters.sent(!due.isHeartbeat() && due.result().predicted(), !due.isHeartbeat());
                lastSendNanos = ticker.nanoTime();
            }
        }
        throwIfFatal();
        producer.flush();
        throwIfFatal();
        return summary(ticker.nanoTime() - startNanos, lastSendNanos - startNanos, stopReason);
    }

    /** Asks a running {@link #run()} to stop after the current record; it still waits for those sent. Thread-safe. */
    public void stop() {
        stopRequested = true;
    }

    /** Predictions sent and acknowledged so far, for a progress display; safe from any thread. */
    public PublishProgress progress() {
        long start = startNanos;
        return new PublishProgress(counters.predictionsSent(), counters.predictionsWritten(), counters.sendErrors(), 0,
                settings.predictions() > 0 ? settings.predictions() : -1,
                start == 0 ? Duration.ZERO : Duration.ofNanos(ticker.nanoTime() - start), lag.snapshot().latest());
    }

    private String limitReached() {
        if (fatal.get() != null) {
            return "failed";
        }
        if (stopRequested) {
            return "stopped";
        }
        if (settings.predictions() > 0 && counters.predictionsSent() >= settings.predictions()) {
            return "predictions reached";
        }
        return null;
    }

    private boolean shouldStop() {
        return stopRequested || fatal.get() != null;
    }

    private ProducerRecord<String, SpecificRecord> toRecord(FleetSchedule.Due due, Instant wallStart) {
        if (due.isHeartbeat()) {
            return new ProducerRecord<>(Topics.HEARTBEATS, records.deviceId(due.heartbeatDevice()),
                    records.heartbeat(due.heartbeatDevice(), due.dueNanos() / 1_000_000, wallStart.plusNanos(due.dueNanos())));
        }
        Instant frameTime = wallStart.plusNanos(due.frameNanos());
        String frameId = due.frame().frameId();
        return due.result().predicted()
                ? new ProducerRecord<>(Topics.PREDICTIONS, frameId, records.prediction(due.frame(), due.result(), frameTime))
                : new ProducerRecord<>(Topics.DEAD_LETTERS, frameId, records.deadLetter(due.frame(), due.result(), frameTime));
    }

    /** Hands one record to Kafka, retrying retriable failures; false if a stop came first. */
    private boolean send(ProducerRecord<String, SpecificRecord> record, Callback callback) throws InterruptedException {
        Duration backoff = FIRST_RETRY_BACKOFF;
        while (!shouldStop()) {
            try {
                producer.send(record, callback);
                return true;
            } catch (AvroSerdeException e) {
                if (!e.isRetriable()) {
                    throw new FleetException("Record " + record.key() + " for topic " + record.topic()
                            + " cannot be serialized: " + e.getMessage(), e);
                }
                log.warn("Record {} for topic {}: {}; retrying in {} ms", record.key(), record.topic(), e.getMessage(),
                        backoff.toMillis());
            } catch (InterruptException e) {
                InterruptedException interrupted = new InterruptedException("interrupted while sending record "
                        + record.key() + " to topic " + record.topic());
                interrupted.initCause(e);
                throw interrupted;
            } catch (RetriableException e) {
                log.warn("Record {} could not be handed to Kafka for topic {}: {}; retrying in {} ms", record.key(),
                        record.topic(), e.toString(), backoff.toMillis());
            } catch (KafkaException e) {
                throw new FleetException("Kafka refused record " + record.key() + " for topic " + record.topic() + ": " + e, e);
            }
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY_BACKOFF) > 0 ? MAX_RETRY_BACKOFF : backoff.multipliedBy(2);
        }
        return false;
    }

    /** Counts the record as written once acknowledged, by kind and device type. */
    private Callback callback(FleetSchedule.Due due) {
        if (due.isHeartbeat()) {
            return (metadata, exception) -> {
                if (exception == null) {
                    counters.heartbeatWritten();
                } else {
                    failed("heartbeat of device " + records.deviceId(due.heartbeatDevice()), Topics.HEARTBEATS, exception);
                }
            };
        }
        SimulatedFrame.TypeResult result = due.result();
        boolean labelled = due.frame().labelled();
        boolean right = result.predictedClass() == due.frame().truth();
        String topic = result.predicted() ? Topics.PREDICTIONS : Topics.DEAD_LETTERS;
        return (metadata, exception) -> {
            if (exception != null) {
                failed("result of frame " + due.frame().frameId() + " by type "
                        + settings.types().get(result.typeIndex()).name(), topic, exception);
            } else if (result.predicted()) {
                counters.predictionWritten(result.typeIndex(), labelled, right);
            } else {
                counters.deadLetterWritten(result.typeIndex());
            }
        };
    }

    private void failed(String what, String topic, Exception exception) {
        long count = counters.failed();
        if (!(exception instanceof RetriableException)) {
            fatal.compareAndSet(null, new FleetException("Kafka refused the " + what + " for topic " + topic + ": "
                    + exception, exception));
        } else if (count <= DETAILED_FAILURES || count % 1000 == 0) {
            log.warn("The {} was not delivered to {} before delivery.timeout.ms ran out ({} failed so far): {}",
                    what, topic, count, exception.toString());
        }
    }

    /**
     * Fetches the topics' metadata before the plan starts, so the first records are not late by a metadata round
     * trip and a missing or forbidden topic fails before anything is sent.
     */
    private void warmUp() {
        for (String topic : new String[] {Topics.PREDICTIONS, Topics.HEARTBEATS, Topics.DEAD_LETTERS}) {
            try {
                producer.partitionsFor(topic);
            } catch (KafkaException e) {
                throw new FleetException("Cannot get the partitions of topic " + topic + ": " + e, e);
            }
        }
    }

    private void throwIfFatal() {
        FleetException failure = fatal.get();
        if (failure != null) {
            throw failure;
        }
    }

    private FleetSummary summary(long elapsedNanos, long sendNanos, String stopReason) {
        LagRecorder.LagStats lagStats = lag.snapshot();
        double sendSeconds = sendNanos / 1e9;
        return new FleetSummary(settings.seed(), settings.devices(), settings.reference().name(),
                settings.predictionRate(), schedule.framesStarted(), counters.predictionsWritten(),
                counters.heartbeatsWritten(), counters.deadLettersWritten(), counters.sendErrors(),
                counters.perType(settings), elapsedNanos / 1e9, sendSeconds,
                rate(counters.resultsSent(), sendSeconds), rate(counters.recordsSent(), sendSeconds),
                millis(lagStats.median()), millis(lagStats.p99()), millis(lagStats.max()), stopReason);
    }

    /** Sent per second counted as intervals (n - 1), so a run that kept its plan shows exactly the planned rate. */
    private static double rate(long sent, double seconds) {
        return sent < 2 || seconds <= 0 ? 0 : (sent - 1) / seconds;
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }
}
