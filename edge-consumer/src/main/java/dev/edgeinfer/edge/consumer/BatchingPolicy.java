package dev.edgeinfer.edge.consumer;

import java.time.Duration;
import java.util.List;

/**
 * When the loop reads, hands frames to the engine and commits: the {@link Batching} mode, the flush size, the longest
 * wait and the commit interval of {@link EdgeConsumerSettings}, and the bound on the bytes of frames held. All times
 * are on the device's monotonic clock, in nanoseconds.
 */
final class BatchingPolicy {

    static final Duration IDLE_POLL = Duration.ofMillis(200);
    private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(1);
    /** Longest the loop waits for a flush being classified before it polls again, when nothing else waits. */
    static final Duration IN_FLIGHT_WAIT = Duration.ofMillis(20);

    private final EdgeConsumerSettings settings;
    private final long heldBytesLimit;
    /** Before this, an idle loop does not commit: at most half the loop's time goes to commits made because it is idle. */
    private long idleCommitNotBefore;
    private boolean committedOnce;

    /**
     * @param heldBytesLimit most bytes of frames held at once: past it the loop reads no more frames until a flush or a
     *                       commit let some go
     */
    BatchingPolicy(EdgeConsumerSettings settings, long heldBytesLimit) {
        this.settings = settings;
        this.heldBytesLimit = heldBytesLimit;
    }

    boolean adaptive() {
        return settings.batching() == Batching.ADAPTIVE;
    }

    /** Whether the loop holds so many bytes of frames that it must not read more now. */
    boolean full(HeldFrames held) {
        return held.bytes() >= heldBytesLimit;
    }

    /**
     * Whether the loop, with nothing pending, should wait for the flight being classified rather than poll: with
     * adaptive batching it is written the moment it is done, not at the next poll's end.
     */
    boolean awaitsInFlight(HeldFrames held, boolean engineIdle) {
        return adaptive() && held.pending().isEmpty() && !engineIdle;
    }

    /** How long the next poll may block. */
    Duration pollTimeout(HeldFrames held, boolean engineIdle, long now) {
        Duration timeout = IDLE_POLL;
        List<Received> pending = held.pending();
        if (adaptive() && !pending.isEmpty() && engineIdle) {
            // Only to learn whether more frames are already fetched: if none, the pending ones go at once.
            timeout = Duration.ZERO;
        } else if (held.inFlight != null) {
            // A flush is being classified: look back soon to write it when it is done.
            timeout = IN_FLIGHT_POLL;
        } else if (!pending.isEmpty()) {
            long waitedNanos = now - pending.get(0).receivedNanos();
            timeout = Duration.ofNanos(Math.max(0, settings.maxWait().toNanos() - waitedNanos));
        }
        if (held.written != null) {
            long commitInNanos = settings.commitInterval().toNanos() - (now - held.written.startNanos());
            if (commitsWhenIdle(held)) {
                commitInNanos = Math.min(commitInNanos, idleCommitIn(now));
            }
            Duration commitIn = Duration.ofNanos(Math.max(0, commitInNanos));
            timeout = timeout.compareTo(commitIn) <= 0 ? timeout : commitIn;
        }
        return timeout;
    }

    /**
     * Whether to flush now: write a classified flight (or a heartbeat) and start classifying what is pending, when a
     * flush's worth is pending, the oldest has waited the longest wait, too many bytes are pending, or (adaptive) the
     * fetch is drained and the engine idle.
     */
    boolean shouldFlush(HeldFrames held, boolean fetchDrained, boolean engineIdle, boolean heartbeatDue, long now) {
        List<Received> pending = held.pending();
        if (pending.isEmpty()) {
            return heartbeatDue || (held.inFlight != null && held.inFlight.isDone());
        }
        if (adaptive() && fetchDrained && engineIdle) {
            return true;
        }
        long waited = now - pending.get(0).receivedNanos();
        return pending.size() >= settings.flushFrames() || waited >= settings.maxWait().toNanos() || heartbeatDue
                || held.pendingBytes() >= heldBytesLimit;
    }

    /**
     * How many pending frames a flush takes. A flush started because enough frames arrived takes whole batches only and
     * leaves the rest for the next one, so that under load every batch is full; frames that have waited the longest
     * wait, all frames once the fetch is drained (adaptive), and all frames on stop, go in whatever the count.
     */
    int take(List<Received> pending, int maxBatch, boolean fetchDrained, boolean running, long now) {
        int take = pending.size();
        int remainder = take % maxBatch;
        if (running && !(adaptive() && fetchDrained) && take > remainder && remainder > 0
                && now - pending.get(take - remainder).receivedNanos() < settings.maxWait().toNanos()) {
            take -= remainder;
        }
        return take;
    }

    /**
     * Whether what was written must be committed now: the commit interval passed, it holds too many bytes, or (adaptive)
     * nothing is pending or being classified and the last commit ended at least as long ago as it took. That last rule
     * commits every frame at once at low load, and spaces commits as the load grows, before they take the loop's time
     * from reading and classifying.
     */
    boolean commitDue(HeldFrames held, long now) {
        OffsetLedger written = held.written;
        return written != null && (now - written.startNanos() >= settings.commitInterval().toNanos()
                || written.frameBytes() >= heldBytesLimit || (commitsWhenIdle(held) && idleCommitIn(now) <= 0));
    }

    /** Records a commit that ran from {@code startNanos} to {@code endNanos}. */
    void committed(long startNanos, long endNanos) {
        idleCommitNotBefore = endNanos + (endNanos - startNanos);
        committedOnce = true;
    }

    private long idleCommitIn(long now) {
        return committedOnce ? idleCommitNotBefore - now : 0;
    }

    private boolean commitsWhenIdle(HeldFrames held) {
        return adaptive() && held.inFlight == null && held.pending().isEmpty();
    }
}
