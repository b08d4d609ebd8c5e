package dev.edgeinfer.analytics.config;

import dev.edgeinfer.analytics.serde.RegistryAwareExceptionHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams configuration of the analytics app. The client properties (file first, command-line addresses
 * over it) are taken as given; defaults fill only what they leave unset.
 */
public final class AnalyticsConfig {

    /** Default application id, and so the consumer group and the prefix of internal topics. */
    public static final String DEFAULT_APPLICATION_ID = "edgeinfer-analytics";

    private AnalyticsConfig() {
    }

    /**
     * The Streams configuration.
     *
     * @param clientConfigs     client settings, e.g. from {@code ClientConfig.load}; {@code analytics.*} keys are left out
     *                          (they are read by {@link AnalyticsSettings})
     * @param applicationId     application id, or null for the file's or the default
     * @param stateDir          state directory, or null for the file's or Kafka Streams' default
     * @param applicationServer {@code host:port} this instance's HTTP API is reached at by other instances, or null
     * @return a fresh Properties object
     */
    public static Properties streamsConfig(Map<String, ?> clientConfigs, String applicationId, Path stateDir,
                                           String applicationServer) {
        Properties props = new Properties();
        clientConfigs.forEach((key, value) -> {
            if (!key.startsWith(AnalyticsSettings.PREFIX)) {
                props.put(key, value);
            }
        });
        if (applicationId != null) {
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        }
        if (stateDir != null) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        // Every count is exact: a record is counted once even across crashes and rebalances.
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // A warm copy of every store on another instance makes fail-over a promotion instead of a full restore.
        props.putIfAbsent(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        // One undecodable prediction must not stop the analytics of the whole fleet; it is logged and counted
        // in the skipped-records metric. One that needs an unreachable registry is retried, not skipped.
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RegistryAwareExceptionHandler.class);
        // Slices are written to their changelogs once per commit (write-behind stores): a commit a second, instead of
        // exactly-once's default ten, writes a tenth as many changelog records; queries see figures at most a second old.
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        // Predictions and dead letters are counted independently: a task never waits for the other topic's records
        // (it would idle while the dead-letters partition is empty, and check for that before every record).
        props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        // All RocksDB stores share one bounded block cache and memtable budget.
        props.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        // Start from the beginning of the retained predictions on first start: windows then cover what the topic holds.
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    /** The {@code analytics.*} settings in {@code clientConfigs}, defaults for the rest. */
    public static AnalyticsSettings settings(Map<String, ?> clientConfigs) {
        Properties analytics = new Properties();
        clientConfigs.forEach((key, value) -> {
            if (key.startsWith(AnalyticsSettings.PREFIX)) {
                analytics.setProperty(key, String.valueOf(value));
            }
        });
        return AnalyticsSettings.fromProperties(analytics);
    }
}
