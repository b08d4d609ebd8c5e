package dev.edgeinfer.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.topics.CommittedTopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened to the frames of one run: the frame ids in its frames topic against the committed predictions and
 * dead letters of one device type. It reads the topics as a {@code read_committed} consumer would, so a prediction
 * of an aborted transaction never counts and a prediction committed twice counts twice.
 */
final class FrameLedger implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The counts.
     *
     * @param framesInTopic records in the frames topic
     * @param distinctFrames distinct frame ids among them
     * @param predictedFrames frames with at least one prediction
     * @param predictions predictions of the device type, duplicates included
     * @param lost frames in the topic without a prediction
     * @param duplicates predictions beyond the first of their frame
     * @param deadLetters dead letters of the device type
     */
    record Tally(long framesInTopic, long distinctFrames, long predictedFrames, long predictions, long lost,
                 long duplicates, long deadLetters) {
        @Override
        public String toString() {
            return "frames " + framesInTopic + " (" + distinctFrames + " distinct), predicted " + predictedFrames
                    + " with " + predictions + " predictions, lost " + lost + ", duplicates " + duplicates
                    + ", dead letters " + deadLetters;
        }
    }

    private final String deviceType;
    private final CommittedTopicReader frames;
    private final CommittedTopicReader predictions;
    private final CommittedTopicReader deadLetters;
    private final AvroDeserializer<Prediction> predictionReader = AvroDeserializer.forClass(Prediction.class);
    private final AvroDeserializer<DeadLetter> deadLetterReader = AvroDeserializer.forClass(DeadLetter.class);
    private final Map<String, Integer> frameRecords = new HashMap<>();
    private final Map<String, Integer> predicted = new HashMap<>();
    private final List<DeadLetter> letters = new ArrayList<>();
    private long frameCount;

    FrameLedger(LocalStack stack, String framesTopic, String deviceType) {
        this.deviceType = deviceType;
        predictionReader.configure(stack.clientProperties(), false);
        deadLetterReader.configure(stack.clientProperties(), false);
        this.frames = new CommittedTopicReader(stack.clientProperties(), framesTopic);
        this.predictions = new CommittedTopicReader(stack.clientProperties(), Topics.PREDICTIONS);
        this.deadLetters = new CommittedTopicReader(stack.clientProperties(), Topics.DEAD_LETTERS);
    }

    /** Reads what was committed since the last call and returns the counts. */
    Tally refresh() {
        frameCount += frames.readToEnd(record -> frameRecords.merge(new String(record.key(), StandardCharsets.UTF_8), 1, Integer::sum),
                READ_TIMEOUT);
        predictions.readToEnd(record -> {
            Prediction prediction = predictionReader.deserialize(record);
            if (prediction.getDeviceType().equals(deviceType)) {
                predicted.merge(prediction.getFrameId(), 1, Integer::sum);
            }
        }, READ_TIMEOUT);
        deadLetters.readToEnd(record -> {
            DeadLetter letter = deadLetterReader.deserialize(record);
            if (deviceType.equals(letter.getDeviceType())) {
                letters.add(letter);
            }
        }, READ_TIMEOUT);
        return tally();
    }

    Tally tally() {
        long predictedFrames = frameRecords.keySet().stream().filter(predicted::containsKey).count();
        long predictionCount = predicted.values().stream().mapToLong(Integer::longValue).sum();
        return new Tally(frameCount, frameRecords.size(), predictedFrames, predictionCount,
                frameRecords.size() - predictedFrames, predictionCount - predicted.size(), letters.size());
    }

    /** The dead letters of the device type read so far. */
    List<DeadLetter> deadLetters() {
        return List.copyOf(letters);
    }

    /**
     * Waits until every frame in the topic has a prediction, failing early if a process that must keep running exits,
     * then reads once more after a quiet period so that late duplicates would be counted too.
     */
    Tally awaitEveryFramePredicted(Duration timeout, AppProcess... mustRun) throws InterruptedException {
        Eventually.await("every frame of the run predicted by " + deviceType, timeout, () -> {
            Pipeline.assertAlive(mustRun);
            Tally tally = refresh();
            assertThat(tally.lost()).as("frames without a prediction: %s", tally).isZero();
        });
        Thread.sleep(3000);
        return refresh();
    }

    @Override
    public void close() {
        frames.close();
        predictions.close();
        deadLetters.close();
    }
}
