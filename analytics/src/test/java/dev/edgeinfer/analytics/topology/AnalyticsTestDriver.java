package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.analytics.agreement.FrameVotes;
import dev.edgeinfer.analytics.config.AnalyticsConfig;
import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.query.Liveness;
import dev.edgeinfer.analytics.query.LocalSliceReader;
import dev.edgeinfer.analytics.query.LocalStores;
import dev.edgeinfer.analytics.query.StatsQueries;
import dev.edgeinfer.analytics.state.SliceStores;
import dev.edgeinfer.analytics.topology.AnalyticsTopology.ViewStores;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.registry.InMemorySchemaRegistryClient;
import dev.edgeinfer.schemas.serde.AvroSerde;
import dev.edgeinfer.schemas.serde.AvroSerdeConfig;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The analytics topology in a {@link TopologyTestDriver}, with an in-memory schema registry, input topics, and
 * {@link StatsQueries} over the driver's stores. Wall-clock time starts at the given instant.
 */
public final class AnalyticsTestDriver implements AutoCloseable, LocalStores {

    private final String registryScope = "analytics-test-" + UUID.randomUUID();
    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final AnalyticsSettings settings;
    private final TestInputTopic<String, Prediction> predictions;
    private final TestInputTopic<String, DeadLetter> deadLetters;
    private final TestInputTopic<String, DeviceHeartbeat> heartbeats;

    public AnalyticsTestDriver(AnalyticsSettings settings, Instant wallClockStart) {
        this.settings = settings;
        try {
            this.stateDir = Files.createTempDirectory("analytics-test-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> serdeConfigs = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + registryScope);
        Properties props = AnalyticsConfig.streamsConfig(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"),
                "analytics-test", stateDir, null);
        driver = new TopologyTestDriver(AnalyticsTopology.buildTopology(settings, serdeConfigs), props, wallClockStart);
        StringSerializer keys = new StringSerializer();
        predictions = driver.createInputTopic(Topics.PREDICTIONS, keys,
                AvroSerde.specific(Prediction.class, serdeConfigs, false).serializer());
        deadLetters = driver.createInputTopic(Topics.DEAD_LETTERS, keys,
                AvroSerde.specific(DeadLetter.class, serdeConfigs, false).serializer());
        heartbeats = driver.createInputTopic(Topics.HEARTBEATS, keys,
                AvroSerde.specific(DeviceHeartbeat.class, serdeConfigs, false).serializer());
    }

    /** Pipes a prediction keyed by its frame id, with {@code timestamp} as its broker timestamp. */
    public void pipe(Prediction prediction, long timestamp) {
        predictions.pipeInput(prediction.getFrameId(), prediction, timestamp);
    }

    public void pipe(DeadLetter letter, long timestamp) {
        deadLetters.pipeInput("dead", letter, timestamp);
    }

    public void pipe(DeviceHeartbeat heartbeat, long timestamp) {
        heartbeats.pipeInput(heartbeat.getDeviceId(), heartbeat, timestamp);
    }

    public void advanceWallClockTime(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    /** The total of a metric of Kafka Streams' metrics registry, summed over its tags (tasks, processors). */
    public double metricTotal(String name) {
        return driver.metrics().entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    public AnalyticsSettings settings() {
        return settings;
    }

    public ViewStores shortView() {
        return AnalyticsTopology.viewStores(settings).get(0);
    }

    public ViewStores longView() {
        return AnalyticsTopology.viewStores(settings).get(1);
    }

    public StatsQueries queries() {
        return new StatsQueries(new LocalSliceReader(this), this, AnalyticsTopology.viewStores(settings), settings.latencyBounds(),
                new Liveness(Clock.systemUTC()));
    }

    public KeyValueStore<String, FrameVotes> frameVotes() {
        return driver.getKeyValueStore(AnalyticsTopology.FRAME_VOTES_STORE);
    }

    /** The committed slices: the driver commits after every record it pipes and every wall-clock advance. */
    @Override
    public <V> List<ReadOnlyWindowStore<String, V>> slices(String storeName) {
        return List.of(SliceStores.committedPart(driver.getWindowStore(storeName)));
    }

    @Override
    public List<ReadOnlyKeyValueStore<String, long[]>> statsKeys() {
        return List.of(driver.getKeyValueStore(AnalyticsTopology.STATS_KEYS_STORE));
    }

    @Override
    public ReadOnlyKeyValueStore<String, DeviceHeartbeat> heartbeats() {
        return driver.getKeyValueStore(AnalyticsTopology.HEARTBEATS_STORE);
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            InMemorySchemaRegistryClient.dropScope(registryScope);
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
