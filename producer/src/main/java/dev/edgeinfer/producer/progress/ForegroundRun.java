package dev.edgeinfer.producer.progress;

import dev.edgeinfer.producer.PublishProgress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sending loop run in the foreground of a command, its progress on the console, stopped cleanly by Ctrl-C: the
 * shutdown hook asks the loop to stop, then holds the JVM up to a grace period while the loop flushes what it sent
 * and returns its summary.
 */
public final class ForegroundRun {

    private static final Logger log = LoggerFactory.getLogger(ForegroundRun.class);

    /** The loop itself: runs until done or stopped, and returns its summary. */
    @FunctionalInterface
    public interface Loop<T> {
        T run() throws InterruptedException;
    }

    private ForegroundRun() {
    }

    /**
     * Runs {@code loop} with a shutdown hook that calls {@code stop}.
     *
     * @param name     names the hook's thread, e.g. {@code frame-producer}
     * @param unit     what the progress counts, a plural noun such as {@code frames}
     * @param grace    how long the hook waits for the loop to finish once stopped
     * @throws InterruptedException if the loop is interrupted
     */
    public static <T> T run(String name, Runnable stop, Supplier<PublishProgress> progress, String unit, Duration grace,
                            Loop<T> loop)
            throws InterruptedException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.run();
            try {
                // Let the run flush what it sent and print its summary before the JVM goes.
                finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (ProgressReporter reporter = ProgressReporter.forConsole(progress, unit)) {
            return loop.run();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                log.debug("JVM already shutting down; the hook stays: {}", e.toString());
            }
        }
    }
}
