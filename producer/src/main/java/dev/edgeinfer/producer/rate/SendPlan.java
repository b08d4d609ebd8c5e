package dev.edgeinfer.producer.rate;

import java.util.Objects;

/**
 * When each frame is due, fixed before the first send (open loop): frame {@code n} is due at
 * {@code start + offset(n)} whatever happened to earlier sends. A slow send therefore shows up as lag behind the plan
 * instead of silently lowering the rate, so latency measured downstream does not hide queueing in the producer
 * (coordinated omission).
 *
 * <p>With a burst of {@code b}, frames go in groups of {@code b} due at the same instant, one group every
 * {@code b / fps} seconds on average (exactly, for constant arrivals; as gaps of a Poisson process for Poisson
 * arrivals), so the average rate stays {@code fps}. A run's offsets come from its {@link #schedule()}.
 *
 * @param fps      frames per second on average; 0 for as fast as possible (every frame due at once)
 * @param burst    frames per group, at least 1
 * @param arrivals constant or Poisson
 * @param seed     seed of the Poisson gaps (unused for constant arrivals)
 */
public record SendPlan(double fps, int burst, Arrivals arrivals, long seed) {

    /** Constant arrivals. */
    public SendPlan(double fps, int burst) {
        this(fps, burst, Arrivals.CONSTANT, 0);
    }

    public SendPlan {
        Objects.requireNonNull(arrivals, "arrivals");
        if (arrivals == Arrivals.POISSON && !(fps > 0)) {
            throw new IllegalArgumentException("Poisson arrivals need a rate (fps > 0)");
        }
        if (!(fps >= 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("fps must be 0 (unpaced) or a positive number: " + fps);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1: " + burst);
        }
    }

    /** As fast as the producer goes. */
    public static SendPlan unpaced() {
        return new SendPlan(0, 1);
    }

    /** Whether frames are paced at all. */
    public boolean isPaced() {
        return fps > 0;
    }

    /** The schedule of one run by this plan. */
    public Schedule schedule() {
        return new Schedule(this);
    }

    /**
     * Nanoseconds from the start of the run until frame {@code sequence} (zero-based) is due, for constant arrivals;
     * Poisson arrivals are drawn in order by a {@link #schedule()}.
     *
     * @throws IllegalStateException for Poisson arrivals
     */
    public long offsetNanos(long sequence) {
        if (!isPaced()) {
            return 0;
        }
        if (arrivals != Arrivals.CONSTANT) {
            throw new IllegalStateException("Poisson offsets are drawn in order: use schedule()");
        }
        long group = sequence / burst;
        return Math.round(group * burst * 1e9 / fps);
    }
}
