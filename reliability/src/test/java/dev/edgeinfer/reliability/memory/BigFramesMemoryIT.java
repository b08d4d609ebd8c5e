package dev.edgeinfer.reliability.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.reliability.topics.OutputTopics;
import dev.edgeinfer.reliability.topics.RunTopics;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.apps.EdgeConsumerLaunch;
import dev.edgeinfer.testsupport.frames.Cifar10Frames;
import dev.edgeinfer.testsupport.process.ResidentMemory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The edge consumer's resident memory through bursts of frames up to the frames topic's 16 MiB limit, with the memory
 * flags {@code docs/deployment.md} gives for a 1 GB device: every good and every big valid frame predicted once, every
 * big broken one dead-lettered once, and resident memory at most {@value #BUDGET_MB} MB during (sampled every 100 ms,
 * and the kernel's own peak, {@code VmHWM}) and after.
 *
 * <p>The figures are printed and written as JSON to {@code target/big-frames-memory.json} for
 * {@code bench/edge/big-frames-memory.sh}.
 */
class BigFramesMemoryIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    /** Resident memory a 1 GB device leaves the consumer. */
    static final long BUDGET_MB = 300;
    /** The flags of docs/deployment.md for a 1 GB device. */
    static final List<String> DEVICE_JVM = List.of("-Xmx72m", "-Xmn40m", "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=32m",
            "-XX:MaxMetaspaceSize=64m", "-Xss512k", "-XX:TrimNativeHeapInterval=5000");
    /**
     * The environment of docs/deployment.md: two malloc arenas, and large blocks always mapped (so returned when freed)
     * rather than kept after glibc raised its threshold for them.
     */
    static final Map<String, String> DEVICE_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2", "MALLOC_MMAP_THRESHOLD_", "131072");
    private static final int GOOD_BEFORE = 1_500;
    private static final int GOOD_BETWEEN = 200;
    /** Bursts of big frames: {@code memory.bursts}, 3 by default; 0 measures the device on small frames alone. */
    private static final int BURSTS = Integer.getInteger("memory.bursts", 3);
    private static final int GOOD_AFTER = 1_500;
    private static final Duration SETTLE = Duration.ofSeconds(20);

    /** Kept after the run, for the device's log and its garbage collector's. */
    private final Path logs = Path.of("target", "big-frames-memory");

    @Test
    void residentMemoryStaysWithinTheBudgetThroughFramesUpToTheTopicLimit() throws Exception {
        assumeTrue(Cifar10Frames.dir().isPresent(), Cifar10Frames.missingReason());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String frames = "frames-" + run;
        String predictions = "predictions-" + run;
        String deadLetters = "dead-letters-" + run;
        createTopics(frames, predictions, deadLetters);

        List<ImageFrame> good = Cifar10Frames.frames(GOOD_BEFORE + BURSTS * GOOD_BETWEEN + GOOD_AFTER, "memory-test", run + "-");
        AppProcess device = startDevice(run, frames, predictions, deadLetters);
        AtomicLong peakSampled = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> ResidentMemory.of(device.pid()).ifPresent(rss -> peakSampled.accumulateAndGet(rss, Math::max)),
                0, 100, TimeUnit.MILLISECONDS);
        int bigValid = 0;
        int bigBroken = 0;
        long bigBytes = 0;
        long smallestBig = Long.MAX_VALUE;
        long largestBig = 0;
        long during;
        long after;
        long highWater;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            AvroSerializer<ImageFrame> serializer = new AvroSerializer<>();
            serializer.configure(LOCAL.stack().clientProperties(), false);
            int next = 0;
            for (; next < GOOD_BEFORE; next++) {
                send(producer, serializer, frames, good.get(next));
            }
            Random random = new Random(42);
            for (int burst = 0; burst < BURSTS; burst++) {
                for (ImageFrame big : bigFrames(run + "-big-" + burst + "-", random)) {
                    long size = send(producer, serializer, frames, big);
                    bigBytes += size;
                    smallestBig = Math.min(smallestBig, size);
                    largestBig = Math.max(largestBig, size);
                    if (big.getFrameId().contains("broken") || big.getFrameId().contains("over")) {
                        bigBroken++;
                    } else {
                        bigValid++;
                    }
                    for (int i = 0; i < GOOD_BETWEEN / 6; i++) {
                        send(producer, serializer, frames, good.get(next++));
                    }
                }
            }
            while (next < good.size()) {
                send(producer, serializer, frames, good.get(next++));
            }
            producer.flush();
            int expectedPredictions = good.size() + bigValid;
            OutputTopics outputs = new OutputTopics(LOCAL.stack().clientProperties(), predictions, deadLetters);
            outputs.awaitCounts(device, expectedPredictions, bigBroken, Duration.ofMinutes(5));
            during = peakSampled.get();
            Thread.sleep(SETTLE.toMillis());
            after = ResidentMemory.of(device.pid()).orElseThrow();
            highWater = ResidentMemory.peak(device.pid()).orElseThrow();
            if (Boolean.getBoolean("memory.nmt")) {
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(device.pid()), "VM.native_memory", "summary").redirectErrorStream(true)
                        .redirectOutput(logs.resolve("native-memory.txt").toFile()).start();
                jcmd.waitFor(30, TimeUnit.SECONDS);
            }

            List<Prediction> predicted = outputs.read(predictions, Prediction.class);
            List<DeadLetter> letters = outputs.read(deadLetters, DeadLetter.class);
            assertThat(predicted).extracting(Prediction::getFrameId).doesNotHaveDuplicates().hasSize(expectedPredictions);
            assertThat(letters).hasSize(bigBroken).allSatisfy(letter -> {
                if (letter.getFrameId() != null) {
                    assertThat(letter.getFrameId()).contains("broken");
                    assertThat(letter.getOriginalValue()).as("a dead letter within the limit carries its frame").isNotNull();
                } else {
                    assertThat(letter.getReason()).contains("bytes this device reads (the frames topic's limit, or an eighth of its heap");
                    assertThat(letter.getOriginalValue()).isNull();
                }
            });
            assertThat(letters.stream().map(l -> l.getOriginalPartition() + "@" + l.getOriginalOffset()).distinct()).hasSize(bigBroken);
        } finally {
            sampler.shutdownNow();
            device.close();
        }
        String summary = String.format(Locale.ROOT,
                "big frames: %d good frames and %d frames of %.1f-%.1f MB (%d predicted, %d dead-lettered,"
                        + " %.0f MB in all) through the device under %s: resident at most %.1f MB sampled every 100 ms, VmHWM %.1f MB,"
                        + " %.1f MB %d s after the last output (budget %d MB)",
                good.size(), bigValid + bigBroken, smallestBig / 1e6,
                largestBig / 1e6, bigValid, bigBroken, bigBytes / 1e6, String.join(" ", DEVICE_JVM), during / 1e6, highWater / 1e6,
                after / 1e6,
                SETTLE.toSeconds(), BUDGET_MB);
        System.out.println(summary);
        Files.writeString(Path.of("target", "big-frames-memory.json"), String.format(Locale.ROOT,
                "{\"bench\": \"edge-big-frames-memory\", \"good_frames\": %d, \"big_frames\": %d, \"big_bytes\": %d,"
                        + " \"jvm_options\": \"%s\", \"environment\": \"%s\", \"rss_max_sampled_bytes\": %d, \"vm_hwm_bytes\": %d, \"rss_after_bytes\": %d,"
                        + " \"budget_bytes\": %d}%n",
                good.size(), bigValid + bigBroken, bigBytes, String.join(" ", DEVICE_JVM),
                environment(), during, highWater, after, BUDGET_MB * 1_000_000));
        assertThat(highWater).as("peak resident memory (VmHWM) of the device; %s; log:%n%s", summary,
                Files.readString(device.log())).isLessThanOrEqualTo(BUDGET_MB * 1_000_000);
        assertThat(after).as("resident memory after the burst").isLessThanOrEqualTo(BUDGET_MB * 1_000_000);
    }

    private static String environment() {
        return DEVICE_ENVIRONMENT.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    /**
     * Six big frames. Within what a 72 MB heap reads (an eighth of it, about 8.9 MB): a JPEG photo of 4000x3000, a PNG
     * and a raw frame the model input is resized from (predicted), and a damaged PNG (dead-lettered whole, at DECODE).
     * Over it, and so dead-lettered at VALIDATE with their coordinates: a raw frame of 15.9 MB and bytes that are no frame.
     */
    private static List<ImageFrame> bigFrames(String prefix, Random random) throws Exception {
        List<ImageFrame> frames = new ArrayList<>();
        frames.add(frame(prefix + "jpeg", PixelEncoding.JPEG, 4000, 3000, encode(noise(4000, 3000, random, 8), "jpeg")));
        frames.add(frame(prefix + "png", PixelEncoding.PNG, 1000, 1000, encode(noise(1000, 1000, random, 1), "png")));
        frames.add(frame(prefix + "raw", PixelEncoding.RAW_RGB8_HWC, 1400, 1400, bytes(1400 * 1400 * 3, random)));
        frames.add(frame(prefix + "broken-png", PixelEncoding.PNG, 1800, 1800, bytes(5 * 1024 * 1024, random)));
        frames.add(frame(prefix + "over-raw", PixelEncoding.RAW_RGB8_HWC, 2300, 2300, bytes(2300 * 2300 * 3, random)));
        frames.add(frame(prefix + "over-size", PixelEncoding.RAW_RGB8_HWC, 16_000, 16_000, new byte[15 * 1024 * 1024]));
        return frames;
    }

    private static byte[] bytes(int length, Random random) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static ImageFrame frame(String id, PixelEncoding encoding, int width, int height, byte[] pixels) {
        return ImageFrame.newBuilder().setFrameId(id).setProducerId("memory-test")
                .setSource(FrameSource.newBuilder().setDataset("generated").build())
                .setCaptureTime(Instant.now()).setWidth(width).setHeight(height).setChannels(3)
                .setEncoding(encoding).setPixels(ByteBuffer.wrap(pixels)).build();
    }

    /** Random colours, in blocks of {@code block} pixels (so a JPEG of it is a few MB, not tens). */
    private static BufferedImage noise(int width, int height, Random random, int block) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y += block) {
            for (int x = 0; x < width; x += block) {
                int rgb = random.nextInt(1 << 24);
                for (int dy = 0; dy < block && y + dy < height; dy++) {
                    for (int dx = 0; dx < block && x + dx < width; dx++) {
                        image.setRGB(x + dx, y + dy, rgb);
                    }
                }
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    private static long send(KafkaProducer<String, byte[]> producer, AvroSerializer<ImageFrame> serializer, String topic,
                             ImageFrame frame) {
        byte[] value = serializer.serialize(topic, frame);
        producer.send(new ProducerRecord<>(topic, frame.getFrameId(), value));
        return value.length;
    }

    private static KafkaProducer<String, byte[]> producer() {
        Map<String, Object> configs = LOCAL.stack().clientProperties();
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_FRAME_BYTES);
        configs.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        return new KafkaProducer<>(configs, new StringSerializer(), new ByteArraySerializer());
    }

    private static void createTopics(String frames, String predictions, String deadLetters) throws InterruptedException {
        RunTopics.create(LOCAL.stack(), Topics.spec(Topics.FRAMES).named(frames), Topics.spec(Topics.PREDICTIONS).named(predictions),
                Topics.spec(Topics.DEAD_LETTERS).named(deadLetters));
    }

    private AppProcess startDevice(String run, String frames, String predictions, String deadLetters) throws Exception {
        List<String> jvm = new ArrayList<>(DEVICE_JVM);
        // Extra JVM flags for a closer look, e.g. -Dmemory.jvm=-XX:NativeMemoryTracking=summary.
        String extra = System.getProperty("memory.jvm", "");
        if (!extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        EdgeConsumerLaunch device = EdgeConsumerLaunch.device("device-" + run, "memory-" + run)
                .option("--max-batch", "64").option("--requests-in-flight", "4")
                .framesTopic(frames).predictionsTopic(predictions).deadLettersTopic(deadLetters).jvmOptions(jvm);
        DEVICE_ENVIRONMENT.forEach(device::environment);
        return new Apps(Apps.repositoryRoot(), logs, LOCAL.stack().clientProperties()).edgeConsumer(device);
    }
}
