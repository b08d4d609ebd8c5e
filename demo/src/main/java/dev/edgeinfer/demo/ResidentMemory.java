package dev.edgeinfer.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Resident set size of a process, read from {@code /proc/<pid>/status} (Linux). */
final class ResidentMemory {

    private ResidentMemory() {
    }

    static Optional<Long> of(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
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
