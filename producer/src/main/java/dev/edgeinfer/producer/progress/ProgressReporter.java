package dev.edgeinfer.producer.progress;

import dev.edgeinfer.producer.PublishProgress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Shows a run's progress at a fixed interval from a daemon thread, and once more when closed. */
public final class ProgressReporter implements AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final Supplier<PublishProgress> progress;
    private final ProgressSink sink;

    private ProgressReporter(Supplier<PublishProgress> progress, ProgressSink sink, Duration interval) {
        this.progress = progress;
        this.sink = sink;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "frame-producer-progress");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleAtFixedRate(() -> sink.show(progress.get()), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Starts showing {@code progress} every {@code interval}. */
    public static ProgressReporter start(Supplier<PublishProgress> progress, ProgressSink sink, Duration interval) {
        return new ProgressReporter(progress, sink, interval);
    }

    /** A bar on stderr when it is a terminal, log lines otherwise, each at its own pace; counts frames. */
    public static ProgressReporter forConsole(Supplier<PublishProgress> progress) {
        return forConsole(progress, "frames");
    }

    /** As {@link #forConsole(Supplier)}, counting {@code unit}, a plural noun such as {@code predictions}. */
    public static ProgressReporter forConsole(Supplier<PublishProgress> progress, String unit) {
        return System.console() != null
                ? start(progress, new TerminalProgressBar(System.err, unit), Duration.ofMillis(250))
                : start(progress, new LogProgress(unit), Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sink.finish(progress.get());
    }
}
