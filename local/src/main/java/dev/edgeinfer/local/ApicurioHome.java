package dev.edgeinfer.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The unpacked Apicurio Registry distribution: its runner jar (whose manifest lists {@code lib/}) and main class.
 *
 * <p>Search order: the system property {@value #HOME_PROPERTY}, the environment variable {@value #HOME_ENV}, then
 * {@code apicurio-registry} beside this module's code location (the build unpacks it to
 * {@code local/target/apicurio-registry}, beside both {@code target/classes} and the module jar). The first place
 * that is set is used as it is, so a wrong explicit setting fails instead of being skipped silently.
 *
 * @param directory  the distribution's folder
 * @param runnerJar  the runner jar inside it
 * @param mainClass  the runner jar's {@code Main-Class}
 */
public record ApicurioHome(Path directory, Path runnerJar, String mainClass) {

    public static final String HOME_PROPERTY = "edgeinfer.apicurio.home";
    public static final String HOME_ENV = "APICURIO_HOME";
    static final String SIBLING_FOLDER = "apicurio-registry";
    private static final String RUNNER_GLOB = "apicurio-registry-app-*-runner.jar";

    /**
     * Finds the distribution in the documented order.
     *
     * @throws IllegalStateException if no place holds a runner jar; the message lists every place looked at
     */
    public static ApicurioHome locate() {
        return locate(System::getProperty, System::getenv, codeLocation());
    }

    static ApicurioHome locate(Function<String, String> properties, Function<String, String> environment,
                               Optional<Path> codeLocation) {
        List<String> looked = new ArrayList<>();
        String property = properties.apply(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return inspect(Path.of(property), "system property " + HOME_PROPERTY, looked);
        }
        looked.add("system property " + HOME_PROPERTY + " (not set)");
        String env = environment.apply(HOME_ENV);
        if (env != null && !env.isBlank()) {
            return inspect(Path.of(env), "environment variable " + HOME_ENV, looked);
        }
        looked.add("environment variable " + HOME_ENV + " (not set)");
        if (codeLocation.isPresent()) {
            return inspect(codeLocation.get().toAbsolutePath().resolveSibling(SIBLING_FOLDER),
                    "beside the local module's code at " + codeLocation.get(), looked);
        }
        looked.add("beside the local module's code (its location is unknown)");
        throw notFound(looked);
    }

    private static ApicurioHome inspect(Path directory, String source, List<String> looked) {
        Optional<Path> runner = findRunnerJar(directory);
        if (runner.isEmpty()) {
            looked.add(directory + " from " + source + " (no " + RUNNER_GLOB + " there)");
            throw notFound(looked);
        }
        return new ApicurioHome(directory, runner.get(), readMainClass(runner.get()));
    }

    private static IllegalStateException notFound(List<String> looked) {
        return new IllegalStateException("Apicurio Registry distribution not found. Looked at, in order:\n  - "
                + String.join("\n  - ", looked)
                + "\nBuild the local module (mvn -pl local -am install -DskipTests unpacks it into local/target/"
                + SIBLING_FOLDER + "), or set -D" + HOME_PROPERTY + " or " + HOME_ENV
                + " to a folder holding the unpacked apicurio-registry-app zip (classifier all).");
    }

    private static Optional<Path> findRunnerJar(Path directory) {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(directory, RUNNER_GLOB)) {
            for (Path jar : jars) {
                return Optional.of(jar);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory + " while looking for the registry runner jar", e);
        }
    }

    private static String readMainClass(Path runnerJar) {
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            Manifest manifest = jar.getManifest();
            String mainClass = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
            if (mainClass == null) {
                throw new IllegalStateException("Registry runner jar " + runnerJar + " has no Main-Class in its manifest");
            }
            return mainClass;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest of the registry runner jar " + runnerJar, e);
        }
    }

    /** Where this module's classes come from: {@code target/classes} in a build, or the module's jar. */
    static Optional<Path> codeLocation() {
        CodeSource source = ApicurioHome.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot turn the local module's code location " + source.getLocation()
                    + " into a path", e);
        }
    }
}
