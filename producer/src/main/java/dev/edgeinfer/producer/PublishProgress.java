package dev.edgeinfer.producer;

import java.time.Duration;

/**
 * Counters of a run in progress.
 *
 * @param sent    frames handed to Kafka
 * @param acked   frames acknowledged
 * @param failed  frames not delivered
 * @param skipped bad images skipped
 * @param total   frames the run will send when known, else -1
 * @param elapsed time since the start
 * @param lag     the latest frame's lag behind the plan
 */
public record PublishProgress(long sent, long acked, long failed, long skipped, long total, Duration elapsed, Duration lag) {

    /** Frames that went wrong: not delivered or skipped. */
    public long errors() {
        return failed + skipped;
    }
}
