package dev.edgeinfer.analytics.state;

import dev.edgeinfer.analytics.config.WindowView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/** Builders of {@link WriteBehindWindowStore}s and the query type that reads them. */
public final class SliceStores {

    /** Slices kept as objects after a commit: the current one and the one before, which late records still reach. */
    private static final int LIVE_SLICE_STARTS = 2;

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
        return new Builder<>(committed, view.advance().toMillis());
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

    private record Builder<V>(StoreBuilder<WindowStore<String, V>> committed, long sliceMillis)
            implements StoreBuilder<WriteBehindWindowStore<V>> {

        @Override
        public StoreBuilder<WriteBehindWindowStore<V>> withCachingEnabled() {
            throw new UnsupportedOperationException("A write-behind store is its own cache");
        }

        @Override
        public StoreBuilder<WriteBehindWindowStore<V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<WriteBehindWindowStore<V>> withLoggingEnabled(Map<String, String> config) {
            return new Builder<>(committed.withLoggingEnabled(config), sliceMillis);
        }

        @Override
        public StoreBuilder<WriteBehindWindowStore<V>> withLoggingDisabled() {
            throw new UnsupportedOperationException("Write-behind stores are exactly-once only with their changelog");
        }

        @Override
        public WriteBehindWindowStore<V> build() {
            return new WriteBehindWindowStore<>(committed.build(), sliceMillis, LIVE_SLICE_STARTS);
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
