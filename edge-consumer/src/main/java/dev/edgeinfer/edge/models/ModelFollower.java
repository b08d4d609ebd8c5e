package dev.edgeinfer.edge.models;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelChunk;
import dev.edgeinfer.avro.ModelUpdate;
import dev.edgeinfer.avro.ModelUpdateState;
import dev.edgeinfer.edge.consumer.ModelHandOff;
import dev.edgeinfer.edge.engine.EngineConfig;
import dev.edgeinfer.edge.engine.EngineDescription;
import dev.edgeinfer.edge.engine.FrameBatch;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.InferenceEngines;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.models.ModelTargets;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the models topic for one device, on a thread of its own: keeps the assignment in force for every target,
 * picks the one that applies to this device ({@link ModelTargets#applicable}), and when it changes, prepares the model
 * off the loop's thread (downloads and verifies its files, compiles it on the device's engine and warms it up with one
 * inference) and hands it to the loop, which swaps between two transactions.
 *
 * <p>A model that cannot be followed (another runtime or precision than the device's, a file missing from the chunks
 * topic or not the one assigned, a model the engine refuses) leaves the current one running: the heartbeat says
 * {@code FAILED} and why, and one dead letter (stage {@code MODEL}) names the assignment's record. It is tried again only
 * when its target gets a new assignment. An assignment withdrawn (a tombstone) leaves the device on the model it runs.
 */
public final class ModelFollower implements ModelHandOff, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(10);

    private final Consumer<byte[], byte[]> models;
    private final AvroDeserializer<ModelAssignment> assignments;
    private final ArtifactDownload download;
    private final EngineConfig engineConfig;
    private final EngineDescription started;
    private final String modelsTopic;
    private final String deviceType;
    private final String deviceId;
    private final String deadLettersTopic;
    private final Clock clock;
    private final Map<String, Seen> inForce = new HashMap<>();
    private final AtomicReference<ReadyModel> ready = new AtomicReference<>();
    private final AtomicReference<ModelUpdate> status = new AtomicReference<>();
    private final List<DeadLetter> failures = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** The assignment last acted on, whatever came of it. */
    private Seen following;
    /** The folder of the model last prepared and handed over, which the loop runs or is about to. */
    private volatile String prepared;

    /** An assignment with where it was read. */
    private record Seen(ModelAssignment assignment, ConsumerRecord<byte[], byte[]> record) {
    }

    /**
     * @param models           a consumer without a group for the models topic, which the download borrows
     * @param assignments      reads assignments
     * @param download         puts an assigned artifact on disk
     * @param engineConfig     the device's engine settings, which every model it follows runs with
     * @param started          the model the device started with: a model must be for its runtime and precision
     * @param modelsTopic      the models topic
     * @param deviceType       the device's type
     * @param deviceId         the device's id
     * @param deadLettersTopic where the dead letters of models that cannot be followed go
     * @param clock            for the times of updates
     */
    public ModelFollower(Consumer<byte[], byte[]> models, AvroDeserializer<ModelAssignment> assignments,
                         ArtifactDownload download, EngineConfig engineConfig, EngineDescription started, String modelsTopic,
                         String deviceType, String deviceId, String deadLettersTopic, Clock clock) {
        this.models = models;
        this.assignments = assignments;
        this.download = download;
        this.engineConfig = engineConfig;
        this.started = started;
        this.modelsTopic = modelsTopic;
        this.deviceType = deviceType;
        this.deviceId = deviceId;
        this.deadLettersTopic = deadLettersTopic;
        this.clock = clock;
        this.thread = new Thread(this::follow, "model-follower");
        this.thread.setDaemon(true);
    }

    /**
     * A follower with its own two consumers (no group, {@code read_committed}: an assignment counts once its publisher
     * committed it with its chunks).
     *
     * @param client the device's client settings (the file's, the registry's)
     * @param cache  the folder models are downloaded to
     */
    public static ModelFollower create(Map<String, Object> client, Path cache, EngineConfig engineConfig,
                                       EngineDescription started, String deviceType, String deviceId,
                                       String deadLettersTopic, Clock clock) {
        AvroDeserializer<ModelAssignment> assignments = AvroDeserializer.forClass(ModelAssignment.class);
        assignments.configure(client, false);
        AvroDeserializer<ModelChunk> chunks = AvroDeserializer.forClass(ModelChunk.class);
        chunks.configure(client, false);
        // One consumer for both topics, assigned to the chunks only while a download runs: a device's memory is tight.
        Consumer<byte[], byte[]> consumer = consumer(client, deviceId + "-models");
        ArtifactDownload download = new ArtifactDownload(consumer, chunks, cache);
        return new ModelFollower(consumer, assignments, download, engineConfig, started, Topics.MODELS, deviceType, deviceId,
                deadLettersTopic, clock);
    }

    private static Consumer<byte[], byte[]> consumer(Map<String, Object> client, String clientId) {
        Map<String, Object> configs = new HashMap<>(client);
        configs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        configs.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A fetch holds at most two chunks (Kafka's default would take 50 MiB): a download adds little to a device's memory.
        configs.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 2 * Topics.MODEL_CHUNK_BYTES + 64 * 1024);
        configs.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * Topics.MODEL_CHUNK_BYTES + 64 * 1024);
        return new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Starts following on the follower's thread. */
    public ModelFollower start() {
        thread.start();
        return this;
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = partitions();
            models.assign(partitions);
            models.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : models.poll(POLL)) {
                    read(record);
                }
                Optional<ModelAssignment> applicable = ModelTargets.applicable(
                        inForce.values().stream().map(Seen::assignment).toList(), deviceType, deviceId);
                if (applicable.isPresent()) {
                    Seen seen = inForce.get(ModelTargets.key(applicable.get()));
                    if (following == null || following.record() != seen.record()) {
                        following = seen;
                        if (ArtifactDownload.folderName(seen.assignment()).equals(prepared)) {
                            sameModel(seen); // promoted from the cohort this device was in: nothing to swap
                        } else {
                            // The download borrows the consumer: back to the models topic where it was afterwards.
                            Map<TopicPartition, Long> positions = new HashMap<>();
                            partitions.forEach(p -> positions.put(p, models.position(p)));
                            prepare(seen);
                            models.assign(partitions);
                            positions.forEach(models::seek);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (WakeupException e) {
            if (running) {
                log.error("device {}: model follower woken up while running; it stops", deviceId, e);
            }
        } catch (RuntimeException e) {
            log.error("device {}: model follower stopped; the device keeps its current model", deviceId, e);
            status.set(update(following, ModelUpdateState.FAILED, "model follower stopped: " + e, null));
        } finally {
            models.close(Duration.ofSeconds(5));
        }
    }

    /**
     * The models topic's partitions, asked again every {@link #RETRY} while the topic is missing or the cluster does not
     * answer: a device started before the topic exists (a cluster whose topics an operator creates) follows it once it
     * does.
     */
    private List<TopicPartition> partitions() throws InterruptedException {
        boolean told = false;
        while (running) {
            try {
                List<TopicPartition> partitions = models.partitionsFor(modelsTopic).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (!partitions.isEmpty()) {
                    return partitions;
                }
            } catch (TimeoutException e) {
                // told below
            }
            if (!told) {
                log.warn("device {}: the models topic {} is not there (yet); it runs the model it started with and looks "
                        + "again every {} s", deviceId, modelsTopic, RETRY.toSeconds());
                told = true;
            }
            Thread.sleep(RETRY.toMillis());
        }
        return List.of();
    }

    private void read(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            if (key != null) {
                inForce.remove(key);
            }
            return;
        }
        ModelAssignment assignment;
        try {
            assignment = assignments.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.warn("device {}: model assignment at {}-{}@{} cannot be read, ignored: {}", deviceId, record.topic(),
                    record.partition(), record.offset(), e.toString());
            return;
        }
        inForce.put(ModelTargets.key(assignment), new Seen(assignment, record));
    }

    /** Downloads, checks, compiles and warms up the assigned model, then offers it to the loop; or says why not. */
    private void prepare(Seen seen) {
        ModelAssignment assignment = seen.assignment();
        String target = ModelTargets.key(assignment);
        status.set(update(seen, ModelUpdateState.LOADING, null, null));
        long start = System.nanoTime();
        InferenceEngine engine = null;
        try {
            refuseMismatch(assignment);
            Path folder = download.fetch(assignment, () -> running);
            engine = InferenceEngines.open(engineConfig.withArtifact(folder, assignment.getModel().getArtifactId()));
            ModelManifest manifest = ModelManifest.read(folder.resolve(ModelManifest.FILE_NAME));
            FrameBatch warmUp = FrameBatch.of(ByteBuffer.allocateDirect(manifest.input().height()
                    * manifest.input().width() * FrameBatch.CHANNELS), 1, manifest.input().height(), manifest.input().width());
            engine.infer(warmUp);
            ReadyModel previous = ready.getAndSet(new ReadyModel(engine, manifest, assignment, target));
            prepared = ArtifactDownload.folderName(assignment);
            if (previous != null) {
                previous.engine().close(); // superseded before the loop took it
            }
            log.info("device {}: model {} {} ({} {}) of {} ready in {} ms; swapping between two transactions", deviceId,
                    assignment.getModel().getName(), assignment.getModel().getVersion(), assignment.getModel().getArtifactId(),
                    assignment.getModel().getSha256(), target, Duration.ofNanos(System.nanoTime() - start).toMillis());
        } catch (Exception e) {
            if (engine != null) {
                engine.close();
            }
            if (running) {
                fail(seen, e);
            }
        }
    }

    /** The assignment names the model the device already runs (same manifest and files): it now follows it there. */
    private void sameModel(Seen seen) {
        ModelUpdate current = status.get();
        Long pause = current == null ? null : current.getSwapPauseMillis();
        status.set(update(seen, ready.get() == null ? ModelUpdateState.ACTIVE : ModelUpdateState.LOADING, null, pause));
        log.info("device {}: {} assigns the model it runs already; nothing to swap", deviceId, ModelTargets.key(seen.assignment()));
    }

    private void refuseMismatch(ModelAssignment assignment) throws ModelLoadException {
        Optional<String> problem = ModelTargets.problem(assignment);
        if (problem.isPresent()) {
            throw new ModelLoadException("the assignment is invalid: " + problem.get());
        }
        if (!assignment.getRuntime().equalsIgnoreCase(engineConfig.engine().configName())) {
            throw new ModelLoadException("the model is for " + assignment.getRuntime() + ", this device runs "
                    + engineConfig.engine().configName());
        }
        String precision = assignment.getModel().getPrecision().name();
        if (!precision.equalsIgnoreCase(started.precision())) {
            throw new ModelLoadException("the model is " + precision + ", this device's type runs "
                    + started.precision().toUpperCase(Locale.ROOT) + " models");
        }
    }

    private void fail(Seen seen, Exception e) {
        ModelAssignment assignment = seen.assignment();
        ConsumerRecord<byte[], byte[]> record = seen.record();
        String reason = "device " + deviceId + " cannot follow model " + assignment.getModel().getName() + " "
                + assignment.getModel().getVersion() + " (" + assignment.getModel().getArtifactId() + ", sha256 "
                + assignment.getModel().getSha256() + ") assigned to " + ModelTargets.key(assignment) + " at "
                + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + e.getMessage()
                + "; it keeps its current model";
        log.warn("{}", reason, e instanceof ModelLoadException ? null : e);
        status.set(update(seen, ModelUpdateState.FAILED, reason, null));
        DeadLetter letter = DeadLetter.newBuilder()
                .setOriginalTopic(record.topic())
                .setOriginalPartition(record.partition())
                .setOriginalOffset(record.offset())
                .setOriginalTimestamp(record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null)
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setOriginalValue(ByteBuffer.wrap(record.value()))
                .setFrameId(null)
                .setStage(FailureStage.MODEL)
                .setErrorClass(e.getClass().getName())
                .setReason(reason)
                .setDeviceId(deviceId)
                .setDeviceType(deviceType)
                .setTime(clock.instant())
                .build();
        synchronized (failures) {
            failures.add(letter);
        }
    }

    private ModelUpdate update(Seen seen, ModelUpdateState state, String reason, Long pauseMillis) {
        if (seen == null) {
            return null;
        }
        ModelAssignment assignment = seen.assignment();
        return new ModelUpdate(ModelTargets.key(assignment), assignment.getModel().getVersion(),
                assignment.getModel().getSha256(), state, reason, pauseMillis, clock.instant());
    }

    @Override
    public ReadyModel take() {
        return ready.getAndSet(null);
    }

    @Override
    public boolean ready() {
        return ready.get() != null;
    }

    @Override
    public void swapped(ReadyModel model, Duration pause) {
        ModelAssignment assignment = model.assignment();
        status.set(new ModelUpdate(model.target(), assignment.getModel().getVersion(), assignment.getModel().getSha256(),
                ModelUpdateState.ACTIVE, null, pause.toMillis(), clock.instant()));
    }

    @Override
    public ModelUpdate status() {
        return status.get();
    }

    @Override
    public List<DeadLetter> drainFailures() {
        synchronized (failures) {
            List<DeadLetter> drained = List.copyOf(failures);
            failures.clear();
            return drained;
        }
    }

    /** @return the dead-letters topic the failures go to */
    public String deadLettersTopic() {
        return deadLettersTopic;
    }

    /** Stops following and closes a model prepared and not taken. */
    @Override
    public void close() {
        running = false;
        models.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ReadyModel left = ready.getAndSet(null);
        if (left != null) {
            left.engine().close();
        }
    }
}
