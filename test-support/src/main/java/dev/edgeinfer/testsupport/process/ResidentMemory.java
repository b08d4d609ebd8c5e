package dev.edgeinfer.testsupport.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Resident set size of a process and its peak, read from {@code /proc/<pid>/status} (Linux). */
public final class ResidentMemory {

    private ResidentMemory() {
    }

    /** {@code VmRSS}: resident now, in bytes; empty when the process is gone. */
    public static Optional<Long> of(long pid) {
        return field(pid, "VmRSS:");
    }

    /** {@code VmHWM}: the most the process ever had resident, in bytes; empty when the process is gone. */
    public static Optional<Long> peak(long pid) {
        return field(pid, "VmHWM:");
    }

    private static Optional<Long> field(long pid, String name) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(name)) {
                    String[] parts = line.trim().split("\\s+");
                    return Optional.of(Long.parseLong(parts[1]) * 1024);
                }
            }
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
