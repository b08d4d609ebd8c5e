package dev.edgeinfer.producer.replay;

/**
 * Where a replay reads and writes, and what it chooses.
 *
 * @param deadLettersTopic the topic of the dead letters
 * @param ledgerTopic      the compacted topic that records every frame replayed, keyed by the frame's coordinates
 * @param toTopic          where frames go; null: back to the topic each was read from ({@code originalTopic})
 * @param selection        which dead letters
 * @param batchSize        frames per transaction
 * @param dryRun           report what would be sent and send nothing
 */
public record ReplaySettings(String deadLettersTopic, String ledgerTopic, String toTopic, ReplaySelection selection,
                             int batchSize, boolean dryRun) {

    /** @throws IllegalArgumentException when the batch size is not positive */
    public ReplaySettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, not " + batchSize);
        }
    }
}
