package dev.edgeinfer.edge.consumer;

import java.time.Instant;

/**
 * A frame whose pixels are in the batch being filled: what its prediction needs of it.
 *
 * @param received    the record it came in
 * @param frameId     its id
 * @param captureTime when the producer captured it, on the producer's clock
 * @param groundTruth its class index, when the producer knew it; else null
 */
record DecodedFrame(Received received, String frameId, Instant captureTime, Integer groundTruth) {
}
