package dev.edgeinfer.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the project's Python virtual environment, where Confluent's Python client is installed. */
final class PythonEnvironment {

    private PythonEnvironment() {
    }

    /**
     * The venv's interpreter: system property {@code edgeinfer.python}, else {@code .venv/bin/python} in the working
     * directory or one of its parents.
     *
     * @throws IllegalStateException naming every place looked at, when none has it
     */
    static Path python() {
        String configured = System.getProperty("edgeinfer.python");
        if (configured != null) {
            return Path.of(configured);
        }
        List<Path> looked = new ArrayList<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".venv/bin/python");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
            looked.add(candidate);
        }
        throw new IllegalStateException("No project Python environment (run bin/setup); looked for " + looked);
    }

    /** The folder of the interop scripts, relative to this module. */
    static Path script(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("integration-tests/src/test/python").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            Path local = dir.resolve("src/test/python").resolve(name);
            if (Files.isRegularFile(local)) {
                return local;
            }
        }
        throw new IllegalStateException("Interop script " + name + " not found from " + Path.of("").toAbsolutePath());
    }
}
