package dev.edgeinfer.producer.rate;

import java.util.SplittableRandom;

/**
 * When each frame of one run is due, by its {@link SendPlan}: for constant arrivals the plan's own offsets; for Poisson
 * arrivals, the sum of the exponentially distributed gaps before the frame's group, drawn in order from a generator
 * seeded by the plan, so the same seed gives the same schedule. Frames are asked for in order; asking for an earlier
 * one than the last draws the schedule again from the start.
 *
 * <p>Not thread-safe: one run's publishing loop owns it.
 */
public final class Schedule {

    private final SendPlan plan;
    private SplittableRandom random;
    /** The group whose offset {@link #groupOffsetNanos} holds. */
    private long group;
    private double groupOffsetNanos;

    Schedule(SendPlan plan) {
        this.plan = plan;
        restart();
    }

    /** Nanoseconds from the start of the run until frame {@code sequence} (zero-based) is due. */
    public long offsetNanos(long sequence) {
        if (plan.arrivals() == Arrivals.CONSTANT || !plan.isPaced()) {
            return plan.offsetNanos(sequence);
        }
        long wanted = sequence / plan.burst();
        if (wanted < group) {
            restart();
        }
        double meanGapNanos = plan.burst() * 1e9 / plan.fps();
        while (group < wanted) {
            // Inverse transform of a uniform draw in [0, 1): an exponential gap with the plan's mean.
            groupOffsetNanos += -Math.log(1 - random.nextDouble()) * meanGapNanos;
            group++;
        }
        return Math.round(groupOffsetNanos);
    }

    private void restart() {
        random = new SplittableRandom(plan.seed());
        group = 0;
        groupOffsetNanos = 0;
    }
}
