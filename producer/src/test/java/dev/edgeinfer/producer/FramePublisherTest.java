package dev.edgeinfer.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.producer.rate.FakeTicker;
import dev.edgeinfer.producer.rate.SendPlan;
import dev.edgeinfer.producer.source.Cifar10Source;
import dev.edgeinfer.producer.source.FileImageSource;
import dev.edgeinfer.producer.source.ImageSize;
import dev.edgeinfer.producer.source.ImageSource;
import dev.edgeinfer.producer.source.TestImages;
import dev.edgeinfer.schemas.serde.AvroSerdeException;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FramePublisherTest {

    private static final Instant WALL_START = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final FakeTicker ticker = new FakeTicker();
    private ImageSource cifar;

    @BeforeEach
    void writeData() {
        TestImages.writeCifarBatches(dir.resolve("cifar"), 3);
        cifar = Cifar10Source.open(dir.resolve("cifar"), Cifar10Source.Split.TEST);
    }

    @Test
    void publishesFramesWithUniqueIdsPlannedCaptureTimesAndTheProjectSerde() throws Exception {
        ScriptedProducer producer = new ScriptedProducer();
        PublishSummary summary = publisher(producer, cifar, settings(new SendPlan(10, 1), 5, null, true)).run();

        List<ProducerRecord<String, ImageFrame>> sent = producer.history();
        assertThat(sent).extracting(r -> r.value().getFrameId())
                .containsExactly("cam-run1-0", "cam-run1-1", "cam-run1-2", "cam-run1-3", "cam-run1-4");
        assertThat(sent).extracting(ProducerRecord::key).containsExactly(
                "cam-run1-0", "cam-run1-1", "cam-run1-2", "cam-run1-3", "cam-run1-4");
        assertThat(sent).extracting(r -> r.value().getSource().getIndex()).containsExactly(0L, 1L, 2L, 0L, 1L);
        assertThat(sent).extracting(r -> r.value().getCaptureTime()).containsExactly(
                WALL_START, WALL_START.plusMillis(100), WALL_START.plusMillis(200), WALL_START.plusMillis(300),
                WALL_START.plusMillis(400));
        ImageFrame first = sent.get(0).value();
        assertThat(first.getProducerId()).isEqualTo("cam");
        assertThat(first.getEncoding()).isEqualTo(PixelEncoding.RAW_RGB8_HWC);
        assertThat(first.getPixels().remaining()).isEqualTo(3072);
        assertThat(first.getGroundTruth()).isEqualTo(cifar.read(0).groundTruth());
        assertThat(first.getLabelSet()).isEqualTo("cifar-10");
        assertThat(first.getSource().getDataset()).isEqualTo("cifar-10/test");
        assertThat(producer.serializedValues.get()).as("every frame went through the Avro serializer").isEqualTo(5);

        assertThat(summary.sent()).isEqualTo(5);
        assertThat(summary.acked()).isEqualTo(5);
        assertThat(summary.failed()).isZero();
        assertThat(summary.stopReason()).isEqualTo("count reached");
        assertThat(summary.sendSpan()).isEqualTo(Duration.ofMillis(400));
        assertThat(summary.sendRate()).isEqualTo(10.0);
        assertThat(summary.bytes()).isEqualTo(5 * 3072);
        assertThat(summary.lag().max()).isZero();
        assertThat(summary.format()).contains("planned 10.0 frames/s", "achieved 10.0 frames/s sending");
    }

    @Test
    void producerIdKeyKeepsOneProducerOnOneKey() throws Exception {
        ScriptedProducer producer = new ScriptedProducer();
        PublishSettings settings = new PublishSettings("frames", "cam", "run1", KeyChoice.PRODUCER_ID, SendPlan.unpaced(),
                0, null, false, false, 0, false);
        publisher(producer, cifar, settings).run();
        assertThat(producer.history()).hasSize(3).extracting(ProducerRecord::key).containsOnly("cam");
    }

    @Test
    void slowSendShowsAsLagWhileLaterFramesKeepTheirPlannedTimes() throws Exception {
        ScriptedProducer producer = new ScriptedProducer();
        producer.onSend = (index, callback) -> {
            if (index == 1) {
                ticker.advance(350_000_000L);
            }
        };
        PublishSummary summary = publisher(producer, cifar, settings(new SendPlan(10, 1), 6, null, true)).run();

        assertThat(producer.history()).extracting(r -> r.value().getCaptureTime())
                .containsExactly(WALL_START, WALL_START.plusMillis(100), WALL_START.plusMillis(200),
                        WALL_START.plusMillis(300), WALL_START.plusMillis(400), WALL_START.plusMillis(500));
        assertThat(summary.lag().max().toMillis()).as("lag histogram keeps 3 digits").isEqualTo(250);
        assertThat(summary.lag().latest()).isZero();
        assertThat(summary.sendSpan()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void pacedDurationSendsTheFramesDueWithinIt() throws Exception {
        ScriptedProducer producer = new ScriptedProducer();
        PublishSummary summary = publisher(producer, cifar, settings(new SendPlan(20, 4), 0, Duration.ofSeconds(1), true)).run();
        assertThat(summary.sent()).isEqualTo(20);
        assertThat(summary.stopReason()).isEqualTo("duration reached");
        assertThat(producer.history().get(7).value().getCaptureTime()).isEqualTo(WALL_START.plusMillis(200));
    }

    @Test
    void shuffleIsAPermutationPerPassAndRepeatsWithTheSeed() throws Exception {
        TestImages.writeCifarBatches(dir.resolve("cifar"), 20);
        ImageSource twenty = Cifar10Source.open(dir.resolve("cifar"), Cifar10Source.Split.TEST);
        PublishSettings shuffled = new PublishSettings("frames", "cam", "run1", KeyChoice.FRAME_ID, SendPlan.unpaced(),
                40, null, true, true, 7, false);
        ScriptedProducer first = new ScriptedProducer();
        publisher(first, twenty, shuffled).run();
        ScriptedProducer second = new ScriptedProducer();
        publisher(second, twenty, shuffled).run();

        List<Long> order = first.history().stream().map(r -> r.value().getSource().getIndex()).toList();
        assertThat(order.subList(0, 20)).containsExactlyInAnyOrderElementsOf(range(20));
        assertThat(order.subList(20, 40)).containsExactlyInAnyOrderElementsOf(range(20));
        assertThat(order.subList(0, 20)).isNotEqualTo(range(20));
        assertThat(order.subList(0, 20)).as("each pass is shuffled anew").isNotEqualTo(order.subList(20, 40));
        assertThat(second.history().stream().map(r -> r.value().getSource().getIndex()).toList()).isEqualTo(order);
    }

    @Test
    void badInputIsSkippedAndNamedOrStopsEverythingUnderStrict() throws Exception {
        Path images = dir.resolve("images");
        TestImages.writeImage(images.resolve("cat/a.png"), "png", 32, 32);
        TestImages.writeImage(images.resolve("cat/b.png"), "png", 20, 20);
        Files.writeString(images.resolve("cat/c.png"), "not a png");
        TestImages.writeImage(images.resolve("dog/d.jpg"), "jpg", 32, 32);
        FileImageSource files = FileImageSource.fromDirectory(images, ImageSize.CIFAR10);

        ScriptedProducer lenient = new ScriptedProducer();
        PublishSummary summary = publisher(lenient, files, settings(SendPlan.unpaced(), 0, null, false)).run();
        assertThat(lenient.history()).extracting(r -> r.value().getSource().getFileName()).containsExactly("cat/a.png", "dog/d.jpg");
        assertThat(lenient.history()).extracting(r -> r.value().getEncoding()).containsExactly(PixelEncoding.PNG, PixelEncoding.JPEG);
        assertThat(lenient.history()).extracting(r -> r.value().getFrameId()).containsExactly("cam-run1-0", "cam-run1-1");
        assertThat(summary.skipped()).isEqualTo(2);
        assertThat(summary.sent()).isEqualTo(2);

        ScriptedProducer strict = new ScriptedProducer();
        PublishSettings strictSettings = new PublishSettings("frames", "cam", "run1", KeyChoice.FRAME_ID, SendPlan.unpaced(),
                0, null, false, false, 0, true);
        assertThatThrownBy(() -> publisher(strict, files, strictSettings).run())
                .isInstanceOf(PublishException.class)
                .hasMessageContaining("nothing was sent")
                .hasMessageContaining("cat/b.png");
        assertThat(strict.history()).as("nothing reaches the topic").isEmpty();
    }

    @Test
    void sourceWithoutAnyGoodImageFails() throws Exception {
        Files.writeString(dir.resolve("bad.png"), "x");
        FileImageSource files = FileImageSource.fromDirectory(dir, ImageSize.CIFAR10);
        assertThatThrownBy(() -> publisher(new ScriptedProducer(), files, settings(SendPlan.unpaced(), 10, null, true)).run())
                .hasMessageContaining("No image of");
    }

    @Test
    void deliveryThatRanOutOfRetriesIsCountedAndTheRunGoesOn() throws Exception {
        ScriptedProducer producer = new ScriptedProducer();
        producer.failWith.put(1, new org.apache.kafka.common.errors.TimeoutException("delivery timed out"));
        PublishSummary summary = publisher(producer, cifar, settings(SendPlan.unpaced(), 0, null, false)).run();
        assertThat(summary.sent()).isEqualTo(3);
        assertThat(summary.acked()).isEqualTo(2);
        assertThat(summary.failed()).isEqualTo(1);
    }

    @Test
    void frameTooLargeForKafkaIsSkippedAsBadInput() throws Exception {
        ScriptedProducer producer = new ScriptedProducer();
        producer.failWith.put(1, new org.apache.kafka.common.errors.RecordTooLargeException("too large"));
        PublishSummary summary = publisher(producer, cifar, settings(SendPlan.unpaced(), 0, null, false)).run();
        assertThat(summary.sent()).isEqualTo(2);
        assertThat(summary.acked()).isEqualTo(2);
        assertThat(summary.skipped()).isEqualTo(1);
        assertThat(summary.failed()).isZero();
    }

    @Test
    void unrecoverableErrorStopsTheRunNamingTheFrame() {
        ScriptedProducer producer = new ScriptedProducer();
        producer.failWith.put(1, new TopicAuthorizationException("not allowed"));
        PublishSettings settings = settings(new SendPlan(10, 1), 10, null, true);
        assertThatThrownBy(() -> publisher(producer, cifar, settings).run())
                .isInstanceOf(PublishException.class)
                .hasMessageContaining("cam-run1-1")
                .hasMessageContaining("cifar-10/test #1")
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThat(producer.history()).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void unreachableRegistryIsRetriedAndRefusedSchemaIsFatal() throws Exception {
        ScriptedProducer flaky = new ScriptedProducer();
        AtomicInteger attempts = new AtomicInteger();
        flaky.beforeSerialize = () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new AvroSerdeException(AvroSerdeException.Kind.REGISTRY_UNAVAILABLE, "frames", -1, -1, "down", null);
            }
        };
        PublishSummary summary = publisher(flaky, cifar, settings(SendPlan.unpaced(), 2, null, false)).run();
        assertThat(summary.acked()).isEqualTo(2);
        assertThat(attempts.get()).isEqualTo(3);

        ScriptedProducer refusing = new ScriptedProducer();
        refusing.beforeSerialize = () -> {
            throw new AvroSerdeException(AvroSerdeException.Kind.SCHEMA_NOT_REGISTERED, "frames", -1, -1, "refused", null);
        };
        assertThatThrownBy(() -> publisher(refusing, cifar, settings(SendPlan.unpaced(), 2, null, false)).run())
                .isInstanceOf(PublishException.class)
                .hasMessageContaining("cam-run1-0 (cifar-10/test #0) cannot be serialized");
    }

    @Test
    void stopEndsTheRunAfterTheCurrentFrameAndStillFlushes() throws Exception {
        ScriptedProducer producer = new ScriptedProducer();
        FramePublisher publisher = publisher(producer, cifar, settings(new SendPlan(10, 1), 100, null, true));
        producer.onSend = (index, callback) -> {
            if (index == 3) {
                publisher.stop();
            }
        };
        PublishSummary summary = publisher.run();
        assertThat(summary.sent()).isEqualTo(4);
        assertThat(summary.stopReason()).isEqualTo("stopped");
        assertThat(producer.flushed()).isTrue();
    }

    @Test
    void progressKnowsTheTotalWhenItCan() {
        assertThat(publisher(new ScriptedProducer(), cifar, settings(SendPlan.unpaced(), 0, null, false)).progress().total()).isEqualTo(3);
        assertThat(publisher(new ScriptedProducer(), cifar, settings(SendPlan.unpaced(), 2, null, false)).progress().total()).isEqualTo(2);
        assertThat(publisher(new ScriptedProducer(), cifar, settings(SendPlan.unpaced(), 7, null, true)).progress().total()).isEqualTo(7);
        assertThat(publisher(new ScriptedProducer(), cifar, settings(new SendPlan(5, 1), 0, Duration.ofSeconds(3), true))
                .progress().total()).isEqualTo(-1);
    }

    private static List<Long> range(int n) {
        return java.util.stream.LongStream.range(0, n).boxed().toList();
    }

    private static PublishSettings settings(SendPlan plan, long count, Duration duration, boolean loop) {
        return new PublishSettings("frames", "cam", "run1", KeyChoice.FRAME_ID, plan, count, duration, loop, false, 0, false);
    }

    private FramePublisher publisher(ScriptedProducer producer, ImageSource source, PublishSettings settings) {
        Clock clock = ticker.wallClock(WALL_START);
        return new FramePublisher(producer, source, settings, ticker, clock);
    }

    /** A mock producer that serializes with the project's Avro serde and fails chosen sends. */
    private static final class ScriptedProducer extends MockProducer<String, ImageFrame> {
        final Map<Integer, RuntimeException> failWith = new java.util.HashMap<>();
        final AtomicInteger serializedValues;
        BiConsumer<Integer, Callback> onSend = (index, callback) -> {};
        Runnable beforeSerialize = () -> {};
        private int sends;

        ScriptedProducer() {
            this(new AtomicInteger(), new Runnable[1]);
        }

        private ScriptedProducer(AtomicInteger serializedValues, Runnable[] hook) {
            super(false, null, new StringSerializer(), countingSerializer(serializedValues, hook));
            this.serializedValues = serializedValues;
            hook[0] = () -> beforeSerialize.run();
        }

        private static Serializer<ImageFrame> countingSerializer(AtomicInteger count, Runnable[] hook) {
            AvroSerializer<ImageFrame> avro = new AvroSerializer<>();
            avro.configure(Map.of("schema.registry.url", "mock://frame-publisher-test"), false);
            return (topic, frame) -> {
                hook[0].run();
                byte[] bytes = avro.serialize(topic, frame);
                count.incrementAndGet();
                return bytes;
            };
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, ImageFrame> record, Callback callback) {
            Future<RecordMetadata> future = super.send(record, callback);
            int index = sends++;
            RuntimeException failure = failWith.get(index);
            if (failure != null) {
                errorNext(failure);
            } else {
                completeNext();
            }
            onSend.accept(index, callback);
            return future;
        }
    }
}
