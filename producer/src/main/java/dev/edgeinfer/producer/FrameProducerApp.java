package dev.edgeinfer.producer;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.producer.progress.ForegroundRun;
import dev.edgeinfer.producer.rate.Arrivals;
import dev.edgeinfer.producer.rate.Pacer;
import dev.edgeinfer.producer.rate.SendPlan;
import dev.edgeinfer.producer.source.ImageSize;
import dev.edgeinfer.producer.source.ImageSource;
import dev.edgeinfer.producer.source.SourceSpec;
import dev.edgeinfer.schemas.config.ConnectionOptions;
import dev.edgeinfer.schemas.config.Durations;
import dev.edgeinfer.schemas.config.HostName;
import dev.edgeinfer.schemas.serde.AvroSerdeException;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Command line entry point: publishes CIFAR-10 records or image files to the frames topic at a planned rate.
 * {@code main} only wires; the sending loop is {@link FramePublisher}, the Kafka settings {@link FrameProducerConfig}.
 */
@Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publishes CIFAR-10 records or PNG/JPEG files as frames to Kafka, at a planned (open-loop) rate.",
        footer = {"", "Exit codes: 0 every frame delivered (bad input skipped is reported, not an error), "
                + "1 publishing failed, 2 bad arguments, " + FrameProducerApp.EXIT_UNDELIVERED
                + " some frames were not delivered."})
