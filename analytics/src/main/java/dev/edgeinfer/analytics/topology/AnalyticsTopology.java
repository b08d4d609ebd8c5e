package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.analytics.agreement.AgreementCounts;
import dev.edgeinfer.analytics.agreement.AgreementVote;
import dev.edgeinfer.analytics.agreement.FrameAgreementJoin;
import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.config.WindowView;
import dev.edgeinfer.analytics.serde.AnalyticsSerdes;
import dev.edgeinfer.analytics.stats.Observation;
import dev.edgeinfer.analytics.stats.SliceStats;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.serde.AvroSerde;
import dev.edgeinfer.schemas.topics.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The analytics topology.
 *
 * <pre>
 * predictions ──► 3 observations (device type, device, precision) ─┐
 * dead letters ─► observations (device type, device) ──────────────┴► repartition by key ─► slices per view
 * predictions ──► join by frame id (frame-votes store) ─► one vote per pair of device types ─► repartition ─► slices
 * heartbeats ───► global table (latest heartbeat per device)
 * </pre>
 *
 * <p>Each view stores tumbling slices of its advance; a hopping window is the merge of the slices it covers (see
 * {@link WindowView}). Grace applies to slices: a record later than its slice's end plus the grace is dropped, and
 * Kafka Streams counts it in its {@code dropped-records} metric.
 */
public final class AnalyticsTopology {

    /** Slices of statistics of the short view, keyed by {@link StatsKey#storeKey()}. */
    public static final String STATS_SHORT_STORE = "stats-short";
    /** Slices of statistics of the long view. */
    public static final String STATS_LONG_STORE = "stats-long";
    /** Slices of agreement counts of the short view, keyed by pair of device types. */
    public static final String AGREEMENT_SHORT_STORE = "agreement-short";
    /** Slices of agreement counts of the long view. */
    public static final String AGREEMENT_LONG_STORE = "agreement-long";
    /** Top-1 classes of recent frames by device type, keyed by frame id. */
    public static final String FRAME_VOTES_STORE = "frame-votes";
    /** Latest heartbeat of every device (a global store: every instance has all of it). */
    public static final String HEARTBEATS_STORE = "device-heartbeats";

    /** Name of the repartition topic of observations (prefixed by the application id). */
    public static final String OBSERVATIONS_REPARTITION = "observations-by-key";
    /** Name of the repartition topic of agreement votes. */
    public static final String VOTES_REPARTITION = "agreement-votes-by-pair";

    private AnalyticsTopology() {
    }

    /** The stores of one view. */
    public record ViewStores(WindowView view, String statsStore, String agreementStore) {
    }

    /** The stores of both views, short first. */
    public static List<ViewStores> viewStores(AnalyticsSettings settings) {
        return List.of(
                new ViewStores(settings.shortView(), STATS_SHORT_STORE, AGREEMENT_SHORT_STORE),
                new ViewStores(settings.longView(), STATS_LONG_STORE, AGREEMENT_LONG_STORE));
    }

    /**
     * Builds the topology.
     *
     * @param settings     windows, grace, join window and limits
     * @param serdeConfigs configs of the Avro serdes ({@code schema.registry.url} and what the registry client needs)
     * @return the topology, reading {@link Topics#PREDICTIONS}, {@link Topics#DEAD_LETTERS} and {@link Topics#HEARTBEATS}
     */
    public static Topology buildTopology(AnalyticsSettings settings, Map<String, ?> serdeConfigs) {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<Prediction> predictionSerde = AvroSerde.specific(Prediction.class, serdeConfigs, false);
        Serde<DeadLetter> deadLetterSerde = AvroSerde.specific(DeadLetter.class, serdeConfigs, false);
        Serde<DeviceHeartbeat> heartbeatSerde = AvroSerde.specific(DeviceHeartbeat.class, serdeConfigs, false);

        // Keys are read as bytes and never decoded: the frame id is also in the value, and a producer's odd key must not stop the app.
        KStream<Bytes, Prediction> predictions = builder.stream(Topics.PREDICTIONS,
                Consumed.with(Serdes.Bytes(), predictionSerde).withName("predictions"));
        KStream<Bytes, DeadLetter> deadLetters = builder.stream(Topics.DEAD_LETTERS,
                Consumed.with(Serdes.Bytes(), deadLetterSerde).withName("dead-letters"));

        KStream<String, Observation> observations = predictions
                .process(() -> new PredictionObservations<>(settings.maxClasses()), Named.as("prediction-observations"))
                .merge(deadLetters.process(DeadLetterObservations<Bytes>::new, Named.as("dead-letter-observations")),
                        Named.as("all-observations"));
        KGroupedStream<String, Observation> observationsByKey = observations
                .repartition(Repartitioned.with(Serdes.String(), AnalyticsSerdes.observation()).withName(OBSERVATIONS_REPARTITION))
                .groupByKey(Grouped.with(Serdes.String(), AnalyticsSerdes.observation()));

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(FRAME_VOTES_STORE), Serdes.String(), AnalyticsSerdes.frameVotes()));
        KGroupedStream<String, AgreementVote> votesByPair = predictions
                .process(() -> new FrameAgreementJoin<>(FRAME_VOTES_STORE, settings.agreementJoinWindow(),
                        settings.agreementPurgeInterval()), Named.as("frame-agreement-join"), FRAME_VOTES_STORE)
                .repartition(Repartitioned.with(Serdes.String(), AnalyticsSerdes.agreementVote()).withName(VOTES_REPARTITION))
                .groupByKey(Grouped.with(Serdes.String(), AnalyticsSerdes.agreementVote()));

        for (ViewStores stores : viewStores(settings)) {
            TimeWindows slices = TimeWindows.ofSizeAndGrace(stores.view().advance(), settings.grace());
            observationsByKey.windowedBy(slices).aggregate(SliceStats::new, (key, observation, stats) -> stats.add(observation),
                    Named.as(stores.statsStore() + "-aggregate"),
                    Materialized.<String, SliceStats, WindowStore<Bytes, byte[]>>as(stores.statsStore())
                            .withKeySerde(Serdes.String()).withValueSerde(AnalyticsSerdes.sliceStats())
                            .withRetention(stores.view().retention()));
            votesByPair.windowedBy(slices).aggregate(AgreementCounts::new, (pair, vote, counts) -> counts.add(vote),
                    Named.as(stores.agreementStore() + "-aggregate"),
                    Materialized.<String, AgreementCounts, WindowStore<Bytes, byte[]>>as(stores.agreementStore())
                            .withKeySerde(Serdes.String()).withValueSerde(AnalyticsSerdes.agreementCounts())
                            .withRetention(stores.view().retention()));
        }

        builder.globalTable(Topics.HEARTBEATS, Consumed.with(Serdes.String(), heartbeatSerde).withName("heartbeats"),
                Materialized.<String, DeviceHeartbeat, KeyValueStore<Bytes, byte[]>>as(HEARTBEATS_STORE));
        return builder.build();
    }
}
