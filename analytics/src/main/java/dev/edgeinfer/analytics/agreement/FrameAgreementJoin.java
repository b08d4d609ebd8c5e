package dev.edgeinfer.analytics.agreement;

import dev.edgeinfer.avro.Prediction;
import java.time.Duration;
import java.util.ArrayList;
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
 * Joins the predictions of one frame by different device types, and emits one {@link AgreementVote} per pair of
 * types the moment the second of the pair arrives.
 *
 * <p>Predictions are keyed by frame id, so all predictions of a frame reach the same task and its store. A frame is
 * joined for {@code joinWindow} of record time after its first prediction; a later prediction of it starts a new
 * join. Of two predictions of one frame by the same device type the first counts. A wall-clock punctuator drops
 * frames older than the join window (measured against stream time, so a replay of old data joins as it did live).
 */
public final class FrameAgreementJoin<K> implements Processor<K, Prediction, String, AgreementVote> {

    private final String storeName;
    private final Duration joinWindow;
    private final Duration purgeInterval;
    private ProcessorContext<String, AgreementVote> context;
    private KeyValueStore<String, FrameVotes> frames;

    /**
     * @param storeName     key-value store of {@link FrameVotes} by frame id, connected to this processor
     * @param joinWindow    how long after a frame's first prediction the others are joined with it
     * @param purgeInterval how often, in wall-clock time, expired frames are removed from the store
     */
    public FrameAgreementJoin(String storeName, Duration joinWindow, Duration purgeInterval) {
        this.storeName = storeName;
        this.joinWindow = joinWindow;
        this.purgeInterval = purgeInterval;
    }

    @Override
    public void init(ProcessorContext<String, AgreementVote> context) {
        this.context = context;
        this.frames = context.getStateStore(storeName);
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, now -> purgeExpired());
    }

    @Override
    public void process(Record<K, Prediction> record) {
        Prediction prediction = record.value();
        if (prediction == null) {
            return;
        }
        String frameId = prediction.getFrameId();
        String deviceType = prediction.getDeviceType();
        int predicted = prediction.getPredictedClass();
        FrameVotes votes = frames.get(frameId);
        if (votes == null || Math.abs(record.timestamp() - votes.firstSeen()) > joinWindow.toMillis()) {
            votes = new FrameVotes(record.timestamp(), Map.of());
        }
        if (votes.classes().containsKey(deviceType)) {
            return;
        }
        for (Map.Entry<String, Integer> other : votes.classes().entrySet()) {
            AgreementVote vote = AgreementVote.of(deviceType, predicted, other.getKey(), other.getValue());
            context.forward(new Record<>(vote.pairKey(), vote, record.timestamp()));
        }
        frames.put(frameId, votes.with(deviceType, predicted));
    }

    private void purgeExpired() {
        long cutoff = context.currentStreamTimeMs() - joinWindow.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, FrameVotes> all = frames.all()) {
            while (all.hasNext()) {
                KeyValue<String, FrameVotes> frame = all.next();
                if (frame.value.firstSeen() < cutoff) {
                    expired.add(frame.key);
                }
            }
        }
        expired.forEach(frames::delete);
    }
}
