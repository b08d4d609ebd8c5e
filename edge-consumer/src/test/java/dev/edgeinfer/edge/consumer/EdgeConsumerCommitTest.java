package dev.edgeinfer.edge.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.edge.engine.BatchResult;
import dev.edgeinfer.edge.engine.EngineDescription;
import dev.edgeinfer.edge.engine.FrameBatch;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.InferenceTimings;
import dev.edgeinfer.edge.engine.Scores;
import dev.edgeinfer.edge.engine.Ticker;
import dev.edgeinfer.schemas.registry.InMemorySchemaRegistryClient;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the loop commits in exactly-once mode, with Kafka's mock clients and an engine that answers at once (unit tests
 * only: {@code EdgeConsumerIT} and {@code EdgeConsumerKillIT} prove delivery against a real broker).
 */
class EdgeConsumerCommitTest {
    private static final String SCOPE = "edge-consumer-commit-test";
    private static final Map<String, String> SERDE = Map.of("schema.registry.url", "mock://" + SCOPE);
    private static final String FRAMES = "frames";
    private static final String PREDICTIONS = "predictions";
    private static final String DEAD_LETTERS = "dead-letters";
    private static final TopicPartition PARTITION = new TopicPartition(FRAMES, 0);
    private static final int FLUSH = 8;
    private static final int POLLS = 5;
    private static final List<String> CLASSES = IntStream.range(0, 10).mapToObj(i -> "class" + i).toList();

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistryClient.dropScope(SCOPE);
    }

    @Test
    void aTransactionSpansEveryFlushOfItsCommitInterval() throws Exception {
        MockProducer<String, byte[]> producer = producer();
        try (Loop loop = start(producer, Duration.ofHours(1), Batching.FIXED)) {
            loop.awaitSent(FLUSH * POLLS);
            // Every flush was written into the one open transaction; nothing is committed before the interval ends.
            assertThat(producer.commitCount()).isZero();
            assertThat(producer.transactionInFlight()).isTrue();
        }
        // Stopping commits what was written.
        assertThat(producer.commitCount()).isEqualTo(1);
        assertEveryFrameCommittedOnce(producer);
    }

    @Test
    void aCommitIntervalOfZeroCommitsEveryFlush() throws Exception {
        MockProducer<String, byte[]> producer = producer();
        try (Loop loop = start(producer, Duration.ZERO, Batching.FIXED)) {
            loop.awaitCommitted(FLUSH * POLLS);
        }
        // One commit per flush written, and one before them: the first write carries only the heartbeat, while the
        // first frames are still being classified.
        assertThat(producer.commitCount()).isEqualTo(POLLS + 1);
        assertEveryFrameCommittedOnce(producer);
    }

    @Test
    void adaptiveBatchingClassifiesAndCommitsAtOnceWhenTheFetchIsDrainedWhateverTheWaitAndInterval() throws Exception {
        MockProducer<String, byte[]> producer = producer();
        // Neither a flush's worth of frames nor the longest wait nor the commit interval is ever reached: only the
        // drained fetch and the idle loop can send these frames on and commit them.
        try (Loop loop = start(producer, Duration.ofHours(1), Batching.ADAPTIVE, 1_000, Duration.ofHours(1))) {
            loop.awaitCommitted(FLUSH * POLLS);
            assertThat(producer.transactionInFlight()).as("nothing left open once idle").isFalse();
        }
        assertEveryFrameCommittedOnce(producer);
    }

    @Test
    void fixedBatchingWaitsForAFlushsWorthOfFrames() throws Exception {
        MockProducer<String, byte[]> producer = producer();
        try (Loop loop = start(producer, Duration.ofHours(1), Batching.FIXED, 1_000, Duration.ofHours(1))) {
            Thread.sleep(500);
            assertThat(producer.history()).isEmpty();
            assertThat(producer.uncommittedRecords()).noneMatch(record -> record.topic().equals(PREDICTIONS));
        }
        // Stopping classifies and commits what was received.
        assertEveryFrameCommittedOnce(producer);
    }

    @Test
    void aPredictionLargerThanItsTopicTakesIsDeadLetteredBeforeItIsSentAndTheLoopGoesOn() throws Exception {
        MockProducer<String, byte[]> producer = producer();
        // Every seventh frame has a long id (within the frame id limit): its prediction is over the topic's 600 bytes.
        IntFunction<String> ids = i -> i % 7 == 0 ? "frame-" + i + "-" + "x".repeat(240) : "frame-" + i;
        TopicLimits limits = topics -> Map.of(PREDICTIONS, 600);
        try (Loop loop = start(producer, Duration.ZERO, Batching.ADAPTIVE, FLUSH, Duration.ofMillis(10), limits, ids)) {
            loop.awaitCommitted(FLUSH * POLLS - (FLUSH * POLLS + 6) / 7);
        }
        List<String> longIds = IntStream.range(0, FLUSH * POLLS).filter(i -> i % 7 == 0).mapToObj(ids::apply).toList();
        List<String> shortIds = IntStream.range(0, FLUSH * POLLS).filter(i -> i % 7 != 0).mapToObj(ids::apply).toList();
        assertThat(producer.history().stream().filter(r -> r.topic().equals(PREDICTIONS)).map(ProducerRecord::key))
                .containsExactlyInAnyOrderElementsOf(shortIds);
        AvroDeserializer<DeadLetter> letters = AvroDeserializer.forClass(DeadLetter.class);
        letters.configure(SERDE, false);
        List<DeadLetter> deadLetters = producer.history().stream().filter(r -> r.topic().equals(DEAD_LETTERS))
                .map(r -> letters.deserialize(DEAD_LETTERS, r.value())).toList();
        assertThat(deadLetters).extracting(DeadLetter::getFrameId).containsExactlyInAnyOrderElementsOf(longIds);
        assertThat(deadLetters).allSatisfy(letter -> {
            assertThat(letter.getStage()).isEqualTo(FailureStage.PUBLISH);
            assertThat(letter.getReason()).contains("exceeds the limit of 600 bytes (max.message.bytes of topic predictions)");
            assertThat(letter.getOriginalValue()).isNotNull();
        });
        // Nothing was aborted: the records were refused before they were sent.
        assertThat(producer.transactionAborted()).isFalse();
    }

    private static void assertEveryFrameCommittedOnce(MockProducer<String, byte[]> producer) {
        List<String> predicted = producer.history().stream()
                .filter(record -> record.topic().equals(PREDICTIONS))
                .map(ProducerRecord::key)
                .toList();
        assertThat(predicted).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, FLUSH * POLLS).mapToObj(i -> "frame-" + i).toList());
        List<Map<String, Map<TopicPartition, OffsetAndMetadata>>> offsets = producer.consumerGroupOffsetsHistory();
        assertThat(offsets.get(offsets.size() - 1).values()).singleElement()
                .isEqualTo(Map.of(PARTITION, new OffsetAndMetadata(FLUSH * POLLS)));
    }

    private static MockProducer<String, byte[]> producer() {
        return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    /** Runs the loop on its own thread over frames that arrive {@link #FLUSH} at a time, one poll after another. */
    private static Loop start(MockProducer<String, byte[]> producer, Duration commitInterval, Batching batching) {
        return start(producer, commitInterval, batching, FLUSH, Duration.ofMillis(10));
    }

    private static Loop start(MockProducer<String, byte[]> producer, Duration commitInterval, Batching batching,
                              int flushFrames, Duration maxWait) {
        return start(producer, commitInterval, batching, flushFrames, maxWait, TopicLimits.UNKNOWN, i -> "frame-" + i);
    }

    private static Loop start(MockProducer<String, byte[]> producer, Duration commitInterval, Batching batching,
                              int flushFrames, Duration maxWait, TopicLimits limits, IntFunction<String> frameIds) {
        MockConsumer<byte[], ByteBuffer> consumer = new MockConsumer<>("earliest");
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        });
        AvroSerializer<ImageFrame> frames = new AvroSerializer<>();
        frames.configure(SERDE, false);
        for (int poll = 0; poll < POLLS; poll++) {
            int first = poll * FLUSH;
            consumer.schedulePollTask(() -> {
                for (int i = first; i < first + FLUSH; i++) {
                    ImageFrame frame = TestFrames.raw(frameIds.apply(i), 32, 32, new byte[32 * 32 * 3], i % 10, "test", (long) i);
                    consumer.addRecord(new ConsumerRecord<>(FRAMES, 0, i, null, ByteBuffer.wrap(frames.serialize(FRAMES, frame))));
                }
            });
        }
        AvroDeserializer<ImageFrame> deserializer = AvroDeserializer.forClass(ImageFrame.class);
        deserializer.configure(SERDE, false);
        EdgeConsumerSettings settings = new EdgeConsumerSettings("device-1", "test-type", DeliveryMode.EXACTLY_ONCE, batching, flushFrames,
                maxWait, commitInterval, Duration.ofHours(1), FRAMES, PREDICTIONS, DEAD_LETTERS, "heartbeats");
        AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
        values.configure(SERDE, false);
        DeviceClients clients = new DeviceClients(consumer, producer, deserializer, new DeviceRecordSerializer(values),
                Integer.MAX_VALUE, limits);
        EdgeConsumer loop = new EdgeConsumer(settings, clients, new AnsweringEngine(),
                new FrameDecoder(32, 32, CLASSES.size(), "cifar-10"), ModelHandOff.NONE,
                new EdgeMetrics(new SimpleMeterRegistry(), "test-type"),
                Clock.systemUTC(), Ticker.SYSTEM);
        Thread thread = new Thread(loop, "edge-loop-commit-test");
        thread.start();
        return new Loop(loop, producer);
    }

    private record Loop(EdgeConsumer loop, MockProducer<String, byte[]> producer) implements AutoCloseable {
        void awaitSent(int predictions) throws InterruptedException {
            await("predictions sent", () -> predictions(producer.uncommittedRecords()) + predictions(producer.history()),
                    predictions);
        }

        void awaitCommitted(int predictions) throws InterruptedException {
            await("predictions committed", loop::framesProcessed, predictions);
        }

        private static long predictions(List<ProducerRecord<String, byte[]>> records) {
            return records.stream().filter(record -> record.topic().equals(PREDICTIONS)).count();
        }

        private static void await(String what, LongSupplier count, int expected) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count.getAsLong() < expected && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(count.getAsLong()).as(what).isEqualTo(expected);
        }

        @Override
        public void close() throws InterruptedException {
            loop.stop();
            assertThat(loop.awaitStopped(Duration.ofSeconds(30))).as("loop stopped").isTrue();
        }
    }

    /** Answers every batch at once, with the same scores for every frame: here only one prediction per frame counts. */
    private static final class AnsweringEngine implements InferenceEngine {
        @Override
        public EngineDescription describe() {
            return new EngineDescription("test", "1", "CPU", "test CPU", "model", "1", "test-int8", "INT8", "0".repeat(64),
                    Map.of());
        }

        @Override
        public int maxBatch() {
            return FLUSH;
        }

        @Override
        public BatchResult infer(FrameBatch batch) {
            float[] outputs = new float[batch.count() * CLASSES.size()];
            return new BatchResult(Scores.predictions(outputs, batch.count(), true, 3, CLASSES), new InferenceTimings(0, 0, 0));
        }

        @Override
        public CompletableFuture<BatchResult> submit(FrameBatch batch) {
            return CompletableFuture.completedFuture(infer(batch));
        }

        @Override
        public void close() {
        }
    }
}
