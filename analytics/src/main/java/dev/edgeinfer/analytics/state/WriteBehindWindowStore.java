package dev.edgeinfer.analytics.state;

import java.time.Instant;
import java.util.function.Supplier;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A window store of mutable aggregates (statistics slices) that are updated in place as objects and written to the
 * store beneath, a change-logged RocksDB window store, once per commit instead of once per record.
 *
 * <p>Why: an aggregate updated through a plain store is decoded and encoded on every record. Here the processor
 * {@link #fetch(Object, long) fetches} the slice, changes the object and {@link #put(Object, Object, long) puts} it
 * back, which only marks it changed; nothing is encoded until the commit.
 *
 * <p>Exactly-once: Kafka Streams flushes store caches ({@code CachedStateStore#flushCache}) while it prepares a commit,
 * before the transaction that also holds the input offsets commits. This store writes its changed slices there, so
 * their changelog records are in that transaction. ({@code StateStore#commit} is called only after the transaction
 * has committed, too late for that.) A crash aborts the transaction; the slices changed since the last commit are
 * lost with it, and the task restores the store from the changelog and reprocesses the same input.
 *
 * <p>Reads: the single-slice {@link #fetch(Object, long)} is the processor's read for update and sees the changes
 * not yet written. Every other read, and every interactive query ({@link #committed()}), reads the store beneath:
 * the figures as of the last commit, safe to read from other threads.
 *
 * <p>Memory: after each flush only the slices of the newest {@code keepSlices} slice starts stay as objects; older
 * ones (late records within the grace) are read back from the store when they change again.
 *
 * @param <V> the aggregate, mutated in place by the one stream thread that owns the task
 */
public final class WriteBehindWindowStore<V> extends WrappedStateStore<WindowStore<String, V>, String, V>
    implements WindowStore<String, V> {

    private record Slice(String key, long start) {
    }

    private final long sliceMillis;
    private final int keepSlices;
    private final WriteBehindCache<Slice, V> live = new WriteBehindCache<>();
    private long newestStart = Long.MIN_VALUE;

    /**
     * @param committed   the change-logged store the slices are written to
     * @param sliceMillis length of a slice (the view's advance)
     * @param keepSlices  how many of the newest slice starts stay in memory after a flush
     */
    WriteBehindWindowStore(WindowStore<String, V> committed, long sliceMillis, int keepSlices) {
        super(committed);
        this.sliceMillis = sliceMillis;
        this.keepSlices = keepSlices;
    }

    /** The slices as of the last commit: what interactive queries read. */
    public WindowStore<String, V> committed() {
        return wrapped();
    }

    /** The store of this type inside {@code store} (which Kafka Streams may have wrapped), or null if none. */
    static WriteBehindWindowStore<?> unwrap(StateStore store) {
        if (store instanceof WriteBehindWindowStore<?> found) {
            return found;
        }
        if (store instanceof WrappedStateStore<?, ?, ?> wrapper) {
            return unwrap(wrapper.wrapped());
        }
        return null;
    }

    /** Number of slices held as objects now; for tests and metrics. */
    public int liveSlices() {
        return live.size();
    }

    @Override
    public void put(String key, V value, long windowStartTimestamp) {
        Slice slice = new Slice(key, windowStartTimestamp);
        if (value == null) {
            live.remove(slice);
            wrapped().put(key, null, windowStartTimestamp);
            return;
        }
        live.put(slice, value);
        newestStart = Math.max(newestStart, windowStartTimestamp);
    }

    @Override
    public V fetch(String key, long time) {
        V value = live.get(new Slice(key, time));
        return value != null ? value : wrapped().fetch(key, time);
    }

    /**
     * The slice of {@code key} starting at {@code windowStart} for the caller to change in place: the one held, else the
     * one beneath, else {@code empty}'s; marked changed. What {@code fetch} then {@code put} do, in one lookup.
     */
    public V update(String key, long windowStart, Supplier<V> empty) {
        newestStart = Math.max(newestStart, windowStart);
        return live.getForUpdate(new Slice(key, windowStart), slice -> {
            V stored = wrapped().fetch(slice.key(), slice.start());
            return stored != null ? stored : empty.get();
        });
    }

    /** The store of this type behind {@code store} as a processor's context hands it out. */
    @SuppressWarnings("unchecked")
    public static <V> WriteBehindWindowStore<V> of(StateStore store) {
        WriteBehindWindowStore<?> found = unwrap(store);
        if (found == null) {
            throw new IllegalArgumentException("Not a write-behind window store: " + store.name());
        }
        return (WriteBehindWindowStore<V>) found;
    }

    /** Writes the changed slices to the store beneath; called by Kafka Streams while it prepares a commit. */
    @Override
    public void flushCache() {
        long oldestKept = newestStart - (keepSlices - 1L) * sliceMillis;
        live.flush((slice, value) -> wrapped().put(slice.key(), value, slice.start()), slice -> slice.start() >= oldestKept, false);
        super.flushCache();
    }

    /** Drops what was not written: a clean close has flushed before, a dirty one (a crash) must not write. */
    @Override
    public void close() {
        live.clear();
        newestStart = Long.MIN_VALUE;
        super.close();
    }

    @Override
    public WindowStoreIterator<V> fetch(String key, long timeFrom, long timeTo) {
        return wrapped().fetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<V> fetch(String key, Instant timeFrom, Instant timeTo) {
        return wrapped().fetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(String key, long timeFrom, long timeTo) {
        return wrapped().backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(String key, Instant timeFrom, Instant timeTo) {
        return wrapped().backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> fetch(String keyFrom, String keyTo, long timeFrom, long timeTo) {
        return wrapped().fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> fetch(String keyFrom, String keyTo, Instant timeFrom, Instant timeTo) {
        return wrapped().fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> backwardFetch(String keyFrom, String keyTo, long timeFrom, long timeTo) {
        return wrapped().backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> fetchAll(long timeFrom, long timeTo) {
        return wrapped().fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> fetchAll(Instant timeFrom, Instant timeTo) {
        return wrapped().fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> all() {
        return wrapped().all();
    }
}
