package dev.edgeinfer.analytics.state;

import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A key-value store of values changed as objects and written to the store beneath, a change-logged RocksDB store,
 * once per commit: the {@link WriteBehindWindowStore}'s scheme for keyed state such as the frames of the agreement
 * join, whose values change a few times within a second and are then left alone. See that class for why the writes
 * happen in {@code flushCache} and what a crash does.
 *
 * <p>{@link #get} and the writes see the changes not yet written; the range reads ({@link #all}, {@link #range}, ...)
 * read the store beneath, as of the last commit. After each flush only the values written in it stay as objects.
 *
 * @param <V> the value
 */
public final class WriteBehindKeyValueStore<V> extends WrappedStateStore<KeyValueStore<String, V>, String, V>
    implements KeyValueStore<String, V> {

    /** Marks a key deleted since the last flush; never handed out. */
    private final V deleted;
    private final WriteBehindCache<String, V> live = new WriteBehindCache<>();

    /**
     * @param committed the change-logged store the values are written to
     * @param deleted   a value that stands for a deletion until the flush writes it (an instance used for nothing else)
     */
    WriteBehindKeyValueStore(KeyValueStore<String, V> committed, V deleted) {
        super(committed);
        this.deleted = deleted;
    }

    @Override
    public void put(String key, V value) {
        live.put(key, value == null ? deleted : value);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(String key) {
        V current = get(key);
        live.put(key, deleted);
        return current;
    }

    @Override
    public V get(String key) {
        V value = live.get(key);
        if (value == deleted) {
            return null;
        }
        return value != null ? value : wrapped().get(key);
    }

    /** Writes the changed values (and deletions) to the store beneath; called by Kafka Streams while it prepares a commit. */
    @Override
    public void flushCache() {
        live.flush((key, value) -> wrapped().put(key, value == deleted ? null : value), key -> false, true);
        super.flushCache();
    }

    /** Drops what was not written: a clean close has flushed before, a dirty one (a crash) must not write. */
    @Override
    public void close() {
        live.clear();
        super.close();
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        return wrapped().reverseAll();
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }
}
