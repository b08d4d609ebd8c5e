package dev.edgeinfer.analytics.query;

import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.OptionalLong;

/**
 * Reads slices merged over their parts: the parts of this instance's tasks ({@link LocalSliceReader}), or of every
 * instance of the application ({@link FleetSliceReader}).
 */
public interface SliceReader {

    /**
     * The slices of one key whose starts lie in {@code [firstStart, lastStart]}, each the merge of all its parts.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException if a store is not queryable now
     */
    <V> NavigableMap<Long, V> slices(SliceKind<V> kind, String store, String key, long firstStart, long lastStart);

    /** Start of the newest slice of a statistics key in view {@code view} (0 short, 1 long), or empty when it has none. */
    OptionalLong newestSlice(int view, String key);

    /** The statistics keys in {@code [keyFrom, keyTo]}. */
    NavigableSet<String> keys(String keyFrom, String keyTo);

    /** Every slice of every key, merged over parts, by key then slice start. */
    <V> Map<String, NavigableMap<Long, V>> allSlices(SliceKind<V> kind, String store);
}
