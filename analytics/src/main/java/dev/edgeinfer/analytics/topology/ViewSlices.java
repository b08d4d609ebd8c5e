package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.analytics.config.WindowView;
import dev.edgeinfer.analytics.state.WriteBehindWindowStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * The slices of one view in one task's store, as a processor updates them: which slice a record falls in, whether
 * that slice is still open, and the slice object of a key to change in place.
 *
 * <p>A slice of the view's advance is open while its end plus the grace is after the task's stream time: a record
 * later than that is dropped (counted by {@link LateRecords}), as Kafka Streams' windowed aggregations do.
 *
 * @param <V> the aggregate
 */
final class ViewSlices<V> {

    private final WriteBehindWindowStore<V> store;
    private final long advance;
    private final long grace;
    private final Supplier<V> empty;
    private final int index;
    private final long retention;

    /**
     * Where the slices of one view are kept.
     *
     * @param store the store's name
     * @param view  the view
     * @param grace how late a record may be after its slice ended
     */
    record Spec(String store, WindowView view, Duration grace) {
    }

    private ViewSlices(WriteBehindWindowStore<V> store, Spec spec, Supplier<V> empty, int index) {
        this.store = store;
        this.index = index;
        this.retention = spec.view().retention().toMillis();
        this.advance = spec.view().advance().toMillis();
        this.grace = spec.grace().toMillis();
        this.empty = empty;
    }

    /** The slices of every view in {@code specs}, from the stores connected to the processor of {@code context}. */
    static <V> List<ViewSlices<V>> open(ProcessorContext<?, ?> context, List<Spec> specs, Supplier<V> empty) {
        List<ViewSlices<V>> views = new ArrayList<>(specs.size());
        for (int index = 0; index < specs.size(); index++) {
            Spec spec = specs.get(index);
            views.add(new ViewSlices<>(WriteBehindWindowStore.of(context.getStateStore(spec.store())), spec, empty, index));
        }
        return views;
    }

    /** Position of the view in the list it was opened from. */
    int index() {
        return index;
    }

    /** Start of the oldest slice the view still keeps at {@code streamTime}. */
    long oldestKept(long streamTime) {
        return sliceStart(streamTime - retention);
    }

    /** Start of the slice holding {@code timestamp}. */
    long sliceStart(long timestamp) {
        return timestamp - Math.floorMod(timestamp, advance);
    }

    /** Whether the slice starting at {@code sliceStart} still takes records at {@code streamTime}. */
    boolean isOpen(long sliceStart, long streamTime) {
        return sliceStart + advance + grace > streamTime;
    }

    /** The slice of {@code key} starting at {@code sliceStart}, empty if new, to change in place (written at the commit). */
    V slice(String key, long sliceStart) {
        return store.update(key, sliceStart, empty);
    }
}
