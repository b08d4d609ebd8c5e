package dev.edgeinfer.producer.fleet;

import dev.edgeinfer.producer.rate.SendPlan;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * When each record of the run is due, fixed before the first send (open loop): frame {@code n} reaches the frames
 * topic by a {@link SendPlan} at the frame rate, and each type's result of it is due that frame's time plus the
 * result's delay (transport and time on the device), as a real device's would reach the broker. Heartbeats are due
 * at regular intervals, the devices' spread evenly over each interval. A send that falls behind shows up as lag; it
 * never moves what is due later.
 *
 * <p>Frames are worked out just before their first result is due, so at any time only the results in flight are held
 * (about the rate times the longest delay). Not thread-safe.
 */
final class FleetSchedule {

    /**
     * One record due.
     *
     * @param dueNanos        nanoseconds from the start of the run
     * @param frame           the frame of a result; null for a heartbeat
     * @param result          the result (prediction or dead letter); null for a heartbeat
     * @param heartbeatDevice the device of a heartbeat, as a fleet-wide index; -1 for a result
     */
    record Due(long dueNanos, SimulatedFrame frame, SimulatedFrame.TypeResult result, int heartbeatDevice) {

        boolean isHeartbeat() {
            return result == null;
        }

        /** When the frame reached the frames topic, in nanoseconds from the start of the run. */
        long frameNanos() {
            return dueNanos - result.delayMicros() * 1000;
        }
    }

    private record Pending(Due due, long order, FrameState state) {
    }

    /** Whether any result of a frame was handed out yet. */
    private static final class FrameState {
        boolean started;
    }

    private final FleetSettings settings;
    private final FleetGenerator generator;
    private final SendPlan frames;
    private final long durationNanos;
    private final double heartbeatSpacingNanos;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            Comparator.comparingLong((Pending p) -> p.due().dueNanos()).thenComparingLong(Pending::order));
    private long nextFrame;
    private long nextHeartbeat;
    private long order;
    private long framesStarted;

    FleetSchedule(FleetSettings settings, FleetGenerator generator) {
        this.settings = settings;
        this.generator = generator;
        this.frames = new SendPlan(settings.frameRate(), 1);
        this.durationNanos = settings.duration() == null ? Long.MAX_VALUE : settings.duration().toNanos();
        this.heartbeatSpacingNanos = (double) settings.heartbeatInterval().toNanos() / settings.devices();
    }

    /** The next record due, or null once the planned duration is over and every result of it was handed out. */
    Due next() {
        while (frames.offsetNanos(nextFrame) < durationNanos
                && (pending.isEmpty() || frames.offsetNanos(nextFrame) <= pending.peek().due().dueNanos())) {
            plan(nextFrame++);
        }
        long heartbeatNanos = Math.round(nextHeartbeat * heartbeatSpacingNanos);
        Pending first = pending.peek();
        if (heartbeatNanos < durationNanos && (first == null || heartbeatNanos <= first.due().dueNanos())) {
            Due heartbeat = new Due(heartbeatNanos, null, null, (int) (nextHeartbeat % settings.devices()));
            nextHeartbeat++;
            return heartbeat;
        }
        if (first == null) {
            return null;
        }
        pending.poll();
        if (!first.state().started) {
            first.state().started = true;
            framesStarted++;
        }
        return first.due();
    }

    /** Frames of which at least one result was handed out. */
    long framesStarted() {
        return framesStarted;
    }

    /** Results planned and not handed out yet. */
    int resultsPending() {
        return pending.size();
    }

    private void plan(long sequence) {
        SimulatedFrame frame = generator.frame(sequence);
        long frameNanos = frames.offsetNanos(sequence);
        FrameState state = new FrameState();
        for (SimulatedFrame.TypeResult result : frame.results()) {
            pending.add(new Pending(new Due(frameNanos + result.delayMicros() * 1000, frame, result, -1), order++, state));
        }
    }
}
