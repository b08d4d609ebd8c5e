package dev.edgeinfer.edge.engine;

/**
 * Where the time of one batch went, in microseconds, measured with the engine's {@link Ticker}.
 *
 * @param preprocessMicros  copying (and, where the model needs it outside the graph, converting) the pixels
 * @param inferenceMicros   the runtime's inference call, from start to completion
 * @param postprocessMicros softmax and top-k
 */
public record InferenceTimings(long preprocessMicros, long inferenceMicros, long postprocessMicros) {
    /** @return the sum of the three stages */
    public long totalMicros() {
        return preprocessMicros + inferenceMicros + postprocessMicros;
    }
}
