package dev.edgeinfer.producer.rate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

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

    /** A wall clock that follows this ticker from {@code start}, as the real clocks move together. */
    public Clock wallClock(Instant start) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return start.plusNanos(now);
            }
        };
    }
}
