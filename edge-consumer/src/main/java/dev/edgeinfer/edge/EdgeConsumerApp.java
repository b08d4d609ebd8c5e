package dev.edgeinfer.edge;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.edge.consumer.Batching;
import dev.edgeinfer.edge.consumer.DeliveryMode;
import dev.edgeinfer.edge.consumer.DeviceClients;
import dev.edgeinfer.edge.consumer.DeviceRecordSerializer;
import dev.edgeinfer.edge.consumer.EdgeConsumer;
import dev.edgeinfer.edge.consumer.EdgeConsumerSettings;
import dev.edgeinfer.edge.consumer.EdgeMetrics;
import dev.edgeinfer.edge.consumer.FrameDecoder;
import dev.edgeinfer.edge.consumer.ModelHandOff;
import dev.edgeinfer.edge.consumer.TopicLimits;
import dev.edgeinfer.edge.engine.EngineConfig;
import dev.edgeinfer.edge.engine.EngineDescription;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.InferenceEngines;
import dev.edgeinfer.edge.engine.Ticker;
import dev.edgeinfer.edge.models.ModelFollower;
import dev.edgeinfer.schemas.config.ConnectionOptions;
import dev.edgeinfer.schemas.config.HostName;
import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.manifest.Precision;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The edge device process: classifies frames on the local accelerator and publishes predictions. Main only wires. */
@Command(name = "edge-consumer", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classifies frames from Kafka on this device's accelerator and publishes predictions.")
public final class EdgeConsumerApp implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(EdgeConsumerApp.class);

    @Mixin
    ConnectionOptions connection;
    @Option(names = "--device-id", description = "Unique id of this device (default: <host>-<device type>).")
    String deviceId;
    @Option(names = "--device-type",
            description = "Device type analytics group by (default: <engine>-<device>-<precision>, e.g. openvino-cpu-int8).")
    String deviceType;
    @Option(names = "--group",
            description = "Consumer group (default: edge-<device type>: every type sees every frame, devices of one type share them).")
    String groupId;
    @Option(names = "--engine", defaultValue = "openvino",
            description = "openvino, onnxruntime or litert (default: ${DEFAULT-VALUE}).")
    String engine;
    @Option(names = "--artifact",
            description = "Artifact id from models/manifest.json, e.g. openvino-int8 (default: the --engine's artifact at --precision).")
    String artifact;
    @Option(names = "--precision", defaultValue = "INT8",
            description = "FP32, FP16 or INT8: picks the --engine's artifact of that precision when --artifact is not given (default: ${DEFAULT-VALUE}).")
    String precision;
    @Option(names = "--device", defaultValue = "CPU",
            description = "Accelerator: OpenVINO CPU/GPU/NPU/AUTO, ONNX Runtime CPU/CUDA, LiteRT CPU/GPU (default: ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--models-dir", defaultValue = "models", description = "Folder with manifest.json (default: ${DEFAULT-VALUE}).")
    Path modelsDir;
    @Option(names = "--performance-hint", defaultValue = "LATENCY", description = "OpenVINO PERFORMANCE_HINT (default: ${DEFAULT-VALUE}).")
    String performanceHint;
    @Option(names = "--num-streams", description = "OpenVINO NUM_STREAMS (default: chosen by the hint).")
    Integer numStreams;
    @Option(names = "--num-threads", description = "LiteRT: XNNPACK threads per compiled model, one per request in flight "
            + "(default: LiteRT's).")
    Integer numThreads;
    @Option(names = "--inference-precision", description = "OpenVINO INFERENCE_PRECISION_HINT: f32, bf16, f16 "
            + "(default: f32 for FP32 artifacts, so a CPU with bf16 units does not quietly run the FP32 reference in bf16; "
            + "the device's choice otherwise).")
    String inferencePrecision;
    @Option(names = "--max-batch", defaultValue = "16", description = "Frames per inference batch at most (default: ${DEFAULT-VALUE}).")
    int maxBatch;
    @Option(names = "--requests-in-flight", defaultValue = "2", description = "Batches inferred at once (default: ${DEFAULT-VALUE}).")
    int requestsInFlight;
    @Option(names = "--flush-frames", description = "Frames classified and written together (default: --max-batch x "
            + "--requests-in-flight): one flush is written while the next is classified.")
    Integer flushFrames;
    @Option(names = "--commit-interval-ms", defaultValue = "100", description = "Longest between commits of written "
            + "predictions (with --batching fixed, how often), as Kafka Streams' commit.interval.ms: in exactly-once mode a "
            + "transaction spans the flushes of this long at most (readers see predictions when it commits); in at-least-once "
            + "mode offsets are committed as often. "
            + "Longer spends less of the CPU on commits, at the cost of latency and of more frames classified again after "
            + "a failed write; 0 commits every flush (default: ${DEFAULT-VALUE}).")
    long commitIntervalMs;
    @Option(names = "--max-wait-ms", defaultValue = "20",
            description = "Longest a frame waits for a batch to fill (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;
    @Option(names = "--batching", defaultValue = "adaptive", description = "adaptive: frames go to the engine as soon as the "
            + "fetch is drained and the engine idle, batches grow with the load, and what was written is committed as soon as "
            + "the loop is idle (at the latest every --commit-interval-ms); fixed: frames wait for --flush-frames or "
            + "--max-wait-ms, commits come every --commit-interval-ms (default: ${DEFAULT-VALUE}).")
    String batching;
    @Option(names = "--delivery", defaultValue = "exactly-once", description = "exactly-once or at-least-once (default: ${DEFAULT-VALUE}).")
    String delivery;
    @Option(names = "--heartbeat-interval-ms", defaultValue = "5000", description = "Heartbeat period (default: ${DEFAULT-VALUE}).")
    long heartbeatMs;
    @Option(names = "--follow-models", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Follow the models topic: run the model assigned to this device's type (or to a cohort it is in)"
                    + ", swapped in between two transactions (default: ${DEFAULT-VALUE}).")
    boolean followModels;
    @Option(names = "--model-cache-dir", description = "Where assigned models are downloaded (default: "
            + "<java.io.tmpdir>/edgeinfer-models/<device id>).")
    Path modelCacheDir;
    @Option(names = "--metrics-port", defaultValue = "0",
            description = "Port of the Prometheus endpoint /metrics; 0 picks a free one (logged), -1 turns it off (default: ${DEFAULT-VALUE}).")
    int metricsPort;
    @Option(names = "--frames-topic", defaultValue = Topics.FRAMES, description = "Topic to read frames from (default: ${DEFAULT-VALUE}).")
    String framesTopic;
    @Option(names = "--predictions-topic", defaultValue = Topics.PREDICTIONS,
            description = "Topic to write predictions to (default: ${DEFAULT-VALUE}).")
    String predictionsTopic;
    @Option(names = "--dead-letters-topic", defaultValue = Topics.DEAD_LETTERS,
            description = "Topic to write dead letters to (default: ${DEFAULT-VALUE}).")
    String deadLettersTopic;
    // fallbackValue: without it picocli toggles a default of true, so --no-create-topics left it on.
    @Option(names = "--create-topics", defaultValue = "true", fallbackValue = "true", negatable = true,
            description = "Create missing topics at start (default: ${DEFAULT-VALUE}).")
    boolean createTopics;

    /**
     * Largest temporary direct buffer the JDK keeps per thread for socket I/O from heap buffers. It keeps one as large
     * as the largest read or write by default: after one 16 MB frame fetched and one large dead letter sent, tens of
     * megabytes of native memory stay with the consumer's and the producer's threads for good.
     */
    static final String NIO_BUFFER_CACHE_LIMIT = "262144";

    public static void main(String[] args) {
        // Before any socket is opened: the JDK reads it once. A -D on the command line wins.
        if (System.getProperty("jdk.nio.maxCachedBufferSize") == null) {
            System.setProperty("jdk.nio.maxCachedBufferSize", NIO_BUFFER_CACHE_LIMIT);
        }
        System.exit(new CommandLine(new EdgeConsumerApp()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> client = connection.load();
        ModelManifest manifest = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME));
        EngineConfig engineConfig = EngineConfig.fromProperties(engineProperties(manifest));
        if (createTopics) {
            try (Admin admin = Admin.create(client)) {
                new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(Topics.all());
            }
        }
        try (InferenceEngine inference = InferenceEngines.open(engineConfig)) {
            EngineDescription description = inference.describe();
            String type = deviceType != null ? deviceType : defaultDeviceType(description);
            String id = deviceId != null ? deviceId : HostName.forDefault("--device-id") + "-" + type;
            EdgeConsumerSettings settings = new EdgeConsumerSettings(id, type, DeliveryMode.parse(delivery), Batching.parse(batching),
                    flushFrames(), Duration.ofMillis(maxWaitMs), Duration.ofMillis(commitIntervalMs), Duration.ofMillis(heartbeatMs),
                    framesTopic, predictionsTopic, deadLettersTopic, Topics.HEARTBEATS);
            String group = groupId != null ? groupId : EdgeConsumerSettings.defaultGroupId(type);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            ModelFollower follower = followModels ? ModelFollower.create(client, modelCacheDir != null ? modelCacheDir
                    : Path.of(System.getProperty("java.io.tmpdir"), "edgeinfer-models", id), engineConfig, description, type, id,
                    settings.deadLettersTopic(), Clock.systemUTC()) : null;
            EdgeConsumer loop = buildLoop(settings, client, group, inference, manifest, follower == null ? ModelHandOff.NONE
                    : follower.start(), registry, Clock.systemUTC(), Ticker.SYSTEM);
            MetricsServer metrics = metricsPort < 0 ? null : MetricsServer.start(metricsPort, registry);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                loop.stop();
                try {
                    // Waits for the loop to commit and close, not for main: main ends in System.exit, which blocks
                    // while this hook runs, so joining main held every SIGTERM for the full 30 s.
                    loop.awaitStopped(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "edge-consumer-shutdown"));
            log.info("device {} of type {} ready: {} {} on {} ({}), model {} {} {} sha256 {}, group {}, {}", id, type,
                    description.engine(), description.runtimeVersion(), description.device(), description.deviceFullName(),
                    description.modelName(), description.artifactId(), description.precision(), description.sha256(), group,
                    settings.delivery());
            try {
                if (metrics != null) {
                    log.info("device {}: Prometheus metrics at http://localhost:{}/metrics", id, metrics.port());
                }
                loop.run();
            } finally {
                if (follower != null) {
                    follower.close();
                }
                if (metrics != null) {
                    metrics.close();
                }
            }
        }
        return 0;
    }

    /**
     * The loop with its Kafka clients, which it closes when {@link EdgeConsumer#run()} returns. Tests call this with the
     * local stack's client settings.
     */
    public static EdgeConsumer buildLoop(EdgeConsumerSettings settings, Map<String, Object> client, String groupId,
                                         InferenceEngine engine, ModelManifest manifest, ModelHandOff handOff,
                                         MeterRegistry registry,
                                         Clock clock, Ticker ticker) {
        AvroDeserializer<ImageFrame> frames = AvroDeserializer.forClass(ImageFrame.class);
        frames.configure(client, false);
        FrameDecoder decoder = new FrameDecoder(manifest.input().height(), manifest.input().width(), manifest.classNames().size(),
                manifest.labelSet());
        KafkaConsumer<byte[], ByteBuffer> consumer = createKafkaConsumer(client, groupId, settings);
        Map<String, Object> producerConfig = producerConfig(client, settings);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        AvroSerializer<SpecificRecord> avro = new AvroSerializer<>();
        avro.configure(client, false);
        new KafkaClientMetrics(consumer).bindTo(registry);
        new KafkaClientMetrics(producer).bindTo(registry);
        DeviceClients clients = new DeviceClients(consumer, producer, frames, new DeviceRecordSerializer(avro),
                producerLimit(producerConfig), TopicLimits.fromCluster(Admin.create(client), Duration.ofSeconds(30)));
        return new EdgeConsumer(settings, clients, engine, decoder, handOff, new EdgeMetrics(registry, settings.deviceType()), clock,
                ticker);
    }

    /** The largest record the producer sends: the smaller of its {@code max.request.size} and {@code buffer.memory}. */
    static int producerLimit(Map<String, Object> producerConfig) {
        Map<String, Object> defaults = ProducerConfig.configDef().defaultValues();
        long maxRequestSize = number(producerConfig.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                defaults.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)));
        long bufferMemory = number(producerConfig.getOrDefault(ProducerConfig.BUFFER_MEMORY_CONFIG,
                defaults.get(ProducerConfig.BUFFER_MEMORY_CONFIG)));
        return (int) Math.min(Integer.MAX_VALUE, Math.min(maxRequestSize, bufferMemory));
    }

    /** A numeric client setting, given as a number (code) or as text (a properties file). */
    private static long number(Object value) {
        return value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().trim());
    }

    static KafkaConsumer<byte[], ByteBuffer> createKafkaConsumer(Map<String, Object> client, String groupId,
                                                                 EdgeConsumerSettings settings) {
        // Frame values are handed out as views of the fetched bytes, not copied (3 KB per frame): the loop decodes them
        // in place and copies the pixels once, into the batch.
        return new KafkaConsumer<>(consumerConfig(client, groupId, settings), new ByteArrayDeserializer(), new ByteBufferDeserializer());
    }

    /** The frames consumer's configuration: the client file's settings, then the device's defaults where it is silent. */
    static Map<String, Object> consumerConfig(Map<String, Object> client, String groupId, EdgeConsumerSettings settings) {
        Map<String, Object> configs = new HashMap<>(client);
        configs.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        configs.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, settings.deviceId() + "-frames");
        // Offsets are committed with the predictions (in the transaction, or after their acknowledgement).
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Never see frames of aborted producer transactions.
        configs.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        // A new device type starts at the oldest retained frame, so it is compared on the same frames as the others.
        configs.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Bounded work per poll keeps a flush well inside max.poll.interval.ms on a small CPU.
        configs.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 256);
        // A fetch brings up to 1 MiB of frames: the operating system's autotuned socket buffer takes it in fewer, larger
        // reads than Kafka's fixed 64 KiB (compared side by side with bench/edge/consumer-ab.sh).
        configs.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
        // A fetch response is read whole into the heap, and the frames' values stay views of it: 2 MiB responses (Kafka's
        // default is 50 MiB) keep two of them (one being read while the other is processed) small beside a 72 MB heap.
        // A frame larger than that still comes, alone: Kafka returns one oversized batch so that the consumer progresses.
        configs.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 2 * 1024 * 1024);
        return configs;
    }

    /** The predictions producer's configuration: the client file's settings, then the device's defaults where it is silent. */
    static Map<String, Object> producerConfig(Map<String, Object> client, EdgeConsumerSettings settings) {
        Map<String, Object> configs = new HashMap<>(client);
        configs.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, settings.deviceId() + "-predictions");
        // No prediction is lost or duplicated by producer retries.
        configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        // Predictions are small and come in bursts of a batch: a little lingering packs them into fewer requests.
        configs.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        // A flush of 256 predictions (about 300 bytes each; batch 64, 4 in flight) puts some 25 KB in each of the three
        // default partitions: one batch each where Kafka's 16 KiB takes two, so half the produce requests and less of the
        // producer's network thread a frame (compared side by side with bench/edge/consumer-ab.sh). Batches are allocated
        // whole: 64 KiB of heap for each partition being written.
        configs.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        // Uncompressed: a prediction (about 300 bytes) is a tenth of the frame the device read for it, so compressing
        // saves little of the device's traffic, while Kafka's lz4 allocates two 64 KiB buffers for every batch, most of
        // the consumer's garbage. A client file may still choose a compression.
        configs.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // A dead letter carries its frame untouched: frames up to the frames topic's limit must fit (Kafka's default is 1 MiB).
        configs.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_DEAD_LETTER_BYTES);
        if (settings.delivery() == DeliveryMode.EXACTLY_ONCE) {
            // Stable per device: a restarted device fences its own zombie, and devices never fence each other.
            configs.putIfAbsent(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "edge-" + settings.deviceId());
        }
        return configs;
    }

    /** Frames per flush: {@code --flush-frames}, else one batch for every request in flight. */
    int flushFrames() {
        return flushFrames != null ? flushFrames : maxBatch * requestsInFlight;
    }

    Properties engineProperties(ModelManifest manifest) {
        String artifactId = artifact != null ? artifact : artifactFor(manifest, engine, precision);
        Properties properties = new Properties();
        properties.setProperty(EngineConfig.ENGINE, engine);
        properties.setProperty(EngineConfig.MODELS_DIR, modelsDir.toString());
        properties.setProperty(EngineConfig.ARTIFACT, artifactId);
        String hint = inferencePrecision;
        if (hint == null && engine.equalsIgnoreCase("openvino") && manifest.artifacts().stream()
                .anyMatch(a -> a.id().equals(artifactId) && a.precision() == Precision.FP32)) {
            hint = "f32";
        }
        if (hint != null) {
            properties.setProperty(EngineConfig.INFERENCE_PRECISION_HINT, hint);
        }
        properties.setProperty(EngineConfig.DEVICE, device);
        properties.setProperty(EngineConfig.PERFORMANCE_HINT, performanceHint);
        properties.setProperty(EngineConfig.MAX_BATCH, Integer.toString(maxBatch));
        properties.setProperty(EngineConfig.REQUESTS_IN_FLIGHT, Integer.toString(requestsInFlight));
        if (numStreams != null) {
            properties.setProperty(EngineConfig.NUM_STREAMS, numStreams.toString());
        }
        if (numThreads != null) {
            properties.setProperty(EngineConfig.NUM_THREADS, numThreads.toString());
        }
        return properties;
    }

    /** The manifest's artifact that the engine's runtime runs at the precision. */
    static String artifactFor(ModelManifest manifest, String engine, String precision) {
        String runtime = engine.toLowerCase(Locale.ROOT);
        String wanted = precision.toUpperCase(Locale.ROOT);
        return manifest.artifacts().stream()
                .filter(a -> a.runtime().manifestName().equals(runtime) && a.precision().manifestName().equals(wanted))
                .map(Artifact::id)
                .findFirst()
                .orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(new EdgeConsumerApp()),
                        "models/manifest.json has no " + wanted + " artifact for " + runtime + "; it has "
                                + manifest.artifacts().stream().map(a -> a.id() + " (" + a.runtime() + " " + a.precision() + ")")
                                        .toList()));
    }

    /** {@code <engine>-<device>-<precision>}, lower case: e.g. {@code openvino-cpu-int8}. */
    public static String defaultDeviceType(EngineDescription description) {
        return (description.engine() + "-" + description.device() + "-" + description.precision()).toLowerCase(Locale.ROOT);
    }
}
