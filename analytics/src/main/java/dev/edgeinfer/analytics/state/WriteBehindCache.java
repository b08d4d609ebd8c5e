package dev.edgeinfer.analytics.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The objects of a write-behind store: values by key, each marked when changed since the last flush. One map lookup
 * reads a value, one marks it changed; a flush hands the changed ones to the store beneath in the order they first
 * changed. Not thread-safe: one stream thread owns it.
 *
 * @param <K> the key
 * @param <V> the value, changed in place by its owner
 */
final class WriteBehindCache<K, V> {

    private static final class Entry<K, V> {
        final K key;
        V value;
        boolean changed;

        Entry(K key, V value) {
            this.key = key;
            this.value = value;
        }
    }

    private final Map<K, Entry<K, V>> entries = new HashMap<>();
    private final List<Entry<K, V>> changed = new ArrayList<>();

    /** The value held for {@code key}, or null. */
    V get(K key) {
        Entry<K, V> entry = entries.get(key);
        return entry == null ? null : entry.value;
    }

    /**
     * The value of {@code key}, marked changed: the caller changes it in place. One map lookup; {@code load} gives the
     * value when none is held.
     */
    V getForUpdate(K key, Function<K, V> load) {
        Entry<K, V> entry = entries.get(key);
        if (entry == null) {
            entry = new Entry<>(key, load.apply(key));
            entries.put(key, entry);
        }
        if (!entry.changed) {
            entry.changed = true;
            changed.add(entry);
        }
        return entry.value;
    }

    /** Holds {@code value} for {@code key}, changed since the last flush. */
    void put(K key, V value) {
        Entry<K, V> entry = entries.get(key);
        if (entry == null) {
            entry = new Entry<>(key, value);
            entries.put(key, entry);
        }
        entry.value = value;
        if (!entry.changed) {
            entry.changed = true;
            changed.add(entry);
        }
    }

    /** Forgets {@code key}; a change not yet flushed is dropped with it. */
    void remove(K key) {
        Entry<K, V> entry = entries.remove(key);
        if (entry != null && entry.changed) {
            changed.remove(entry);
        }
    }

    /**
     * Hands every changed value to {@code writer}, then keeps only the entries that {@code keep} accepts, and, when
     * {@code keepJustWritten}, those just written.
     */
    void flush(BiConsumer<K, V> writer, Predicate<K> keep, boolean keepJustWritten) {
        List<Entry<K, V>> written = List.copyOf(changed);
        changed.clear();
        for (Entry<K, V> entry : written) {
            writer.accept(entry.key, entry.value);
        }
        entries.values().removeIf(entry -> !keep.test(entry.key) && !(keepJustWritten && entry.changed));
        written.forEach(entry -> entry.changed = false);
    }

    /** Drops everything, written or not. */
    void clear() {
        entries.clear();
        changed.clear();
    }

    int size() {
        return entries.size();
    }
}
