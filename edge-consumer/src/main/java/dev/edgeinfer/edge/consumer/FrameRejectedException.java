package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.FailureStage;

/** A frame that cannot be classified, with the stage that refused it; it goes to the dead-letter topic. */
public final class FrameRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final FailureStage stage;

    public FrameRejectedException(FailureStage stage, String reason, Throwable cause) {
        super(reason, cause);
        this.stage = stage;
    }

    public FailureStage stage() {
        return stage;
    }
}
