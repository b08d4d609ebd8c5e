package dev.edgeinfer.edge.engine;

/** A monotonic nanosecond source, injected so that timing code can be tested with a scripted one. */
@FunctionalInterface
public interface Ticker {
    /** The JVM's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    /** @return nanoseconds since an arbitrary fixed origin */
    long nanoTime();
}
