package dev.edgeinfer.demo.sweep;

import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscriber to the predictions topic as any reader downstream of the devices is: {@code read_committed}, on its own
 * thread, from the topic's end when it starts. It reads the frames topic too, as a bare Kafka reader with nothing to
 * do: frame append to its receipt is one hop through this broker on this machine, the floor under every figure below. For every prediction it records, per device type and per phase of a run
 * (the phase whose start is the latest at or before the frame's append time), three latencies:
 * <ul>
 *   <li>frame append to prediction append, both the broker's clock ({@code LogAppendTime}), what the analytics call
 *       end to end;</li>
 *   <li>frame append to the moment this reader received the prediction: what a {@code read_committed} subscriber sees,
 *       commit included (this host's clock against the broker's, so meaningful where they are one machine or
 *       synchronised);</li>
 *   <li>where the time went: frame append to the device's receipt (the fetch), the frame's wait on the device before
 *       its batch started, the inference time of its batch, its whole time on the device (receipt to hand-off to the
 *       producer), and the hand-off to the prediction's append (the write); the fetch and the write compare the
 *       device's clock with the broker's, so they mean something where the two are one machine.</li>
 * </ul>
 */
public final class PredictionLatencies implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PredictionLatencies.class);
    /** Longest latency recorded exactly: an hour, in microseconds. */
    private static final long HIGHEST_MICROS = Duration.ofHours(1).toNanos() / 1_000;

    /** What one device type did in one phase. */
    public static final class Tally {
        final Histogram appendToAppend = new Histogram(HIGHEST_MICROS, 3);
        final Histogram receipt = new Histogram(HIGHEST_MICROS, 3);
        final Histogram inference = new Histogram(HIGHEST_MICROS, 3);
        final Histogram queue = new Histogram(HIGHEST_MICROS, 3);
        final Histogram onDevice = new Histogram(HIGHEST_MICROS, 3);
        final Histogram fetch = new Histogram(HIGHEST_MICROS, 3);
        final Histogram write = new Histogram(HIGHEST_MICROS, 3);
        long batchFrames;
        long firstFrameAppend = Long.MAX_VALUE;
        long lastPredictionAppend = Long.MIN_VALUE;

        public long frames() {
            return appendToAppend.getTotalCount();
        }

        /** Frames over the time from the first frame's append to the last prediction's; null under two frames. */
        public Double framesPerSecond() {
            long millis = lastPredictionAppend - firstFrameAppend;
            return frames() < 2 || millis <= 0 ? null : frames() * 1000.0 / millis;
        }

        public double meanBatch() {
            return frames() == 0 ? 0 : (double) batchFrames / frames();
        }

        public Histogram appendToAppend() {
            return appendToAppend;
        }

        public Histogram receipt() {
            return receipt;
        }

        public Histogram inference() {
            return inference;
        }

        public Histogram queue() {
            return queue;
        }

        public Histogram onDevice() {
            return onDevice;
        }

        public Histogram fetch() {
            return fetch;
        }

        public Histogram write() {
            return write;
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroDeserializer<Prediction> predictions;
    private final String topic;
    private final String framesTopic;
    private final Thread thread;
    /** Phase start (epoch milliseconds, broker clock) to phase name; guarded by {@code this}, as are the tallies. */
    private final TreeMap<Long, String> phases = new TreeMap<>();
    private final Map<String, Map<String, Tally>> tallies = new HashMap<>();
    private final Map<String, Histogram> hops = new HashMap<>();
    private volatile boolean assigned;
    private volatile RuntimeException failure;

    /** Starts reading {@code topic} and {@code framesTopic} from their ends, with the run's client settings. */
    public PredictionLatencies(Map<String, Object> clientProperties, String topic, String framesTopic) {
        Map<String, Object> configs = new HashMap<>(clientProperties);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.predictions = AvroDeserializer.forClass(Prediction.class);
        predictions.configure(configs, false);
        this.consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.framesTopic = framesTopic;
        this.thread = new Thread(this::read, "prediction-latencies");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the reader has taken its position at the topic's end, so that what is sent next is seen. */
    public void awaitAssigned(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!assigned) {
            rethrow();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the predictions reader found no partitions of " + topic + " within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Predictions of frames appended from {@code start} on count for {@code name}, until the next phase begins. */
    public synchronized void beginPhase(String name, Instant start) {
        phases.put(start.toEpochMilli(), name);
    }

    /** Frames each device type predicted in phase {@code name} so far. */
    public synchronized Map<String, Long> frames(String name) {
        Map<String, Long> frames = new TreeMap<>();
        tallies.getOrDefault(name, Map.of()).forEach((type, tally) -> frames.put(type, tally.frames()));
        return frames;
    }

    /** Frame append to a bare reader's receipt in phase {@code name}, microseconds: one Kafka hop. */
    public synchronized Histogram kafkaHop(String name) {
        Histogram copy = new Histogram(HIGHEST_MICROS, 3);
        Histogram hop = hops.get(name);
        if (hop != null) {
            copy.add(hop);
        }
        return copy;
    }

    /** A copy of every device type's tally of phase {@code name}. */
    public synchronized Map<String, Tally> tallies(String name) {
        Map<String, Tally> copy = new TreeMap<>();
        tallies.getOrDefault(name, Map.of()).forEach((type, tally) -> {
            Tally snapshot = new Tally();
            snapshot.appendToAppend.add(tally.appendToAppend);
            snapshot.receipt.add(tally.receipt);
            snapshot.inference.add(tally.inference);
            snapshot.queue.add(tally.queue);
            snapshot.onDevice.add(tally.onDevice);
            snapshot.fetch.add(tally.fetch);
            snapshot.write.add(tally.write);
            snapshot.batchFrames = tally.batchFrames;
            snapshot.firstFrameAppend = tally.firstFrameAppend;
            snapshot.lastPredictionAppend = tally.lastPredictionAppend;
            copy.put(type, snapshot);
        });
        return copy;
    }

    private void read() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String name : List.of(topic, framesTopic)) {
                consumer.partitionsFor(name, Duration.ofSeconds(60))
                        .forEach(info -> partitions.add(new TopicPartition(name, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            assigned = true;
            while (true) {
                var records = consumer.poll(Duration.ofMillis(500));
                long receivedMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.topic().equals(framesTopic)) {
                        hop(record.timestamp(), receivedMicros);
                    } else {
                        record(record.timestamp(), predictions.deserialize(record.topic(), record.headers(), record.value()),
                                receivedMicros);
                    }
                }
            }
        } catch (WakeupException e) {
            // Closed.
        } catch (RuntimeException e) {
            failure = e;
            log.error("reading predictions from {} failed", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void hop(long frameAppend, long receivedMicros) {
        Map.Entry<Long, String> phase = phases.floorEntry(frameAppend);
        if (phase != null) {
            hops.computeIfAbsent(phase.getValue(), name -> new Histogram(HIGHEST_MICROS, 3))
                    .recordValue(clamp(receivedMicros - frameAppend * 1_000));
        }
    }

    private synchronized void record(long predictionAppend, Prediction prediction, long receivedMicros) {
        long frameAppend = prediction.getFrameTimestamp().toEpochMilli();
        Map.Entry<Long, String> phase = phases.floorEntry(frameAppend);
        if (phase == null) {
            return;
        }
        Tally tally = tallies.computeIfAbsent(phase.getValue(), name -> new HashMap<>())
                .computeIfAbsent(prediction.getDeviceType(), type -> new Tally());
        tally.appendToAppend.recordValue(clamp((predictionAppend - frameAppend) * 1_000));
        tally.receipt.recordValue(clamp(receivedMicros - frameAppend * 1_000));
        tally.inference.recordValue(clamp(prediction.getTimings().getInferenceMicros()));
        tally.queue.recordValue(clamp(prediction.getTimings().getQueueWaitMicros()));
        tally.onDevice.recordValue(clamp(prediction.getTimings().getTotalOnDeviceMicros()));
        tally.fetch.recordValue(clamp((prediction.getReceivedTime().toEpochMilli() - frameAppend) * 1_000));
        tally.write.recordValue(clamp((predictionAppend - prediction.getPublishTime().toEpochMilli()) * 1_000));
        tally.batchFrames += prediction.getBatchSize();
        tally.firstFrameAppend = Math.min(tally.firstFrameAppend, frameAppend);
        tally.lastPredictionAppend = Math.max(tally.lastPredictionAppend, predictionAppend);
    }

    private static long clamp(long micros) {
        return Math.max(0, Math.min(HIGHEST_MICROS, micros));
    }

    private void rethrow() {
        if (failure != null) {
            throw new IllegalStateException("the predictions reader failed: " + failure, failure);
        }
    }

    /** Throws if the reader failed. */
    public void check() {
        rethrow();
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(10_000);
    }
}
