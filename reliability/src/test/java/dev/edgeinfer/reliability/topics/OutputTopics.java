package dev.edgeinfer.reliability.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.topics.CommittedTopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** A device's output topics as their readers see them: committed predictions and dead letters, decoded. */
public final class OutputTopics {

    private static final Duration READ_TIMEOUT = Duration.ofMinutes(1);

    private final Map<String, Object> client;
    private final String predictions;
    private final String deadLetters;

    /** @param client the stack's client settings, the registry's URL included */
    public OutputTopics(Map<String, Object> client, String predictions, String deadLetters) {
        this.client = client;
        this.predictions = predictions;
        this.deadLetters = deadLetters;
    }

    /** Every committed record of the topic, decoded as {@code type}. */
    public <T extends SpecificRecord> List<T> read(String topic, Class<T> type) {
        return CommittedTopicReader.readAll(client, topic, type, READ_TIMEOUT);
    }

    /**
     * Waits until at least the numbers of predictions and dead letters are committed; the device must stay alive.
     *
     * @throws AssertionError if the device dies or the numbers are not reached within the timeout
     */
    public void awaitCounts(AppProcess device, int predicted, int deadLettered, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            assertThat(device.isAlive()).as("device alive; its log:%n%s", device.tail()).isTrue();
            int havePredictions = read(predictions, Prediction.class).size();
            int haveDeadLetters = read(deadLetters, DeadLetter.class).size();
            if (havePredictions >= predicted && haveDeadLetters >= deadLettered) {
                return;
            }
            assertThat(System.nanoTime()).as("%d of %d predictions and %d of %d dead letters within %s; device log:%n%s",
                    havePredictions, predicted, haveDeadLetters, deadLettered, timeout, device.tail()).isLessThan(deadline);
            Thread.sleep(500);
        }
    }
}
