package dev.edgeinfer.analytics.query;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** Slices merged over the parts held by this instance's active tasks. */
public final class LocalSliceReader implements SliceReader {

    private final LocalStores stores;

    public LocalSliceReader(LocalStores stores) {
        this.stores = stores;
    }

    @Override
    public <V> NavigableMap<Long, V> slices(SliceKind<V> kind, String store, String key, long firstStart, long lastStart) {
        NavigableMap<Long, V> merged = new TreeMap<>();
        for (ReadOnlyWindowStore<String, V> part : stores.<V>slices(store)) {
            try (WindowStoreIterator<V> slices = part.fetch(key, Instant.ofEpochMilli(firstStart), Instant.ofEpochMilli(lastStart))) {
                while (slices.hasNext()) {
                    KeyValue<Long, V> slice = slices.next();
                    merged.merge(slice.key, slice.value, kind.merger());
                }
            }
        }
        return merged;
    }

    @Override
    public OptionalLong newestSlice(int view, String key) {
        OptionalLong newest = OptionalLong.empty();
        for (ReadOnlyKeyValueStore<String, long[]> part : stores.statsKeys()) {
            try (KeyValueIterator<String, long[]> entries = part.range(key, key)) {
                while (entries.hasNext()) {
                    long[] starts = entries.next().value;
                    if (view < starts.length && starts[view] != Long.MIN_VALUE) {
                        newest = OptionalLong.of(newest.isEmpty() ? starts[view] : Math.max(starts[view], newest.getAsLong()));
                    }
                }
            }
        }
        return newest;
    }

    @Override
    public NavigableSet<String> keys(String keyFrom, String keyTo) {
        NavigableSet<String> keys = new TreeSet<>();
        for (ReadOnlyKeyValueStore<String, long[]> part : stores.statsKeys()) {
            try (KeyValueIterator<String, long[]> entries = part.range(keyFrom, keyTo)) {
                entries.forEachRemaining(entry -> keys.add(entry.key));
            }
        }
        return keys;
    }

    @Override
    public <V> Map<String, NavigableMap<Long, V>> allSlices(SliceKind<V> kind, String store) {
        Map<String, NavigableMap<Long, V>> merged = new HashMap<>();
        for (ReadOnlyWindowStore<String, V> part : stores.<V>slices(store)) {
            try (KeyValueIterator<Windowed<String>, V> all = part.all()) {
                while (all.hasNext()) {
                    KeyValue<Windowed<String>, V> slice = all.next();
                    merged.computeIfAbsent(slice.key.key(), k -> new TreeMap<>())
                            .merge(slice.key.window().start(), slice.value, kind.merger());
                }
            }
        }
        return merged;
    }
}
