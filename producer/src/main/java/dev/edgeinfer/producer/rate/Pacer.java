package dev.edgeinfer.producer.rate;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits until each frame is due by its {@link SendPlan}, against an injected clock so tests run without sleeping.
 * A late wake-up is never carried forward: the next frame is due by the plan, not by when this one went.
 */
public final class Pacer {

    /** A monotonic nanosecond clock and a way to wait on it. */
    public interface Ticker {
        long nanoTime();

        void parkNanos(long nanos) throws InterruptedException;

        /** The JVM's monotonic clock. */
        Ticker SYSTEM = new Ticker() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void parkNanos(long nanos) throws InterruptedException {
                LockSupport.parkNanos(nanos);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for the next frame to be due");
                }
            }
        };
    }

    /** Closer than this to the due time, waiting costs more than it saves. */
    private static final long MIN_PARK_NANOS = 20_000;
    /** Longest single wait, so a stop request is noticed quickly even at very low rates. */
    private static final long MAX_PARK_NANOS = 50_000_000;

    private final SendPlan plan;
    private final Schedule schedule;
    private final Ticker ticker;
    private final long startNanos;

    public Pacer(SendPlan plan, Ticker ticker, long startNanos) {
        this.plan = plan;
        this.schedule = plan.schedule();
        this.ticker = ticker;
        this.startNanos = startNanos;
    }

    /** When frame {@code sequence} is due, on the ticker's clock. */
    public long dueNanos(long sequence) {
        return startNanos + schedule.offsetNanos(sequence);
    }

    /** Nanoseconds from the start until frame {@code sequence} is due. */
    public long offsetNanos(long sequence) {
        return schedule.offsetNanos(sequence);
    }

    /**
     * Returns once frame {@code sequence} is due, at once if it already is, or early when {@code stop} says so.
     *
     * @return how late the caller is now (0 or more nanoseconds behind the plan), or -1 if stopped before it was due
     * @throws InterruptedException if interrupted while waiting
     */
    public long awaitDue(long sequence, BooleanSupplier stop) throws InterruptedException {
        return awaitNanos(ticker, dueNanos(sequence), stop);
    }

    /**
     * Returns once {@code ticker} reaches {@code due}, at once if it already has, or early when {@code stop} says so:
     * the wait of {@link #awaitDue}, for schedules that are not a {@link SendPlan}.
     *
     * @return how late the caller is now (0 or more nanoseconds behind {@code due}), or -1 if stopped before it was due
     * @throws InterruptedException if interrupted while waiting
     */
    public static long awaitNanos(Ticker ticker, long due, BooleanSupplier stop) throws InterruptedException {
        long now = ticker.nanoTime();
        while (due - now > MIN_PARK_NANOS) {
            if (stop.getAsBoolean()) {
                return -1;
            }
            ticker.parkNanos(Math.min(MAX_PARK_NANOS, due - now));
            now = ticker.nanoTime();
        }
        return Math.max(0, now - due);
    }

    public long startNanos() {
        return startNanos;
    }

    public SendPlan plan() {
        return plan;
    }
}
