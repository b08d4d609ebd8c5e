package dev.edgeinfer.analytics.query;

import dev.edgeinfer.analytics.agreement.AgreementCounts;
import dev.edgeinfer.analytics.stats.SliceStats;
import dev.edgeinfer.analytics.topology.AnalyticsTopology;
import dev.edgeinfer.avro.DeviceHeartbeat;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** The stores of a running {@link KafkaStreams}; only active tasks answer, so no key is counted from a stale standby. */
public final class StreamsLocalStores implements LocalStores {

    private final KafkaStreams streams;

    public StreamsLocalStores(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public ReadOnlyWindowStore<String, SliceStats> stats(String storeName) {
        return streams.store(StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.<String, SliceStats>windowStore()));
    }

    @Override
    public ReadOnlyWindowStore<String, AgreementCounts> agreement(String storeName) {
        return streams.store(StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.<String, AgreementCounts>windowStore()));
    }

    @Override
    public ReadOnlyKeyValueStore<String, DeviceHeartbeat> heartbeats() {
        return streams.store(StoreQueryParameters.fromNameAndType(AnalyticsTopology.HEARTBEATS_STORE,
                QueryableStoreTypes.<String, DeviceHeartbeat>keyValueStore()));
    }
}
