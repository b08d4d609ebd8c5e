package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelUpdate;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import java.time.Duration;
import java.util.List;

/**
 * Where the loop learns of a model to swap to, between two transactions: something that prepares models off the loop's
 * thread (downloaded, verified, compiled and warmed up) hands one over here, and the loop takes it when nothing is in
 * flight or uncommitted. It also carries what the device says of its models in heartbeats and dead letters.
 */
public interface ModelHandOff {

    /**
     * A model ready to take over.
     *
     * @param engine     the engine, open and warmed up; the loop owns it once it takes it
     * @param manifest   its manifest (input contract, class names)
     * @param assignment the assignment it follows
     * @param target     the assignment's key
     */
    record ReadyModel(InferenceEngine engine, ModelManifest manifest, ModelAssignment assignment, String target) {
    }

    /** @return the model to swap to now, taken off the hand-off; null when there is none */
    ReadyModel take();

    /** @return whether a model is ready, without taking it */
    boolean ready();

    /** Tells that {@code model} now classifies the frames, after {@code pause} without classifying any. */
    void swapped(ReadyModel model, Duration pause);

    /** @return the state of the latest assignment for this device, for its heartbeat; null when none applies */
    ModelUpdate status();

    /** @return the dead letters of assignments that could not be followed since the last call, to write */
    List<DeadLetter> drainFailures();

    /** No model is ever handed over: a device that runs only the model it started with. */
    ModelHandOff NONE = new ModelHandOff() {
        @Override
        public ReadyModel take() {
            return null;
        }

        @Override
        public boolean ready() {
            return false;
        }

        @Override
        public void swapped(ReadyModel model, Duration pause) {
            throw new IllegalStateException("no model is handed over");
        }

        @Override
        public ModelUpdate status() {
            return null;
        }

        @Override
        public List<DeadLetter> drainFailures() {
            return List.of();
        }
    };
}
