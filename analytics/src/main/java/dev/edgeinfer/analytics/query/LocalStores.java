package dev.edgeinfer.analytics.query;

import dev.edgeinfer.avro.DeviceHeartbeat;
import java.util.List;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The stores this instance holds, by name: from a running {@code KafkaStreams} in the app, from a
 * {@code TopologyTestDriver} in tests. A slice store comes in parts, one per active task here: each part holds what
 * its partitions' records counted, for every key.
 */
public interface LocalStores {

    /**
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException if the store is not queryable now (rebalancing)
     */
    <V> List<ReadOnlyWindowStore<String, V>> slices(String storeName);

    /**
     * The index of statistics keys: newest slice start per view; a key may appear once per part.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException if the store is not queryable now
     */
    List<ReadOnlyKeyValueStore<String, long[]>> statsKeys();

    /**
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException if the store is not queryable now
     */
    ReadOnlyKeyValueStore<String, DeviceHeartbeat> heartbeats();
}
