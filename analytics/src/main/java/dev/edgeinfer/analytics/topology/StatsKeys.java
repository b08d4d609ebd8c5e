package dev.edgeinfer.analytics.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The index of statistics keys of one task: for each key, the start of its newest slice in each view (index as in
 * {@link AnalyticsTopology#viewStores}). Queries read it to list keys and to find a key's latest window without
 * scanning (and decoding) the slices themselves. It is written only when a key's newest slice moves on, about once
 * per key and slice, and a key whose newest slice has left every view's retention is removed.
 */
final class StatsKeys {

    private final KeyValueStore<String, long[]> store;
    private final Map<String, long[]> newest = new HashMap<>();
    private final int views;

    StatsKeys(ProcessorContext<?, ?> context, String storeName, int views) {
        this.store = context.getStateStore(storeName);
        this.views = views;
    }

    /** Notes that {@code key} has a slice starting at {@code sliceStart} in view {@code view}. */
    void touched(String key, int view, long sliceStart) {
        long[] starts = newest.get(key);
        if (starts == null) {
            long[] stored = store.get(key);
            starts = stored != null && stored.length == views ? stored : emptyStarts();
            newest.put(key, starts);
        }
        if (sliceStart > starts[view]) {
            starts[view] = sliceStart;
            // Another processor of the task (predictions, dead letters) may have moved another view on meanwhile.
            long[] stored = store.get(key);
            for (int other = 0; stored != null && other < Math.min(views, stored.length); other++) {
                starts[other] = Math.max(starts[other], stored[other]);
            }
            store.put(key, starts.clone());
        }
    }

    /** Removes the keys whose newest slice in every view started before that view's {@code oldestKept} start. */
    void purge(List<Long> oldestKept) {
        try (KeyValueIterator<String, long[]> all = store.all()) {
            List<String> expired = new ArrayList<>();
            while (all.hasNext()) {
                KeyValue<String, long[]> key = all.next();
                if (isExpired(key.value, oldestKept)) {
                    expired.add(key.key);
                }
            }
            expired.forEach(key -> {
                store.delete(key);
                newest.remove(key);
            });
        }
    }

    private static boolean isExpired(long[] starts, List<Long> oldestKept) {
        for (int view = 0; view < starts.length && view < oldestKept.size(); view++) {
            if (starts[view] >= oldestKept.get(view)) {
                return false;
            }
        }
        return true;
    }

    private long[] emptyStarts() {
        long[] starts = new long[views];
        Arrays.fill(starts, Long.MIN_VALUE);
        return starts;
    }
}
