package dev.edgeinfer.producer.fleet;

import dev.edgeinfer.avro.ClassScore;
import dev.edgeinfer.avro.DeviceTimings;
import dev.edgeinfer.avro.FailureStage;
import java.util.List;

/**
 * One simulated frame and what each device type made of it, without wall-clock times: those are set when the records
 * are sent.
 *
 * @param sequence          the frame's number in the run, from 0
 * @param frameId           its id, the key of its predictions and dead letters
 * @param truth             its true class, a CIFAR-10 class index
 * @param labelled          whether the frame carries its ground truth (predictions copy it)
 * @param captureLeadMicros from its capture to its append to the frames topic
 * @param results           one per device type, in the order of the types
 */
record SimulatedFrame(long sequence, String frameId, int truth, boolean labelled, long captureLeadMicros,
                      List<TypeResult> results) {

    /**
     * What one device of one type made of the frame: a prediction, or a dead letter when {@code failure} is set.
     *
     * @param typeIndex      the type's index in the settings
     * @param deviceIndex    the device's index within its type
     * @param failure        the stage that failed, or null for a prediction
     * @param predictedClass the top-1 class (also worked out for dead letters, so answers do not depend on failures)
     * @param topK           the three best classes, best first
     * @param timings        the device's timings of the frame; of a dead letter, up to the failure
     * @param transportMicros from the frame's append to its receipt by the device
     */
    record TypeResult(int typeIndex, int deviceIndex, FailureStage failure, int predictedClass, List<ClassScore> topK,
                      DeviceTimings timings, long transportMicros) {

        /** Whether this is a prediction, not a dead letter. */
        boolean predicted() {
            return failure == null;
        }

        /** From the frame's append to the frames topic to this result's hand-off to Kafka by the device. */
        long delayMicros() {
            return transportMicros + timings.getTotalOnDeviceMicros();
        }
    }
}
