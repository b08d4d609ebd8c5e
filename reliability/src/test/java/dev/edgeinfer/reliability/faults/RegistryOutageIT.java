package dev.edgeinfer.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.testsupport.apps.AppProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema registry becomes unreachable mid-stream (a proxy in front of it is cut) and comes back after the outage.
 * The producers and the edge consumer reach the registry only through the proxy. While it is cut, frames whose schema
 * both have cached keep being sent and predicted. A producer started during the outage cannot register its schema:
 * it says so and keeps retrying. Then frames of a new, compatible {@code ImageFrame} version arrive,
 * whose schema id the edge has never seen: it cannot decode them, logs that it cannot reach the registry, and retries
 * with back-off instead of dead-lettering them as bad input. The outage lasts the configured time, or longer until both
 * have been seen waiting. Once the registry is back, every frame (old and new version) is predicted exactly once and nothing went to the dead letters.
 */
class RegistryOutageIT {

    @RegisterExtension
    static final SharedLocalStack LOCAL = new SharedLocalStack();

    private static final FaultSettings SETTINGS = FaultSettings.fromSystemProperties();
    private static final int NEW_VERSION_FRAMES = 20;
    private static final Pattern UNREACHABLE = Pattern.compile("could not reach the schema registry at http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern RETRYING = Pattern.compile("writing \\d+ frames failed, rewound to retry in \\d+ ms: \\S+: "
            + "frame at \\S+ needs the registry: REGISTRY_UNAVAILABLE");
    private static final Pattern NOT_REGISTERED_YET = Pattern.compile(
            "frame schema cannot be registered yet; sending retries until the registry answers: .*could not reach the schema registry at");