public final class FrameProducerApp implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(FrameProducerApp.class);

    static final int EXIT_UNDELIVERED = 3;
    private static final Duration TOPIC_SETUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--producer-id", paramLabel = "ID", description = "Id of this producer (camera); default: the host name.")
    String producerId;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "cifar10:test", converter = SourceConverter.class,
            description = "cifar10:test, cifar10:train, dir:<folder> or files:<list file> (default: ${DEFAULT-VALUE}).")
    SourceSpec source;

    @Option(names = "--cifar10-dir", paramLabel = "DIR",
            description = "Folder of the CIFAR-10 binary batches, downloaded there when absent; default: $CIFAR10_DIR, "
                    + "else ~/.cache/edgeinfer/cifar-10-batches-bin.")
    Path cifar10Dir;

    @Option(names = "--image-size", paramLabel = "WxH|any", defaultValue = "32x32", converter = ImageSizeConverter.class,
            description = "Size every image file must have (default: ${DEFAULT-VALUE}, what the models take).")
    ImageSize imageSize;

    @Option(names = "--fps", paramLabel = "RATE", defaultValue = "0",
            description = "Frames per second, planned up front; 0 sends as fast as possible (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--arrivals", paramLabel = "constant|poisson", defaultValue = "constant",
            description = "How frames arrive at --fps on average: evenly spaced, or as a Poisson process (exponential gaps,"
                    + " MLPerf's server scenario) seeded by --arrival-seed (default: ${DEFAULT-VALUE}).")
    String arrivals;

    @Option(names = "--arrival-seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the Poisson arrivals: the same seed gives the same schedule (default: ${DEFAULT-VALUE}).")
    long arrivalSeed;

    @Option(names = "--burst", paramLabel = "N", defaultValue = "1",
            description = "Send frames in groups of N due at once, one group every N/fps seconds (default: ${DEFAULT-VALUE}).")
    int burst;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "Stop after N frames; 0 for no limit.")
    long count;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 30s, 5m, 1h or PT90S.")
    Duration duration;

    @Option(names = "--loop", description = "Start the source over when it is exhausted (needs --count or --duration).")
    boolean loop;

    @Option(names = "--shuffle", description = "Send each pass over the source in a random order.")
    boolean shuffle;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of --shuffle, to repeat an order; default: random, logged.")
    Long seed;

    @Option(names = "--key", paramLabel = "frame-id|producer-id", defaultValue = "frame-id", converter = KeyConverter.class,
            description = "Record key: frame-id spreads frames over all partitions; producer-id keeps one producer's "
                    + "frames in one partition, in order (default: ${DEFAULT-VALUE}).")
    KeyChoice key;

    @Option(names = "--compression", paramLabel = "TYPE",
            description = "compression.type: none, gzip, snappy, lz4 or zstd; default: the --config file's, else none.")
    String compression;

    @Option(names = "--strict", description = "Check every image before sending anything and fail on the first bad one, "
            + "instead of reporting and skipping it.")
    boolean strict;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = Topics.FRAMES, description = "Topic (default: ${DEFAULT-VALUE}).")
    String topic;

    // fallbackValue: without it picocli toggles a default of true, so --no-create-topics would leave it on.
    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Create "
            + "the topic if missing and check its settings at start; --no-create-topics neither creates nor checks it (for "
            + "clusters where this producer may not describe topics: the topic must exist and be ready) (default: "
            + "${DEFAULT-VALUE}).")
    boolean createTopics;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its converters and error handling, for {@code main} and tests. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new FrameProducerApp());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            log.error("Publishing failed: {}", exception.getMessage(), exception);
            return 1;
        });
        return commandLine;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> clientConfig = connection.load();
        PublishSettings settings = settings(newRunId());
        log.info("Producer {} run {} publishing {} to {} ({}, key {})", settings.producerId(), settings.runId(), source,
                settings.topic(), settings.plan().isPaced() ? settings.plan().fps() + " frames/s"
                        + (settings.plan().arrivals() == Arrivals.POISSON ? " on average, Poisson arrivals" : "") : "unpaced",
                settings.key());
        try (ImageSource images = source.open(cifar10Dir(), imageSize, FrameProducerApp::logDownload)) {
            if (createTopics) {
                ensureTopic(clientConfig, topic);
            }
            registerFrameSchema(clientConfig, settings);
            KafkaProducer<String, ImageFrame> producer = FrameProducerConfig.createKafkaProducer(clientConfig,
                    settings.producerId(), compression, key);
            try {
                PublishSummary summary = publish(producer, images, settings);
                spec.commandLine().getOut().println(summary.format());
                spec.commandLine().getOut().flush();
                return summary.failed() > 0 ? EXIT_UNDELIVERED : 0;
            } finally {
                producer.close(CLOSE_TIMEOUT);
            }
        }
    }

    /**
     * Registers the frame schema before the first frame is due. A registry that cannot be reached right now does not
     * stop the run: every send registers the schema again, with back-off, until the registry answers.
     */
    private void registerFrameSchema(Map<String, Object> clientConfig, PublishSettings settings) {
        try {
            FrameProducerConfig.registerFrameSchema(
                    FrameProducerConfig.producerConfig(clientConfig, settings.producerId(), compression, key), topic);
        } catch (AvroSerdeException e) {
            if (!e.isRetriable()) {
                throw e;
            }
            log.warn("The frame schema cannot be registered yet; sending retries until the registry answers: {}{}",
                    e.getMessage(), e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")");
        }
    }

    /** Runs the publisher with progress shown, stopping it cleanly on Ctrl-C. */
    private static PublishSummary publish(KafkaProducer<String, ImageFrame> producer, ImageSource images,
                                          PublishSettings settings)
            throws InterruptedException {
        FramePublisher publisher = new FramePublisher(producer, images, settings, Pacer.Ticker.SYSTEM, Clock.systemUTC());
        return ForegroundRun.run("frame-producer", publisher::stop, publisher::progress, "frames", CLOSE_TIMEOUT, publisher::run);
    }

    /** The run's settings from the options; checks what picocli cannot. */
    PublishSettings settings(String runId) {
        try {
            long shuffleSeed = seed != null ? seed : new SecureRandom().nextLong();
            if (shuffle && seed == null) {
                log.info("Shuffling with seed {} (pass --seed {} to repeat this order)", shuffleSeed, shuffleSeed);
            }
            if (burst > 1 && fps <= 0) {
                throw new IllegalArgumentException("--burst needs --fps: bursts are spaced by the rate");
            }
            if (Arrivals.parse(arrivals) == Arrivals.POISSON && fps <= 0) {
                throw new IllegalArgumentException("--arrivals poisson needs --fps: the gaps are drawn around its mean");
            }
            return new PublishSettings(topic, producerId != null ? producerId : HostName.forDefault("--producer-id"), runId, key,
                    new SendPlan(fps, burst, Arrivals.parse(arrivals), arrivalSeed), count, duration, loop, shuffle, shuffleSeed,
                    strict);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    Path cifar10Dir() {
        if (cifar10Dir != null) {
            return cifar10Dir;
        }
        String env = System.getenv("CIFAR10_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "edgeinfer", "cifar-10-batches-bin");
    }

    /** Creates the topic if missing and waits until it answers, so the producer never meets KAFKA-15591. */
    private static void ensureTopic(Map<String, Object> clientConfig, String topic) throws InterruptedException {
        TopicSpec frames = Topics.all().stream().filter(spec -> spec.name().equals(Topics.FRAMES)).findFirst()
                .orElseThrow(() -> new IllegalStateException("Topics.all() lacks " + Topics.FRAMES));
        TopicSpec wanted = new TopicSpec(topic, frames.partitions(), frames.replicationFactor(), frames.configs());
        Map<String, Object> adminConfig = clientConfig.entrySet().stream()
                .filter(entry -> AdminClientConfig.configNames().contains(entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        try (Admin admin = Admin.create(adminConfig)) {
            new TopicCreator(admin, TOPIC_SETUP_TIMEOUT).ensureTopics(List.of(wanted));
        }
    }

    /** Random per run, so frame ids never repeat across runs of one producer. */
    static String newRunId() {
        byte[] bytes = new byte[6];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void logDownload(String stage, long done, long total) {
        if (total > 0) {
            log.info("CIFAR-10 {}: {} of {} MB ({}%)", stage, done >> 20, total >> 20, done * 100 / total);
        } else {
            log.info("CIFAR-10 {}: {} MB", stage, done >> 20);
        }
    }

    static final class SourceConverter implements CommandLine.ITypeConverter<SourceSpec> {
        @Override
        public SourceSpec convert(String value) {
            return SourceSpec.parse(value);
        }
    }

    static final class ImageSizeConverter implements CommandLine.ITypeConverter<ImageSize> {
        @Override
        public ImageSize convert(String value) {
            return ImageSize.parse(value);
        }
    }

    static final class KeyConverter implements CommandLine.ITypeConverter<KeyChoice> {
        @Override
        public KeyChoice convert(String value) {
            return KeyChoice.parse(value);
        }
    }

    /** Durations as every app of the project reads them ({@link Durations}). */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }
}
