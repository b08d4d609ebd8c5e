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
        return streams.store(StoreQueryParameters.fromNameAndType(storeName, SliceStores.<V>committedParts()));
    }

    @Override
    public List<ReadOnlyKeyValueStore<String, long[]>> statsKeys() {
        // One composite over the local tasks: its range() walks every task's part.
        return List.of(streams.store(StoreQueryParameters.fromNameAndType(AnalyticsTopology.STATS_KEYS_STORE,
                QueryableStoreTypes.<String, long[]>keyValueStore())));
    }

    @Override
    public ReadOnlyKeyValueStore<String, DeviceHeartbeat> heartbeats() {
        return streams.store(StoreQueryParameters.fromNameAndType(AnalyticsTopology.HEARTBEATS_STORE,
                QueryableStoreTypes.<String, DeviceHeartbeat>keyValueStore()));
    }
}
