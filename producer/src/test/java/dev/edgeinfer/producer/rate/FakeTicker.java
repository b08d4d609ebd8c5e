package dev.edgeinfer.producer.rate;

/** A clock that moves only when told to, or when a wait is asked of it. */
public final class FakeTicker implements Pacer.Ticker {
    private long now;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void parkNanos(long nanos) {
        now += nanos;
    }

    public void advance(long nanos) {
        now += nanos;
    }
}
