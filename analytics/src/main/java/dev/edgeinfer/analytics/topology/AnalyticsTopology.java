package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.analytics.agreement.FrameVotes;
import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.config.WindowView;
import dev.edgeinfer.analytics.serde.AnalyticsSerdes;
import dev.edgeinfer.analytics.state.SliceStores;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.serde.AvroSerde;
import dev.edgeinfer.schemas.topics.Topics;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * The analytics topology: one sub-topology, no repartition topic.
 *
 * <pre>
 * predictions ──► slices of device type, device, precision (every view)
 *             └─► join by frame id (frame-votes store) ─► agreement slices of every pair of device types
 * dead letters ─► slices of device type, device (every view)
 * heartbeats ───► global table (latest heartbeat per device)
 * </pre>
 *
 * <p>Each task counts the records of its partitions into slices of its own stores: a task's slice of a key is that
 * partition's part of the key's figures, and a query merges the parts of every task (counts and histograms add
 * exactly). Predictions are keyed by frame id, so all predictions of a frame meet in one task for the join. Each
 * view stores tumbling slices of its advance; a hopping window is the merge of the slices it covers (see
 * {@link WindowView}). Slices are updated in memory and written once per commit ({@link SliceStores}). Grace applies
 * to slices: a record later than its slice's end plus the grace is dropped and counted in the
 * {@code late-record-drop} metric.
 */
public final class AnalyticsTopology {

    /** Slices of statistics of the short view, keyed by {@link StatsKey#storeKey()}. */
    public static final String STATS_SHORT_STORE = "stats-slices-short";
    /** Slices of statistics of the long view. */
    public static final String STATS_LONG_STORE = "stats-slices-long";
    /** Slices of agreement counts of the short view, keyed by pair of device types. */
    public static final String AGREEMENT_SHORT_STORE = "agreement-slices-short";
    /** Slices of agreement counts of the long view. */
    public static final String AGREEMENT_LONG_STORE = "agreement-slices-long";
    /** Newest slice start of each statistics key in each view (see {@code StatsKeys}). */
    public static final String STATS_KEYS_STORE = "stats-keys";
    /** Top-1 classes of recent frames by device type, keyed by frame id. */
    public static final String FRAME_VOTES_STORE = "frame-votes";
    /** Latest heartbeat of every device (a global store: every instance has all of it). */
    public static final String HEARTBEATS_STORE = "device-heartbeats";

    private static final String PREDICTIONS_SOURCE = "predictions";
    private static final String DEAD_LETTERS_SOURCE = "dead-letters";
    private static final String PREDICTION_STATS = "prediction-stats";
    private static final String DEAD_LETTER_STATS = "dead-letter-stats";
    private static final String FRAME_AGREEMENT_JOIN = "frame-agreement-join";

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
        List<ViewStores> views = viewStores(settings);
        List<ViewSlices.Spec> statsSlices = views.stream()
                .map(v -> new ViewSlices.Spec(v.statsStore(), v.view(), settings.grace())).toList();
        List<ViewSlices.Spec> agreementSlices = views.stream()
                .map(v -> new ViewSlices.Spec(v.agreementStore(), v.view(), settings.grace())).toList();
        String[] statsStores = concat(views.stream().map(ViewStores::statsStore).toArray(String[]::new), STATS_KEYS_STORE);
        String[] joinStores = views.stream().map(ViewStores::agreementStore).toArray(String[]::new);

        for (ViewStores stores : views) {
            builder.addStateStore(SliceStores.builder(stores.statsStore(), stores.view(), AnalyticsSerdes.sliceStats()));
            builder.addStateStore(SliceStores.builder(stores.agreementStore(), stores.view(), AnalyticsSerdes.agreementCounts()));
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATS_KEYS_STORE),
                Serdes.String(), AnalyticsSerdes.sliceStarts()).withCachingEnabled());
        // A frame's several votes within one commit become one changelog record, and are not decoded in between.
        builder.addStateStore(SliceStores.keyValueBuilder(FRAME_VOTES_STORE, AnalyticsSerdes.frameVotes(), FrameVotes.DELETED));

        // Keys are read as bytes and never decoded: the frame id is also in the value, and a producer's odd key must not stop the app.
        KStream<Bytes, Prediction> predictions = builder.stream(Topics.PREDICTIONS,
                Consumed.with(Serdes.Bytes(), predictionSerde).withName(PREDICTIONS_SOURCE));
        KStream<Bytes, DeadLetter> deadLetters = builder.stream(Topics.DEAD_LETTERS,
                Consumed.with(Serdes.Bytes(), deadLetterSerde).withName(DEAD_LETTERS_SOURCE));
        predictions.process(() -> new PredictionStats<>(settings.maxClasses(), statsSlices, STATS_KEYS_STORE), Named.as(PREDICTION_STATS),
                statsStores);
        deadLetters.process(() -> new DeadLetterStats<>(statsSlices, STATS_KEYS_STORE), Named.as(DEAD_LETTER_STATS), statsStores);
        predictions.process(() -> new FrameAgreementJoin<>(FRAME_VOTES_STORE, settings.agreementJoinWindow(),
                settings.agreementPurgeInterval(), agreementSlices), Named.as(FRAME_AGREEMENT_JOIN), concat(joinStores, FRAME_VOTES_STORE));

        // In memory, read again from the compacted topic at each start (one small record per device). A persistent global
        // store under exactly-once is refused after a SIGKILL (its state "may hold uncommitted data"), and the global
        // thread's failure stops the whole instance, which a restart would meet again.
        builder.globalTable(Topics.HEARTBEATS, Consumed.with(Serdes.String(), heartbeatSerde).withName("heartbeats"),
                Materialized.<String, DeviceHeartbeat>as(Stores.inMemoryKeyValueStore(HEARTBEATS_STORE)));
        return builder.build();
    }

    private static String[] concat(String[] names, String more) {
        String[] all = Arrays.copyOf(names, names.length + 1);
        all[names.length] = more;
        return all;
    }
}
