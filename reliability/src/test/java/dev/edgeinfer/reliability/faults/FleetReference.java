package dev.edgeinfer.reliability.faults;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.schemas.serde.AvroSerde;
import dev.edgeinfer.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The analytics' figures recomputed by brute force from every record of the predictions and dead-letters topics, by
 * the rules the analytics document (not by its code): a key's window holds the records whose broker timestamps lie in
 * it; percentiles are HdrHistogram's at 3 significant digits, reported as the lowest value of the sample's bucket, and
 * only when at least 10 samples lie at or beyond them; agreement counts a pair of device types once per frame, at the
 * later of the two first predictions.
 */
final class FleetReference {

    /** What one prediction or dead letter contributes, as read from its topic. */
    private record Observed(long timestamp, Prediction prediction, DeadLetter deadLetter) {
    }

    /** The figures of one key over one window, in the API's terms. */
    record Figures(long frames, long framesWithGroundTruth, long correct, long deadLetters, long errors,
                   Map<String, Map<String, Object>> latencies, long[][] confusion) {
    }

    private static final Set<FailureStage> DEVICE_STAGES = EnumSet.of(
            FailureStage.DECODE, FailureStage.PREPROCESS, FailureStage.INFERENCE, FailureStage.PUBLISH);
    private static final long ONE_HOUR_MICROS = Duration.ofHours(1).toMillis() * 1000;
    private static final double[] PERCENTILES = {50, 90, 95, 99, 99.9};

    private final List<Observed> observed = new ArrayList<>();

    /** Reads both topics to their current ends. */
    static FleetReference read(LocalStack stack) {
        FleetReference reference = new FleetReference();
        Map<String, Object> configs = new HashMap<>(stack.clientProperties());
        readTopic(configs, Topics.PREDICTIONS, AvroSerde.specific(Prediction.class, configs, false).deserializer(),
                record -> reference.observed.add(new Observed(record.timestamp(), record.value(), null)));
        readTopic(configs, Topics.DEAD_LETTERS, AvroSerde.specific(DeadLetter.class, configs, false).deserializer(),
                record -> reference.observed.add(new Observed(record.timestamp(), null, record.value())));
        return reference;
    }

    private static <V extends SpecificRecord> void readTopic(Map<String, Object> base, String topic, Deserializer<V> values,
                                                             Consumer<ConsumerRecord<byte[], V>> sink) {
        Map<String, Object> configs = new HashMap<>(base);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(sink);
            }
        }
    }

    /** Number of predictions read whose device type {@code accepts}. */
    long predictions(Predicate<String> deviceType) {
        return observed.stream().filter(o -> o.prediction() != null && deviceType.test(o.prediction().getDeviceType())).count();
    }

    /**
     * The figures of one key over {@code [windowStart, windowEnd)}.
     *
     * @param dimension {@code device-type}, {@code device} or {@code precision}
     */
    Figures figures(String dimension, String key, long windowStart, long windowEnd) {
        long frames = 0;
        long withTruth = 0;
        long correct = 0;
        long deadLetters = 0;
        long errors = 0;
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        for (String name : List.of("inference", "onDevice", "endToEnd")) {
            histograms.put(name, new Histogram(ONE_HOUR_MICROS, 3));
        }
        long[][] confusion = new long[10][10];
        for (Observed o : observed) {
            if (o.timestamp() < windowStart || o.timestamp() >= windowEnd) {
                continue;
            }
            if (o.prediction() != null && key.equals(keyOf(dimension, o.prediction()))) {
                Prediction p = o.prediction();
                frames++;
                if (p.getGroundTruth() != null) {
                    withTruth++;
                    correct += p.getGroundTruth() == p.getPredictedClass() ? 1 : 0;
                    confusion[p.getGroundTruth()][p.getPredictedClass()]++;
                }
                record(histograms.get("inference"), p.getTimings().getInferenceMicros());
                record(histograms.get("onDevice"), p.getTimings().getTotalOnDeviceMicros());
                long endToEndMillis = o.timestamp() - p.getFrameTimestamp().toEpochMilli();
                record(histograms.get("endToEnd"), endToEndMillis < 0 ? -1 : endToEndMillis * 1000);
            } else if (o.deadLetter() != null && key.equals(keyOf(dimension, o.deadLetter()))) {
                deadLetters++;
                errors += DEVICE_STAGES.contains(o.deadLetter().getStage()) ? 1 : 0;
            }
        }
        Map<String, Map<String, Object>> latencies = new LinkedHashMap<>();
        histograms.forEach((name, histogram) -> latencies.put(name, summary(histogram)));
        return new Figures(frames, withTruth, correct, deadLetters, errors, latencies, confusion);
    }

    /** {compared, differing} of two device types over the votes counted in {@code [windowStart, windowEnd)}. */
    long[] agreement(String typeA, String typeB, long windowStart, long windowEnd) {
        Map<String, Observed> firstOfA = new HashMap<>();
        Map<String, Observed> firstOfB = new HashMap<>();
        for (Observed o : observed) {
            if (o.prediction() != null) {
                String type = o.prediction().getDeviceType();
                if (type.equals(typeA)) {
                    firstOfA.putIfAbsent(o.prediction().getFrameId(), o);
                } else if (type.equals(typeB)) {
                    firstOfB.putIfAbsent(o.prediction().getFrameId(), o);
                }
            }
        }
        long compared = 0;
        long differing = 0;
        for (Map.Entry<String, Observed> a : firstOfA.entrySet()) {
            Observed b = firstOfB.get(a.getKey());
            if (b == null) {
                continue;
            }
            long counted = Math.max(a.getValue().timestamp(), b.timestamp());
            if (counted >= windowStart && counted < windowEnd) {
                compared++;
                differing += a.getValue().prediction().getPredictedClass() != b.prediction().getPredictedClass() ? 1 : 0;
            }
        }
        return new long[] {compared, differing};
    }

    private static void record(Histogram histogram, long micros) {
        if (micros >= 0) {
            histogram.recordValue(Math.min(micros, ONE_HOUR_MICROS));
        }
    }

    /** samples, min, max and each percentile's micros (null where fewer than 10 samples lie at or beyond it). */
    private static Map<String, Object> summary(Histogram histogram) {
        Map<String, Object> summary = new LinkedHashMap<>();
        long samples = histogram.getTotalCount();
        summary.put("samples", samples);
        summary.put("min", samples == 0 ? 0 : histogram.getMinValue());
        summary.put("max", samples == 0 ? 0 : histogram.lowestEquivalentValue(histogram.getMaxValue()));
        for (double p : PERCENTILES) {
            boolean supported = samples * (100 - p) / 100 >= 10 - 1e-9;
            summary.put("p" + p, supported ? histogram.lowestEquivalentValue(histogram.getValueAtPercentile(p)) : null);
        }
        return summary;
    }

    private static String keyOf(String dimension, Prediction prediction) {
        return switch (dimension) {
            case "device-type" -> prediction.getDeviceType();
            case "device" -> prediction.getDeviceId();
            case "precision" -> prediction.getModel().getPrecision().name();
            default -> throw new IllegalArgumentException(dimension);
        };
    }

    private static String keyOf(String dimension, DeadLetter letter) {
        return switch (dimension) {
            case "device-type" -> letter.getDeviceType();
            case "device" -> letter.getDeviceId();
            default -> null;
        };
    }
}
