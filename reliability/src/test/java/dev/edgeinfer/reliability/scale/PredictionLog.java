package dev.edgeinfer.reliability.scale;

import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.topics.CommittedTopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the committed predictions of one device type from the predictions topic, as a downstream reader with
 * {@code isolation.level=read_committed} sees them: predictions of aborted transactions never show.
 */
public final class PredictionLog {

    /** One committed prediction: which frame, which device, and the broker's timestamp of the prediction record. */
    public record Predicted(String frameId, String deviceId, long brokerTimestamp) {
    }

    private static final Duration QUIET = Duration.ofSeconds(3);
    /** Between reads that found nothing new: the topic's end is asked for once per read. */
    private static final Duration PAUSE = Duration.ofMillis(500);

    private PredictionLog() {
    }

    /**
     * Reads from the start of the topic until {@code expected} distinct frames of the device type were predicted and
     * nothing more arrived for a few seconds (so that a duplicate would show), and returns every prediction read,
     * duplicates included.
     *
     * @param alive called between reads; throws when a process the predictions depend on has died
     * @throws IllegalStateException if fewer than {@code expected} frames were predicted within the timeout
     */
    public static List<Predicted> await(Map<String, Object> client, String deviceType, long expected, Duration timeout,
                                        Runnable alive)
            throws InterruptedException {
        List<Predicted> predicted = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        Consumer<ConsumerRecord<byte[], byte[]>> collect = collector(client, deviceType, predicted, distinct);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (CommittedTopicReader reader = new CommittedTopicReader(client, Topics.PREDICTIONS)) {
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < quietUntil) {
                long read = reader.readToEnd(collect, timeout);
                if (distinct.size() >= expected) {
                    if (read > 0 || quietUntil == Long.MAX_VALUE) {
                        quietUntil = System.nanoTime() + QUIET.toNanos();
                    }
                } else {
                    alive.run();
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(distinct.size() + " of " + expected + " frames predicted by device type "
                                + deviceType + " within " + timeout);
                    }
                }
                if (read == 0) {
                    Thread.sleep(PAUSE.toMillis());
                }
            }
        }
        return predicted;
    }

    /** Adds each prediction of the device type to {@code predicted}, and its frame id to {@code distinct}. */
    private static Consumer<ConsumerRecord<byte[], byte[]>> collector(Map<String, Object> client, String deviceType,
                                                                      List<Predicted> predicted, Set<String> distinct) {
        AvroDeserializer<Prediction> deserializer = AvroDeserializer.forClass(Prediction.class);
        deserializer.configure(client, false);
        return record -> {
            Prediction prediction = deserializer.deserialize(record);
            if (prediction.getDeviceType().equals(deviceType)) {
                predicted.add(new Predicted(prediction.getFrameId(), prediction.getDeviceId(), record.timestamp()));
                distinct.add(prediction.getFrameId());
            }
        };
    }
}
