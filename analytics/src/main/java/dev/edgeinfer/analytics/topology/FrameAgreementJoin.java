package dev.edgeinfer.analytics.topology;

import dev.edgeinfer.analytics.agreement.AgreementCounts;
import dev.edgeinfer.analytics.agreement.AgreementVote;
import dev.edgeinfer.analytics.agreement.FrameVotes;
import dev.edgeinfer.avro.Prediction;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins the predictions of one frame by different device types, and counts one {@link AgreementVote} per pair of
 * types, in the agreement slices of every view, the moment the second of the pair arrives.
 *
 * <p>Predictions are keyed by frame id, so all predictions of a frame reach the same task and its store. A frame is
 * joined for {@code joinWindow} of record time after its first prediction; a later prediction of it starts a new
 * join. Of two predictions of one frame by the same device type the first counts.
 *
 * <p>A wall-clock punctuator deletes frames older than the join window (against stream time, so a replay of old data
 * joins as it did live). It walks the frames in the order this task first saw them instead of the whole store; frames
 * restored from the changelog are not in that order, so the first purge after the task starts walks the store once.
 * A frame purged late is harmless: an expired frame is never joined (see above).
 */
final class FrameAgreementJoin<K> implements Processor<K, Prediction, Void, Void> {

    private record Started(String frameId, long firstSeen) {
    }

    private final String storeName;
    private final Duration joinWindow;
    private final Duration purgeInterval;
    private final List<ViewSlices.Spec> views;
    private final ArrayDeque<Started> byFirstSeen = new ArrayDeque<>();
    /** Pair keys by the two types, so the key of a pair is built once, not for every vote. */
    private final Map<String, Map<String, String>> pairKeys = new HashMap<>();
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, FrameVotes> frames;
    private List<ViewSlices<AgreementCounts>> slices = new ArrayList<>();
    private LateRecords late;
    private InvalidRecords invalid;
    private boolean restoredFramesPurged;

    /**
     * @param storeName     key-value store of {@link FrameVotes} by frame id, connected to this processor
     * @param joinWindow    how long after a frame's first prediction the others are joined with it
     * @param purgeInterval how often, in wall-clock time, expired frames are removed from the store
     * @param views         where the agreement slices of each view are kept
     */
    FrameAgreementJoin(String storeName, Duration joinWindow, Duration purgeInterval, List<ViewSlices.Spec> views) {
        this.storeName = storeName;
        this.joinWindow = joinWindow;
        this.purgeInterval = purgeInterval;
        this.views = views;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.frames = context.getStateStore(storeName);
        byFirstSeen.clear();
        restoredFramesPurged = false;
        this.slices = ViewSlices.open(context, views, AgreementCounts::new);
        this.late = new LateRecords(context, "frame-agreement-join");
        this.invalid = new InvalidRecords(context, "frame-agreement-join");
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, now -> purgeExpired());
    }

    @Override
    public void process(Record<K, Prediction> record) {
        Prediction prediction = record.value();
        if (prediction == null || !invalid.accept("frame id", prediction.getFrameId(), "device type", prediction.getDeviceType())) {
            return;
        }
        String frameId = prediction.getFrameId();
        String deviceType = prediction.getDeviceType();
        int predicted = prediction.getPredictedClass();
        FrameVotes frame = frames.get(frameId);
        if (frame == null || Math.abs(record.timestamp() - frame.firstSeen()) > joinWindow.toMillis()) {
            frame = new FrameVotes(record.timestamp(), Map.of());
            byFirstSeen.addLast(new Started(frameId, record.timestamp()));
        }
        if (frame.classes().containsKey(deviceType)) {
            return;
        }
        if (!frame.classes().isEmpty()) {
            count(frame, deviceType, predicted, record.timestamp());
        }
        frames.put(frameId, frame.with(deviceType, predicted));
    }

    private void count(FrameVotes frame, String deviceType, int predicted, long timestamp) {
        long streamTime = context.currentStreamTimeMs();
        for (ViewSlices<AgreementCounts> view : slices) {
            long start = view.sliceStart(timestamp);
            if (!view.isOpen(start, streamTime)) {
                late.dropped();
                continue;
            }
            for (Map.Entry<String, Integer> other : frame.classes().entrySet()) {
                AgreementVote vote = AgreementVote.of(deviceType, predicted, other.getKey(), other.getValue());
                view.slice(pairKey(deviceType, other.getKey()), start).add(vote);
            }
        }
    }

    private void purgeExpired() {
        long cutoff = context.currentStreamTimeMs() - joinWindow.toMillis();
        if (!restoredFramesPurged) {
            purgeWholeStore(cutoff);
            restoredFramesPurged = true;
        }
        while (!byFirstSeen.isEmpty() && byFirstSeen.peekFirst().firstSeen() < cutoff) {
            Started started = byFirstSeen.pollFirst();
            FrameVotes frame = frames.get(started.frameId());
            // A frame seen again after its window expired started a new join, which is not due yet.
            if (frame != null && frame.firstSeen() < cutoff) {
                frames.delete(started.frameId());
            }
        }
    }

    private String pairKey(String typeA, String typeB) {
        return pairKeys.computeIfAbsent(typeA, a -> new HashMap<>()).computeIfAbsent(typeB, b -> AgreementVote.pairKey(typeA, b));
    }

    /** Deletes the expired frames of the whole store, and puts the others in the purge order. */
    private void purgeWholeStore(long cutoff) {
        List<String> expired = new ArrayList<>();
        List<Started> pending = new ArrayList<>();
        try (KeyValueIterator<String, FrameVotes> all = frames.all()) {
            while (all.hasNext()) {
                KeyValue<String, FrameVotes> frame = all.next();
                if (frame.value.firstSeen() < cutoff) {
                    expired.add(frame.key);
                } else {
                    pending.add(new Started(frame.key, frame.value.firstSeen()));
                }
            }
        }
        for (String frameId : expired) {
            // The scan reads what was committed; a frame re-joined since then is not expired.
            FrameVotes current = frames.get(frameId);
            if (current != null && current.firstSeen() < cutoff) {
                frames.delete(frameId);
            }
        }
        pending.sort(Comparator.comparingLong(Started::firstSeen));
        pending.addAll(byFirstSeen);
        byFirstSeen.clear();
        byFirstSeen.addAll(pending);
    }
}
