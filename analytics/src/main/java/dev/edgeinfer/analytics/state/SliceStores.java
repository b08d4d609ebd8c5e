package dev.edgeinfer.analytics.state;

import dev.edgeinfer.analytics.config.WindowView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/** Builders of write-behind stores ({@link WriteBehindWindowStore}, {@link WriteBehindKeyValueStore}) and the query type that reads the slices. */
public final class SliceStores {

    /**
     * Slice starts kept as objects after a commit: the newest only. A late record of an older slice reads it back from
     * the store; keeping the one before too would double the memory of every key (a long-view slice of a device
     * holds some hundred latency buckets per histogram).
     */
    private static final int LIVE_SLICE_STARTS = 1;

    private SliceStores() {
    }

    /**
     * A write-behind store of slices of {@code view}: RocksDB window store beneath, change-logged, no record cache (the
     * store is its own cache), slices of the view's advance kept for its retention.
     */
    public static <V> StoreBuilder<WriteBehindWindowStore<V>> builder(String name, WindowView view, Serde<V> serde) {
        StoreBuilder<WindowStore<String, V>> committed = Stores.windowStoreBuilder(
                Stores.persistentWindowStore(name, view.retention(), view.advance(), false), Serdes.String(), serde)
                .withCachingDisabled();
        long sliceMillis = view.advance().toMillis();
        return new DelegatingBuilder<>(committed, store -> new WriteBehindWindowStore<>(store, sliceMillis, LIVE_SLICE_STARTS));
    }

    /**
     * A write-behind key-value store ({@link WriteBehindKeyValueStore}) over a change-logged RocksDB store.
     *
     * @param deleted a value of the type used for nothing else, standing for a deletion until it is written
     */
    public static <V> StoreBuilder<WriteBehindKeyValueStore<V>> keyValueBuilder(String name, Serde<V> serde, V deleted) {
        StoreBuilder<KeyValueStore<String, V>> committed = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(name), Serdes.String(), serde).withCachingDisabled();
        return new DelegatingBuilder<>(committed, store -> new WriteBehindKeyValueStore<>(store, deleted));
    }

    /**
     * The query type of these stores: the committed slices of each local active task's store, one store per task (each
     * holds the part of every key that its partition's records made; a key's figures are the merge of all parts).
     */
    public static <V> QueryableStoreType<List<ReadOnlyWindowStore<String, V>>> committedParts() {
        return new QueryableStoreType<>() {
            @Override
            public boolean accepts(StateStore stateStore) {
                return WriteBehindWindowStore.unwrap(stateStore) != null;
            }

            @Override
            @SuppressWarnings("unchecked")
            public List<ReadOnlyWindowStore<String, V>> create(StateStoreProvider provider, String storeName) {
                // The provider hands back the task stores this type accepted, whatever the declared element type.
                List<?> stores = provider.stores(storeName, this);
                List<ReadOnlyWindowStore<String, V>> parts = new ArrayList<>(stores.size());
                for (Object store : stores) {
                    parts.add(((WriteBehindWindowStore<V>) WriteBehindWindowStore.unwrap((StateStore) store)).committed());
                }
                return parts;
            }
        };
    }

    /** The committed slices of one task's store, as a test driver hands it out. */
    @SuppressWarnings("unchecked")
    public static <V> ReadOnlyWindowStore<String, V> committedPart(StateStore store) {
        WriteBehindWindowStore<?> found = WriteBehindWindowStore.unwrap(store);
        if (found == null) {
            throw new IllegalArgumentException("Not a write-behind slice store: " + store.name() + " (" + store.getClass().getName() + ")");
        }
        return ((WriteBehindWindowStore<V>) found).committed();
    }

    /** Builds the store beneath with Kafka Streams' builder, then wraps it. */
    private record DelegatingBuilder<S extends StateStore, T extends StateStore>(StoreBuilder<S> committed, Function<S, T> wrap)
        implements StoreBuilder<T> {

        @Override
        public StoreBuilder<T> withCachingEnabled() {
            throw new UnsupportedOperationException("A write-behind store is its own cache");
        }

        @Override
        public StoreBuilder<T> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<T> withLoggingEnabled(Map<String, String> config) {
            return new DelegatingBuilder<>(committed.withLoggingEnabled(config), wrap);
        }

        @Override
        public StoreBuilder<T> withLoggingDisabled() {
            throw new UnsupportedOperationException("Write-behind stores are exactly-once only with their changelog");
        }

        @Override
        public T build() {
            return wrap.apply(committed.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return committed.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return committed.loggingEnabled();
        }

        @Override
        public String name() {
            return committed.name();
        }
    }
}
