package dev.edgeinfer.local;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child process that ends with its parent: stopped by {@link #close()}, by a JVM shutdown hook when the parent
 * exits normally, and by {@link ParentWatchdog} in the child when the parent is killed.
 */
final class ChildProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Thread shutdownHook;

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.shutdownHook = new Thread(this::destroyAndWait, name + "-stopper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code builder}'s command with a stdin pipe that is left open for {@link ParentWatchdog} to watch.
     *
     * @throws IOException if the process cannot be started
     */
    static ChildProcess start(String name, ProcessBuilder builder) throws IOException {
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        log.debug("Started {} as process {}: {}", name, process.pid(), builder.command());
        return new ChildProcess(name, process);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The child's descendants and itself, for tests that check nothing is left behind. */
    List<ProcessHandle> processTree() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    }

    /** Stops the child and its descendants, waiting for them to end; politely first, then forcibly. */
    @Override
    public void close() {
        destroyAndWait();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and the hook is running or has run: nothing is left to unregister.
            log.debug("Not unregistering the shutdown hook of {}: the JVM is shutting down", name);
        }
    }

    private synchronized void destroyAndWait() {
        if (!process.isAlive()) {
            closeStdin();
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} (process {}) did not stop within {}; killing it", name, process.pid(), GRACE);
                process.destroyForcibly();
                descendants.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            for (ProcessHandle descendant : descendants) {
                descendant.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Waiting for the descendants of {} (process {}) to end failed", name, process.pid(), e);
        }
        closeStdin();
    }

    private void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            log.debug("Closing the stdin pipe of {} failed after it ended", name, e);
        }
    }
}
