package dev.edgeinfer.producer.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of a simulation: records handed to Kafka (by the sending thread) and records acknowledged or failed (by the
 * producer's callbacks, on its I/O thread). Safe to read from any thread.
 */
final class FleetCounters {

    private final AtomicLong predictionsSent = new AtomicLong();
    private final AtomicLong recordsSent = new AtomicLong();
    private final AtomicLong resultsSent = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLongArray predictions;
    private final AtomicLongArray withGroundTruth;
    private final AtomicLongArray correct;
    private final AtomicLongArray deadLetters;

    FleetCounters(int types) {
        predictions = new AtomicLongArray(types);
        withGroundTruth = new AtomicLongArray(types);
        correct = new AtomicLongArray(types);
        deadLetters = new AtomicLongArray(types);
    }

    /** A record was handed to Kafka; {@code prediction} and {@code result} say what it was. */
    void sent(boolean prediction, boolean result) {
        recordsSent.incrementAndGet();
        if (result) {
            resultsSent.incrementAndGet();
        }
        if (prediction) {
            predictionsSent.incrementAndGet();
        }
    }

    void predictionWritten(int type, boolean labelled, boolean right) {
        predictions.incrementAndGet(type);
        if (labelled) {
            withGroundTruth.incrementAndGet(type);
            if (right) {
                correct.incrementAndGet(type);
            }
        }
    }

    void deadLetterWritten(int type) {
        deadLetters.incrementAndGet(type);
    }

    void heartbeatWritten() {
        heartbeats.incrementAndGet();
    }

    /** A record Kafka did not deliver; returns how many so far. */
    long failed() {
        return failed.incrementAndGet();
    }

    long sendErrors() {
        return failed.get();
    }

    long predictionsSent() {
        return predictionsSent.get();
    }

    long recordsSent() {
        return recordsSent.get();
    }

    long resultsSent() {
        return resultsSent.get();
    }

    long predictionsWritten() {
        long total = 0;
        for (int t = 0; t < predictions.length(); t++) {
            total += predictions.get(t);
        }
        return total;
    }

    long deadLettersWritten() {
        long total = 0;
        for (int t = 0; t < deadLetters.length(); t++) {
            total += deadLetters.get(t);
        }
        return total;
    }

    long heartbeatsWritten() {
        return heartbeats.get();
    }

    /** The per-type totals, in the order of the settings' types. */
    List<FleetSummary.DeviceTypeTotals> perType(FleetSettings settings) {
        List<FleetSummary.DeviceTypeTotals> totals = new ArrayList<>();
        for (int t = 0; t < settings.types().size(); t++) {
            totals.add(new FleetSummary.DeviceTypeTotals(settings.types().get(t).name(), settings.devicesOf(t),
                    predictions.get(t), withGroundTruth.get(t), correct.get(t), deadLetters.get(t)));
        }
        return totals;
    }
}
