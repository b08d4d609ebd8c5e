package dev.edgeinfer.edge.consumer;

import java.time.Instant;

/**
 * A frame whose pixels are in the batch being filled: what its prediction needs of it.
 *
 * @param received    the record it came in
 * @param frameId     its id
 * @param captureTime when the producer captured it, on the producer's clock
 * @param groundTruth   its class index, when the producer knew it and it is of the model's label set; else null
 * @param otherLabelSet the frame's label set when it is not the model's (its ground truth left out); else null
 * @param producerId    the producer (camera) that published it
 */
record DecodedFrame(Received received, String frameId, Instant captureTime, Integer groundTruth, String otherLabelSet,
                    String producerId) {
}
