package dev.edgeinfer.it.containers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One image's {@code /app} folder built outside Docker by {@code docker/bin/image-layout}, the script the Dockerfile's
 * build stage runs, and its entry point started the way the image starts it: {@code bin/entrypoint <main class>} from
 * the Dockerfile's ENTRYPOINT, with the options in EDGEINFER_* variables and the layout as working directory.
 */
final class ImageLayout {

    private final DeploymentFiles files;
    private final String app;
    private final Path home;

    private ImageLayout(DeploymentFiles files, String app, Path home) {
        this.files = files;
        this.app = app;
        this.home = home;
    }

    /**
     * Builds the layout of {@code app} into {@code target} from the module's build output.
     *
     * @throws IllegalStateException if the script fails; its output is in the message
     */
    static ImageLayout build(DeploymentFiles files, String app, Path target) throws IOException, InterruptedException {
        Path log = Files.createTempFile("image-layout-" + app, ".log");
        Process process = new ProcessBuilder(files.root().resolve("docker/bin/image-layout").toString(), app, target.toString())
                .directory(files.root().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("docker/bin/image-layout " + app + " failed:\n" + Files.readString(log));
        }
        Files.delete(log);
        return new ImageLayout(files, app, target);
    }

    Path home() {
        return home;
    }

    /** The image's ENTRYPOINT with {@code /app} replaced by this layout's folder. */
    List<String> entrypoint() {
        return files.entrypoint(app).stream().map(item -> item.replaceFirst("^/app/", home + "/")).toList();
    }

    /** Starts the entry point with these EDGEINFER_* options (and other variables) and arguments; output to {@code log}. */
    Process start(Map<String, String> environment, List<String> arguments, Path log) throws IOException {
        List<String> command = new ArrayList<>(entrypoint());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("EDGEINFER_"));
        builder.environment().putAll(environment);
        // The java of this test's JDK, found first on the PATH as the image's is.
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        builder.environment().put("PATH", javaBin + File.pathSeparator + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return builder.start();
    }

    /** Runs the entry point in its printing mode and returns the command it would run: java, JVM flags, main class, options. */
    static List<String> printedCommand(DeploymentFiles files, String app, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path layout = Files.createTempDirectory("entrypoint-" + app);
        try {
            Files.createDirectories(layout.resolve("bin"));
            Files.createDirectories(layout.resolve("lib"));
            Files.copy(files.root().resolve("docker/bin/entrypoint"), layout.resolve("bin/entrypoint"));
            layout.resolve("bin/entrypoint").toFile().setExecutable(true);
            Files.writeString(layout.resolve("lib/classpath.txt"), "edgeinfer-" + app + ".jar\n");
            List<String> command = new ArrayList<>(files.entrypoint(app));
            command.set(0, layout.resolve("bin/entrypoint").toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().keySet().removeIf(name -> name.startsWith("EDGEINFER_") || name.equals("JAVA_OPTS")
                    || name.equals("CPU_SCHEDULING"));
            builder.environment().putAll(environment);
            builder.environment().put("ENTRYPOINT_PRINT_COMMAND", "1");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("entrypoint failed: " + output);
            }
            List<String> lines = output.lines().toList();
            if (!lines.get(0).equals("CLASSPATH=" + layout.resolve("lib/edgeinfer-" + app + ".jar"))) {
                throw new IllegalStateException("entrypoint set no class path from lib/classpath.txt: " + lines.get(0));
            }
            return lines.subList(1, lines.size());
        } finally {
            deleteRecursively(layout);
        }
    }

    /** Deletes a folder and everything in it, if it exists. */
    static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (var walk = Files.walk(folder)) {
                for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** Stops a started entry point: SIGTERM, then SIGKILL after the grace period. */
    static void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The last lines of a log, for failure messages. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + log, e);
        }
    }
}
