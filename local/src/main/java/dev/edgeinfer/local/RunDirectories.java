package dev.edgeinfer.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporary data folders of local stacks, all under one parent folder so that those left behind by killed runs can
 * be found and removed.
 *
 * <p>Each run folder is named after the process that owns it ({@code run-<pid>-<process start millis>-<random>}).
 * A folder whose owner is no longer running is stale. The start time guards against a recycled process id: a new
 * process with the old id has a different start time.
 */
public final class RunDirectories {

    private static final Logger log = LoggerFactory.getLogger(RunDirectories.class);
    private static final Pattern RUN_NAME = Pattern.compile("run-(\\d+)-(\\d+)-[0-9a-f]+");

    private RunDirectories() {
    }

    /** The shared parent: {@code edgeinfer-local} in the system's temporary folder. */
    public static Path defaultParent() {
        return Path.of(System.getProperty("java.io.tmpdir"), "edgeinfer-local");
    }

    /**
     * Sweeps stale run folders under {@code parent}, then creates a fresh one owned by this process.
     *
     * @throws UncheckedIOException if the folder cannot be created
     */
    public static Path create(Path parent) {
        sweepStale(parent);
        ProcessHandle self = ProcessHandle.current();
        String name = String.format("run-%d-%d-%08x", self.pid(), startMillis(self).orElse(0L),
                ThreadLocalRandom.current().nextInt());
        try {
            return Files.createDirectories(parent.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the local stack's data folder " + parent.resolve(name), e);
        }
    }

    /**
     * Deletes the run folders under {@code parent} whose owning process is gone; other files are left alone.
     *
     * @return the folders deleted
     * @throws UncheckedIOException if a stale folder cannot be deleted
     */
    public static List<Path> sweepStale(Path parent) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        List<Path> swept = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent)) {
            for (Path child : children) {
                Matcher name = RUN_NAME.matcher(child.getFileName().toString());
                if (name.matches() && Files.isDirectory(child)
                        && !isRunning(Long.parseLong(name.group(1)), Long.parseLong(name.group(2)))) {
                    deleteRecursively(child);
                    swept.add(child);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + parent + " to sweep stale local stack folders", e);
        }
        if (!swept.isEmpty()) {
            log.info("Removed {} data folder(s) left behind by local stacks that are no longer running: {}", swept.size(), swept);
        }
        return swept;
    }

    static boolean isRunning(long pid, long startMillis) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        // Without a recorded or readable start time only the id can be compared; keeping the folder is the safe side.
        Optional<Long> actualStart = startMillis(process.get());
        return startMillis == 0 || actualStart.isEmpty() || actualStart.get() == startMillis;
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    /**
     * Deletes {@code directory} and everything in it; a missing folder is fine.
     *
     * @throws UncheckedIOException if something in it cannot be deleted
     */
    public static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + directory, e);
        }
    }
}
