package dev.edgeinfer.analytics.agreement;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-1 class each device type gave one frame so far, kept while the frame's other predictions may still come.
 *
 * @param firstSeen broker timestamp of the frame's first prediction, in epoch milliseconds
 * @param classes   top-1 class index by device type, in arrival order
 */
public record FrameVotes(long firstSeen, Map<String, Integer> classes) {

    /** Stands for a deleted frame inside a write-behind store; never stored. */
    public static final FrameVotes DELETED = new FrameVotes(Long.MIN_VALUE, Map.of());

    public FrameVotes {
        classes = Collections.unmodifiableMap(new LinkedHashMap<>(classes));
    }

    /** These votes plus one more. */
    public FrameVotes with(String deviceType, int predictedClass) {
        Map<String, Integer> more = new LinkedHashMap<>(classes);
        more.put(deviceType, predictedClass);
        return new FrameVotes(firstSeen, more);
    }
}