    /** The apps' logs and state; kept when the test fails, for what it printed. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void cachedSchemasKeepFramesFlowingAndANewSchemaWaitsForTheRegistry() throws Exception {
        String run = "registry-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "frames-" + run;
        String deviceType = "registry-" + run;
        Pipeline.createFramesTopic(LOCAL.stack(), topic);
        URI registry = URI.create(LOCAL.stack().schemaRegistryUrl());
        try (RegistryProxy proxy = RegistryProxy.start(new InetSocketAddress(registry.getHost(), registry.getPort()));
             Pipeline pipeline = new Pipeline(LOCAL.stack(), work, proxy.proxied(registry.toString()), Map.of());
             FrameLedger ledger = new FrameLedger(LOCAL.stack(), topic, deviceType)) {
            AppProcess device = pipeline.edgeConsumer("device", run + "-device", deviceType, topic, "exactly-once");
            Pipeline.awaitDeviceReady(device);
            AppProcess producer = pipeline.producer("producer", topic, SETTINGS.fps(), SETTINGS.streamDuration());
            Eventually.await("a quarter of the stream sent and predicted in part", SETTINGS.catchUp(), () -> {
                Pipeline.assertAlive(device);
                FrameLedger.Tally tally = ledger.refresh();
                assertThat(tally.framesInTopic()).isGreaterThanOrEqualTo(SETTINGS.plannedFrames() / 4);
                assertThat(tally.predictedFrames()).isPositive();
            });

            proxy.cut();
            long cutAt = System.nanoTime();
            FrameLedger.Tally atCut = ledger.refresh();
            // A producer starting now has no schema cached: it says so and keeps trying while the outage lasts.
            AppProcess latecomer = pipeline.producer("latecomer", topic, SETTINGS.fps(), Duration.ofSeconds(2));
            // Cached schema ids: frames keep being sent and predicted while the registry is unreachable.
            Eventually.await("frames sent and predicted during the outage", SETTINGS.registryOutage(), () -> {
                FrameLedger.Tally tally = ledger.refresh();
                assertThat(tally.framesInTopic()).as("frames sent").isGreaterThan(atCut.framesInTopic() + (long) SETTINGS.fps());
                assertThat(tally.predictedFrames()).as("frames predicted").isGreaterThan(atCut.predictedFrames() + (long) SETTINGS.fps());
            });
            FrameLedger.Tally inOutage = ledger.tally();

            // A schema id the edge has never seen: it needs the registry, says so, and retries.
            publishNewFrameVersion(topic, run);
            Eventually.await("the edge and the late producer report the unreachable registry and retry", SETTINGS.catchUp(), () -> {
                Pipeline.assertAlive(device, latecomer);
                assertThat(device.findInLog(RETRYING)).as("retry after REGISTRY_UNAVAILABLE in the device log").isPresent();
                assertThat(device.findInLog(UNREACHABLE)).as("the registry named in the device log").isPresent()
                        .hasValueSatisfying(m -> assertThat(m.group(1)).isEqualTo(Integer.toString(proxy.port())));
                assertThat(latecomer.findInLog(NOT_REGISTERED_YET)).as("the late producer waits for the registry").isPresent();
            });
            assertThat(ledger.refresh().deadLetters()).as("dead letters while the registry is down: %s", ledger.deadLetters()).isZero();
            long remaining = SETTINGS.registryOutage().toNanos() - (System.nanoTime() - cutAt);
            if (remaining > 0) {
                Thread.sleep(Duration.ofNanos(remaining).toMillis());
            }
            Duration outage = Duration.ofNanos(System.nanoTime() - cutAt);
            proxy.restore();

            Pipeline.ProducerEnd sent = Pipeline.awaitProducer(producer, SETTINGS.catchUp());
            assertThat(sent.exitStatus()).as("producer exit status; its log:%n%s", producer.tail()).isZero();
            assertThat(sent.summary().failed()).isZero();
            Pipeline.ProducerEnd late = Pipeline.awaitProducer(latecomer, SETTINGS.catchUp());
            assertThat(late.exitStatus()).as("late producer exit status; its log:%n%s", latecomer.tail()).isZero();
            assertThat(late.summary().acknowledged()).as("frames of the late producer").isPositive();
            FrameLedger.Tally tally = ledger.awaitEveryFramePredicted(SETTINGS.catchUp(), device);
            assertThat(tally.framesInTopic()).as("both producers' frames and the new version's, once each")
                    .isEqualTo(tally.distinctFrames())
                    .isEqualTo(sent.summary().acknowledged() + late.summary().acknowledged() + NEW_VERSION_FRAMES);
            assertThat(tally.duplicates()).as("%s", tally).isZero();
            assertThat(tally.deadLetters()).as("dead letters: %s", ledger.deadLetters()).isZero();
            Pipeline.assertAlive(device);
            long predictedInOutage = inOutage.predictedFrames() - atCut.predictedFrames();

            FaultReport.row("schema registry unreachable for " + outage.toSeconds() + " s; a producer starting and a new "
                    + "frame schema version arriving during the outage", SETTINGS,
                    sent.summary().acknowledged() + " + "
                            + late.summary().acknowledged() + " frames + " + NEW_VERSION_FRAMES + " of the new version, 2 producers + "
                            + "exactly-once device through the cut proxy",
                    tally + "; " + predictedInOutage
                            + " predicted from cached schemas during the outage; new schemas retried, predicted after it",
                    tally.lost());
        }
    }

    /**
     * Writes frames of a second {@code ImageFrame} version (one more optional field, a compatible change) straight to
     * the registry and the broker, as a newer camera elsewhere would: the registry gives the new version a new id.
     */
    private static void publishNewFrameVersion(String topic, String run) throws IOException {
        Schema current = ImageFrame.getClassSchema();
        String extended = current.toString().replaceFirst("\"fields\":\\[",
                "\"fields\":[{\"name\":\"exposureMicros\",\"type\":[\"null\",\"long\"],\"default\":null},");
        Schema newVersion = new Schema.Parser().parse(extended);
        Map<String, Object> configs = new HashMap<>(LOCAL.stack().clientProperties());
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        try (AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(configs, new StringSerializer(),
                     new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            serializer.configure(LOCAL.stack().clientProperties(), false);
            for (int i = 0; i < NEW_VERSION_FRAMES; i++) {
                GenericRecord frame = asVersion(frame(run + "-new-version-" + i, i % 10), current, newVersion);
                frame.put("exposureMicros", 1000L + i);
                producer.send(new ProducerRecord<>(topic, frame.get("frameId").toString(), serializer.serialize(topic, frame)));
            }
            producer.flush();
        }
    }

    private static ImageFrame frame(String frameId, int label) {
        byte[] pixels = new byte[32 * 32 * 3];
        java.util.Arrays.fill(pixels, (byte) (label * 20));
        return ImageFrame.newBuilder().setFrameId(frameId).setProducerId("new-version-camera")
                .setSource(new FrameSource(null, null, null)).setCaptureTime(Instant.now())
                .setWidth(32).setHeight(32).setChannels(3).setEncoding(PixelEncoding.RAW_RGB8_HWC)
                .setPixels(ByteBuffer.wrap(pixels)).setGroundTruth(label).setLabelSet(null).build();
    }

    /** The frame re-read with the newer schema, as Avro's schema resolution does: the new field takes its default. */
    private static GenericRecord asVersion(ImageFrame frame, Schema writer, Schema reader) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<ImageFrame>(writer).write(frame, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(writer, reader).read(null,
                DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }
}
