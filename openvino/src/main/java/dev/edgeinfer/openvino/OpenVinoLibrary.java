package dev.edgeinfer.openvino;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.edgeinfer.natives.LibraryPlaces;
import dev.edgeinfer.natives.LoadOnce;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds and loads {@code libopenvino_c} once per JVM, then checks that it is the pinned release.
 *
 * <p>Search order, first match wins:
 * <ol>
 *   <li>the folder named by the system property {@value #LIB_DIR_PROPERTY};</li>
 *   <li>the folder named by the environment variable {@value #LIB_DIR_ENV};</li>
 *   <li>an OpenVINO installation named by {@value #INSTALL_DIR_ENV}: its {@code runtime/lib/intel64} or
 *       {@code runtime/lib/aarch64};</li>
 *   <li>the pinned {@code openvino} wheel in the project's virtual environment,
 *       {@code <venv>/lib/python3.*}{@code /site-packages/openvino/libs}, where the venv is named by the system
 *       property {@value #VENV_PROPERTY} or is the first {@code .venv} folder found walking up from the working
 *       directory.</li>
 * </ol>
 * In each folder the file is {@code libopenvino_c.so.NNNN} (wheels carry the short version as a suffix and no
 * symlinks), preferring the pinned suffix, or a bare {@code libopenvino_c.so}. The library's neighbours (the core
 * library, plugins, frontends) are found by its own {@code $ORIGIN} rpath.
 */
public final class OpenVinoLibrary {
    /** The release whose C headers this binding follows. */
    public static final String PINNED_VERSION = "2026.4.1";
    /** System property naming the folder that holds {@code libopenvino_c}. */
    public static final String LIB_DIR_PROPERTY = "openvino.lib.dir";
    /** Environment variable naming the folder that holds {@code libopenvino_c}. */
    public static final String LIB_DIR_ENV = "OPENVINO_LIB_DIR";
    /** Environment variable set by an OpenVINO installation's {@code setupvars.sh}. */
    public static final String INSTALL_DIR_ENV = "INTEL_OPENVINO_DIR";
    /** System property naming the project's Python virtual environment. */
    public static final String VENV_PROPERTY = "edgeinfer.venv";

    private static final String BASE_NAME = "libopenvino_c.so";
    /** The wheel's file suffix: two-digit year, minor, patch ({@code 2026.4.1} becomes {@code 2641}). */
    private static final String PINNED_SUFFIX = wheelSuffix(PINNED_VERSION);

    private static final LoadOnce<Loaded> LIBRARY = new LoadOnce<>(OpenVinoLibrary::loadOnce);

    private OpenVinoLibrary() {
    }

    /** What a search found: the library file, if any, and every place looked at, in order. */
    public record SearchResult(Optional<Path> libraryFile, List<String> placesSearched) {
        public SearchResult {
            placesSearched = List.copyOf(placesSearched);
        }

        String describe() {
            StringBuilder text = new StringBuilder("libopenvino_c was not found. Places searched, in order:");
            placesSearched.forEach(place -> text.append(System.lineSeparator()).append("  - ").append(place));
            text.append(System.lineSeparator()).append("Set -D").append(LIB_DIR_PROPERTY).append(" or ")
                    .append(LIB_DIR_ENV).append(" to the folder holding ").append(BASE_NAME)
                    .append(".NNNN, or create the project's .venv with the pinned openvino==")
                    .append(PINNED_VERSION).append(" wheel.");
            return text.toString();
        }
    }

    /** OpenVINO's own version record, from {@code ov_get_openvino_version}. */
    public record Version(String buildNumber, String description) {
        /** @return the leading {@code major.minor} of the build number, e.g. {@code 2026.4} */
        public String majorMinor() {
            return majorMinorOf(buildNumber);
        }
    }

    private record Loaded(OpenVinoC c, Path file, Version version) {
    }

    /**
     * Searches without loading anything, using this JVM's properties, environment and working directory.
     *
     * @return the file that {@link #version()} would load, and the places searched
     */
    public static SearchResult locate() {
        return locate(System::getProperty, System::getenv, Path.of("").toAbsolutePath(),
                System.getProperty("os.arch"));
    }

    static SearchResult locate(Function<String, String> property, Function<String, String> env,
                               Path workingDir, String arch) {
        String install = env.apply(INSTALL_DIR_ENV);
        Path installLibs = install == null || install.isBlank() ? null
                : Path.of(install, "runtime", "lib", isArm(arch) ? "aarch64" : "intel64");
        LibraryPlaces.Found found = new LibraryPlaces()
                .named("system property " + LIB_DIR_PROPERTY, property.apply(LIB_DIR_PROPERTY))
                .named("environment variable " + LIB_DIR_ENV, env.apply(LIB_DIR_ENV))
                .derived(INSTALL_DIR_ENV, installLibs)
                .venvWheel(VENV_PROPERTY, property.apply(VENV_PROPERTY), workingDir, "openvino/libs")
                .find(OpenVinoLibrary::libraryIn, "no " + BASE_NAME + "* there");
        return new SearchResult(found.libraryFile(), found.placesSearched());
    }

    private static Optional<Path> libraryIn(Path folder) {
        Path pinned = folder.resolve(BASE_NAME + "." + PINNED_SUFFIX);
        if (Files.isRegularFile(pinned)) {
            return Optional.of(pinned);
        }
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, BASE_NAME + "*")) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    return Optional.of(file);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean isArm(String arch) {
        String lower = arch == null ? "" : arch.toLowerCase(Locale.ROOT);
        return lower.equals("aarch64") || lower.equals("arm64");
    }

    static String wheelSuffix(String version) {
        String[] parts = version.split("\\.");
        return parts[0].substring(parts[0].length() - 2) + parts[1] + parts[2];
    }

    static String majorMinorOf(String buildNumber) {
        String[] parts = buildNumber.split("[.\\-]");
        return parts.length < 2 ? buildNumber : parts[0] + "." + parts[1];
    }

    /**
     * Loads the library on first use and returns its version.
     *
     * @return the loaded library's version
     * @throws UnsatisfiedLinkError if the library is not found (the message lists every place searched), cannot be
     *         loaded, or is not the pinned {@code major.minor}; every later call throws the same
     */
    public static Version version() {
        return load().version();
    }

    /**
     * @return the file loaded
     * @throws UnsatisfiedLinkError as {@link #version()}
     */
    public static Path libraryFile() {
        return load().file();
    }

    static OpenVinoC c() {
        return load().c();
    }

    private static Loaded load() {
        return LIBRARY.get();
    }

    private static Loaded loadOnce() {
        SearchResult search = locate();
        Path file = search.libraryFile().orElseThrow(() -> new UnsatisfiedLinkError(search.describe()));
        OpenVinoC c;
        try {
            c = Native.load(file.toString(), OpenVinoC.class);
        } catch (UnsatisfiedLinkError e) {
            throw new UnsatisfiedLinkError("Could not load " + file + ": " + e.getMessage());
        }
        Structs.Version raw = new Structs.Version();
        int status = c.ov_get_openvino_version(raw);
        if (status != 0) {
            throw new UnsatisfiedLinkError("ov_get_openvino_version failed in " + file + " with status " + status);
        }
        Version version = new Version(raw.buildNumber.getString(0), raw.description.getString(0));
        c.ov_version_free(raw);
        if (!version.majorMinor().equals(majorMinorOf(PINNED_VERSION))) {
            throw new UnsatisfiedLinkError(file + " is OpenVINO " + version.buildNumber() + ", but this binding is "
                    + "pinned to the C ABI of " + PINNED_VERSION + " (enum values move between releases). "
                    + "Point " + LIB_DIR_PROPERTY + " at a " + majorMinorOf(PINNED_VERSION) + ".x library.");
        }
        return new Loaded(c, file, version);
    }

    /**
     * Maps a status to {@link OpenVinoException}, with the library's error text for the failed call.
     *
     * @throws OpenVinoException unless {@code status} is {@code OK}
     */
    static void check(int status, String function) throws OpenVinoException {
        if (status != 0) {
            throw new OpenVinoException(function, status, lastErrorText(status));
        }
    }

    private static String lastErrorText(int status) {
        OpenVinoC c = c();
        Pointer message = c.ov_get_last_err_msg();
        if (message != null) {
            try {
                String text = message.getString(0);
                if (!text.isBlank()) {
                    return text.strip();
                }
            } finally {
                c.ov_free(message);
            }
        }
        String generic = c.ov_get_error_info(status);
        return generic == null ? "(no error text)" : generic;
    }

    /** Reads a string the library allocated for the caller and frees it with {@code ov_free}. */
    static String takeString(Pointer text) {
        if (text == null) {
            return "";
        }
        try {
            return text.getString(0);
        } finally {
            c().ov_free(text);
        }
    }
}
