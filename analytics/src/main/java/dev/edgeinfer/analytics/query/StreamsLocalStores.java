package dev.edgeinfer.analytics.query;

import dev.edgeinfer.analytics.state.SliceStores;
import dev.edgeinfer.analytics.topology.AnalyticsTopology;
import dev.edgeinfer.avro.DeviceHeartbeat;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The stores of a running {@link KafkaStreams}; only active tasks answer, so nothing is counted from a stale standby,
 * and only what the tasks committed is read.
 */
public final class StreamsLocalStores implements LocalStores {

    private final KafkaStreams streams;

    public StreamsLocalStores(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public <V> List<ReadOnlyWindowStore<String, V>> slices(String storeName) {
        if (holdsNoActiveTask()) {
            return List.of();
        }
        return streams.store(StoreQueryParameters.fromNameAndType(storeName, SliceStores.<V>committedParts()));
    }

    @Override
    public List<ReadOnlyKeyValueStore<String, long[]>> statsKeys() {
        if (holdsNoActiveTask()) {
            return List.of();
        }
        // One composite over the local tasks: its range() walks every task's part.
        return List.of(streams.store(StoreQueryParameters.fromNameAndType(AnalyticsTopology.STATS_KEYS_STORE,
                QueryableStoreTypes.<String, long[]>keyValueStore())));
    }

    /**
     * True when this instance runs and holds no active task: it has no part to give (its tasks are elsewhere while it
     * warms up, say, after a restart with its state lost), and answers from the other instances' parts. Kafka Streams
     * would instead refuse the store as "migrated", and the instance would answer nothing until it held a task again
     * (up to the probing rebalance interval, 10 minutes by default).
     */
    private boolean holdsNoActiveTask() {
        return streams.state() == KafkaStreams.State.RUNNING
                && streams.metadataForLocalThreads().stream().allMatch(thread -> thread.activeTasks().isEmpty());
    }

    @Override
    public ReadOnlyKeyValueStore<String, DeviceHeartbeat> heartbeats() {
        return streams.store(StoreQueryParameters.fromNameAndType(AnalyticsTopology.HEARTBEATS_STORE,
                QueryableStoreTypes.<String, DeviceHeartbeat>keyValueStore()));
    }
}
