package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.analytics.stats.Observation;
import dev.edgeinfer.analytics.stats.SliceStats;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Counts observations into the statistics slices of one task, in every view, under the keys given, and keeps the
 * index of keys ({@link StatsKeys}); a record later than its slice's grace is counted as dropped ({@link LateRecords}).
 * What the prediction and dead-letter processors share.
 */
final class StatsCounter {

    private final ProcessorContext<?, ?> context;
    private final List<ViewSlices<SliceStats>> slices;
    private final StatsKeys keys;
    private final LateRecords late;

    /**
     * @param context   the processor's context, whose stores are connected
     * @param views     where the slices of each view are kept
     * @param keysStore the index of keys
     * @param processor the processor's name, for the late-records metric
     */
    StatsCounter(ProcessorContext<?, ?> context, List<ViewSlices.Spec> views, String keysStore, String processor) {
        this.context = context;
        this.slices = ViewSlices.open(context, views, SliceStats::new);
        this.keys = new StatsKeys(context, keysStore, views.size());
        this.late = new LateRecords(context, processor);
    }

    /** Counts {@code observation}, made at {@code timestamp}, under each of {@code storeKeys}. */
    void count(long timestamp, Observation observation, String... storeKeys) {
        long streamTime = context.currentStreamTimeMs();
        for (ViewSlices<SliceStats> view : slices) {
            long start = view.sliceStart(timestamp);
            if (!view.isOpen(start, streamTime)) {
                late.dropped();
                continue;
            }
            for (String key : storeKeys) {
                view.slice(key, start).add(observation);
                keys.touched(key, view.index(), start);
            }
        }
    }

    /** Removes the keys whose newest slice has left every view's retention. */
    void purgeKeys() {
        long streamTime = context.currentStreamTimeMs();
        keys.purge(slices.stream().map(view -> view.oldestKept(streamTime)).toList());
    }
}
