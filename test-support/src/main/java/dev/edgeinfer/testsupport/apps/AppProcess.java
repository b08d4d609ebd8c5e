package dev.edgeinfer.testsupport.apps;

import dev.edgeinfer.local.ParentWatchdog;
import dev.edgeinfer.testsupport.process.ResidentMemory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One app of the pipeline running in a JVM of its own, as it would on its own machine, started from its module's
 * build output. Its output goes to a log file. It ends when this process ends, also when this process is killed:
 * it runs under the local stack's parent watchdog, which halts it when its standard input closes. Started through
 * {@link Apps}.
 */
public final class AppProcess implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path log;

    private AppProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} of {@code module} with the JVM options and environment given, as a deployment would
     * (the memory flags of {@code docs/deployment.md}, say).
     *
     * @param jvmOptions options of the JVM, before the main class
     * @param environment variables added to this process's environment
     */
    public static AppProcess start(Path home, String name, String module, String mainClass, List<String> jvmOptions,
                                   Map<String, String> environment, List<String> args, Path logDir) {
        Path moduleDir = home.resolve(module);
        Path classpathFile = moduleDir.resolve("target/runtime-classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("Module " + module + " is not built (no " + classpathFile + "): run bin/setup");
        }
        String classpath;
        try {
            classpath = String.join(File.pathSeparator, watchdogLocation(),
                    moduleDir.resolve("target/classes").toString(), Files.readString(classpathFile).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + classpathFile, e);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of(ParentWatchdog.class.getName(), mainClass));
        command.addAll(args);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        // The class path goes through the environment: ONNX Runtime's native start-up fails on command lines of ~4 KB.
        builder.environment().putAll(environment);
        builder.environment().put("CLASSPATH", classpath);
        try {
            return new AppProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + " (" + mainClass + ")", e);
        }
    }

    /** Where the watchdog's class comes from on this JVM's class path: the local module's classes or jar. */
    private static String watchdogLocation() {
        try {
            return Path.of(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the local module's classes", e);
        }
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the process exits and returns its status. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not finish within " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    /** Waits until the log has a line matching the pattern; fails early when the process dies. */
    public Matcher awaitLog(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Matcher> match = findInLog(pattern);
            if (match.isPresent()) {
                return match.get();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue() + " before it was ready:\n" + tail());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + tail());
    }

    public Optional<Matcher> findInLog(Pattern pattern) {
        try {
            Matcher matcher = pattern.matcher(Files.readString(log, StandardCharsets.UTF_8));
            return matcher.find() ? Optional.of(matcher) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The last lines of the log, for error messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e + ")";
        }
    }

    /** Resident memory of the process in bytes, from /proc; empty where /proc is not available. */
    public Optional<Long> residentBytes() {
        return ResidentMemory.of(process.pid());
    }

    /** SIGKILL, as a power cut or the kernel's OOM killer would end it; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still alive " + GRACE + " after SIGKILL");
        }
    }

    /**
     * SIGTERM, and a wait for the app to finish and commit what it holds; unlike {@link #close()}, no SIGKILL after.
     *
     * @return whether the process exited within {@code timeout}
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        // Through the handle: Process.destroy() also closes the child's standard input (see close()).
        process.toHandle().destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM, so the app finishes and commits what it holds; SIGKILL after a grace period. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        // Through the handle: Process.destroy() also closes the child's standard input, and the parent watchdog would
        // then halt the app before its shutdown hook has finished and committed.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
