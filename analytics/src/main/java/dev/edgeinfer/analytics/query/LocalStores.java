package dev.edgeinfer.analytics.query;

import dev.edgeinfer.analytics.agreement.AgreementCounts;
import dev.edgeinfer.analytics.stats.SliceStats;
import dev.edgeinfer.avro.DeviceHeartbeat;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The stores this instance holds, by name: from a running {@code KafkaStreams} in the app, from a
 * {@code TopologyTestDriver} in tests.
 */
public interface LocalStores {

    /**
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException if the store is not queryable now (rebalancing)
     */
    ReadOnlyWindowStore<String, SliceStats> stats(String storeName);

    /**
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException if the store is not queryable now
     */
    ReadOnlyWindowStore<String, AgreementCounts> agreement(String storeName);

    /**
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException if the store is not queryable now
     */
    ReadOnlyKeyValueStore<String, DeviceHeartbeat> heartbeats();
}
