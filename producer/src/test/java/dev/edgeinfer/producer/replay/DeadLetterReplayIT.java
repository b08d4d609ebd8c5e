package dev.edgeinfer.producer.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The replay command against the local stack: it re-sends the chosen dead letters' frames, bytes untouched, once each
 * across reruns and a run that stops between its sends and its commit, and names the dead letters it cannot replay.
 */
class DeadLetterReplayIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private String deadLetters;
    private String frames;
    private String ledger;
    private String transactionalId;
    private AvroSerializer<Object> serializer;

    @BeforeEach
    void topics() throws InterruptedException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        deadLetters = "dead-letters-" + run;
        frames = "frames-" + run;
        ledger = "replayed-" + run;
        transactionalId = "replay-" + run;
        try (Admin admin = LOCAL.stack().createAdmin()) {
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(List.of(
                    new TopicSpec(deadLetters, 2, (short) 1, Map.of()), new TopicSpec(frames, 3, (short) 1, Map.of())));
        }
        serializer = new AvroSerializer<>();
        serializer.configure(LOCAL.stack().clientProperties(), false);
    }

    @Test
    void sendsTheChosenFramesOnceAcrossRerunsAndNamesWhatItCannotSend() throws Exception {
        byte[] frame1 = frameBytes("cam-1");
        write(letter("cam-1", 10, FailureStage.DECODE, "pi-1", frame1), letter("cam-1", 10, FailureStage.DECODE, "x86-1", frame1),
                letter("cam-2", 11, FailureStage.INFERENCE, "pi-1", frameBytes("cam-2")),
                letter("cam-3", 12, FailureStage.DECODE, "pi-1", null));
        writeRaw("not avro at all".getBytes(StandardCharsets.UTF_8));

        Run first = replay("--stage", "decode");
        assertThat(first.exitCode).as(first.output).isEqualTo(DeadLetterReplayApp.EXIT_NOT_REPLAYABLE);
        assertThat(first.output).contains("Replayed 1 frame(s) chosen by stage DECODE; read 5 dead letter(s), 1 already replayed,"
                + " 2 not replayable").contains("frame cam-1").contains("to " + frames)
                .contains("NOT REPLAYABLE " + deadLetters).contains("does not carry the frame's bytes")
                .contains("read the frame at " + Topics.FRAMES + "-0@12").contains("unreadable dead letter");
        List<ConsumerRecord<byte[], byte[]>> sent = committed(frames);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).key()).isEqualTo("cam-1".getBytes(StandardCharsets.UTF_8));
        assertThat(sent.get(0).value()).isEqualTo(frame1);
        assertThat(new String(sent.get(0).headers().lastHeader(DeadLetterReplayer.REPLAYED_FROM_HEADER).value(),
                StandardCharsets.UTF_8)).startsWith(deadLetters + "-");
        AvroDeserializer<ImageFrame> reader = AvroDeserializer.forClass(ImageFrame.class);
        reader.configure(LOCAL.stack().clientProperties(), false);
        assertThat(reader.deserialize(frames, sent.get(0).value()).getFrameId()).isEqualTo("cam-1");

        Run again = replay("--stage", "DECODE");
        assertThat(again.output).contains("Replayed 0 frame(s)").contains("2 already replayed").contains("2 not replayable");
        assertThat(committed(frames)).hasSize(1);

        Run second = replay("--frame-id", "cam-2,cam-1");
        assertThat(second.output).contains("Replayed 1 frame(s)").contains("frame cam-2").contains("2 already replayed");
        assertThat(second.exitCode).as(second.output).isEqualTo(DeadLetterReplayApp.EXIT_NOT_REPLAYABLE);
        assertThat(committed(frames)).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("cam-1", "cam-2");

        // A model assignment a device could not follow is not a frame: never sent anywhere.
        write(DeadLetter.newBuilder(letter("rpi5-openvino-cpu-int8", 0, FailureStage.MODEL, "pi-1",
                "an assignment".getBytes(StandardCharsets.UTF_8))).setOriginalTopic(Topics.MODELS).setFrameId(null).build());
        Run model = replay("--stage", "MODEL");
        assertThat(model.exitCode).as(model.output).isEqualTo(DeadLetterReplayApp.EXIT_NOT_REPLAYABLE);
        assertThat(model.output).contains("Replayed 0 frame(s)").contains("not a frame");
        assertThat(committed(frames)).hasSize(2);
    }

    @Test
    void aRunStoppedBeforeItsCommitSendsNothingAndTheNextRunSendsItOnce() throws Exception {
        byte[] frame = frameBytes("cam-9");
        write(letter("cam-9", 40, FailureStage.PREPROCESS, "pi-1", frame));
        DeadLetterReplayApp app = new DeadLetterReplayApp();
        app.transactionalId = transactionalId;
        Map<String, Object> client = LOCAL.stack().clientProperties();
        try (Admin admin = LOCAL.stack().createAdmin()) {
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(List.of(DeadLetterReplayApp.ledgerSpec(ledger, (short) 1)));
        }
        AvroDeserializer<DeadLetter> letters = AvroDeserializer.forClass(DeadLetter.class);
        letters.configure(client, false);
        ReplaySettings settings = new ReplaySettings(deadLetters, ledger, frames,
                new ReplaySelection(List.of("broken"), java.util.Set.of(), null, null, java.util.Set.of()), 10, false);
        KafkaProducer<byte[], byte[]> crashing = app.createProducer(client);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(DeadLetterReplayApp.consumerConfig(client),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            DeadLetterReplayer replayer = new DeadLetterReplayer(consumer, crashing, letters, settings, Clock.systemUTC(),
                    () -> {
                        crashing.flush(); // the frame is in the log, its transaction open
                        throw new IllegalStateException("the process dies here");
                    });
            assertThatThrownBy(replayer::run).hasMessage("the process dies here");
        } finally {
            crashing.close(Duration.ZERO); // no abort on the way out, as after a crash
        }

        Run next = replay("--reason", "BROKEN DECODER");
        assertThat(next.exitCode).as(next.output).isZero();
        assertThat(next.output).contains("Replayed 1 frame(s) chosen by reason containing 'broken decoder'").contains("cam-9");
        assertThat(committed(frames)).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(frame));
        assertThat(replay("--reason", "broken").output).contains("Replayed 0 frame(s)").contains("1 already replayed");
        assertThat(committed(frames)).hasSize(1);
    }

    @Test
    void badChoicesAreUsageErrorsThatSayWhy() {
        Run nothing = replay();
        assertThat(nothing.exitCode).isEqualTo(2);
        assertThat(nothing.output).contains("choose dead letters with --reason, --stage, --from, --to or --frame-id, or pass --all");
        Run badTime = replay("--from", "yesterday");
        assertThat(badTime.exitCode).isEqualTo(2);
        assertThat(badTime.output).contains("--from 'yesterday' is neither an ISO-8601 instant");
        Run empty = replay("--from", "2026-01-02T00:00:00Z", "--to", "2026-01-01T00:00:00Z");
        assertThat(empty.exitCode).isEqualTo(2);
        assertThat(empty.output).contains("the time range is empty");
        Run stage = replay("--stage", "LUNCH");
        assertThat(stage.exitCode).isEqualTo(2);
        assertThat(stage.output).contains("LUNCH");
    }

    private record Run(int exitCode, String output) {
    }

    private Run replay(String... choice) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", LOCAL.stack().bootstrapServers(),
                "--schema-registry-url", LOCAL.stack().schemaRegistryUrl(), "--dead-letters-topic", deadLetters,
                "--to-topic", frames, "--ledger-topic", ledger, "--transactional-id", transactionalId));
        args.addAll(List.of(choice));
        StringWriter out = new StringWriter();
        CommandLine commandLine = DeadLetterReplayApp.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(out, true));
        int exitCode = commandLine.execute(args.toArray(String[]::new));
        return new Run(exitCode, out.toString());
    }

    private byte[] frameBytes(String frameId) {
        ImageFrame frame = ImageFrame.newBuilder().setFrameId(frameId).setProducerId("cam")
                .setSource(FrameSource.newBuilder().setDataset(null).setIndex(null).setFileName(frameId + ".png").build())
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L)).setWidth(2).setHeight(1).setChannels(3)
                .setEncoding(PixelEncoding.RAW_RGB8_HWC).setPixels(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}))
                .setGroundTruth(null).setLabelSet(null).build();
        return serializer.serialize(Topics.FRAMES, frame);
    }

    private static DeadLetter letter(String frameId, long offset, FailureStage stage, String device, byte[] value) {
        return DeadLetter.newBuilder().setOriginalTopic(Topics.FRAMES).setOriginalPartition(0).setOriginalOffset(offset)
                .setOriginalTimestamp(Instant.ofEpochMilli(1_700_000_000_000L))
                .setOriginalKey(ByteBuffer.wrap(frameId.getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value)).setFrameId(frameId).setStage(stage)
                .setErrorClass(IllegalArgumentException.class.getName())
                .setReason(stage + " failed for frame " + frameId + " on device " + device + ": broken decoder")
                .setDeviceId(device).setDeviceType(device.startsWith("pi") ? "rpi5-openvino-cpu-int8" : "x86-onnxruntime-cpu-fp32")
                .setTime(Instant.now()).build();
    }

    private void write(DeadLetter... letters) throws Exception {
        for (DeadLetter letter : letters) {
            writeRaw(serializer.serialize(deadLetters, letter));
        }
    }

    private void writeRaw(byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(LOCAL.stack().clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(deadLetters, 0, null, value)).get();
        }
    }

    /** Every committed record of a topic, as a read_committed edge consumer sees them. */
    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        Map<String, Object> config = LOCAL.stack().clientProperties();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
