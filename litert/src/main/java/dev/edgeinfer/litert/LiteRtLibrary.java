package dev.edgeinfer.litert;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.edgeinfer.natives.LibraryPlaces;
import dev.edgeinfer.natives.LoadOnce;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Finds and loads {@code libLiteRt.so} once per JVM, after checking that it is the pinned release.
 *
 * <p>Search order, first match wins:
 * <ol>
 *   <li>the folder named by the system property {@value #LIB_DIR_PROPERTY};</li>
 *   <li>the folder named by the environment variable {@value #LIB_DIR_ENV};</li>
 *   <li>the pinned {@code ai-edge-litert} wheel in the project's virtual environment,
 *       {@code <venv>/lib/python3.*}{@code /site-packages/ai_edge_litert}, where the venv is named by the system
 *       property {@value #VENV_PROPERTY} or is the first {@code .venv} folder found walking up from the working
 *       directory.</li>
 * </ol>
 *
 * <p><b>Version.</b> The library exports no version function ({@code LiteRtGetVersion} is declared in the headers,
 * not exported), so the version is the wheel's: the {@code Version:} line of the {@code METADATA} of an
 * {@code ai_edge_litert-*.dist-info} folder beside the library's folder (the wheel's own layout) or inside it (a
 * copy, for a library installed elsewhere). It must be {@value #PINNED_VERSION}: the C structs and enum values this
 * binding declares are that release's. A library without that metadata, or of another version, is refused before it
 * is loaded.
 */
public final class LiteRtLibrary {
    /** The release whose C headers this binding follows. */
    public static final String PINNED_VERSION = "2.3.0";
    /** System property naming the folder that holds {@code libLiteRt.so}. */
    public static final String LIB_DIR_PROPERTY = "litert.lib.dir";
    /** Environment variable naming the folder that holds {@code libLiteRt.so}. */
    public static final String LIB_DIR_ENV = "LITERT_LIB_DIR";
    /** System property naming the project's Python virtual environment. */
    public static final String VENV_PROPERTY = "edgeinfer.venv";

    static final String FILE_NAME = "libLiteRt.so";
    private static final String WHEEL_PACKAGE = "ai_edge_litert";
    private static final String DIST_INFO_GLOB = WHEEL_PACKAGE + "-*.dist-info";

    private static final LoadOnce<Loaded> LIBRARY = new LoadOnce<>(LiteRtLibrary::loadOnce);

    private LiteRtLibrary() {
    }

    /** What a search found: the library file, if any, and every place looked at, in order. */
    public record SearchResult(Optional<Path> libraryFile, List<String> placesSearched) {
        public SearchResult {
            placesSearched = List.copyOf(placesSearched);
        }

        /** @return why nothing was found, with every place searched and how to fix it */
        public String describe() {
            StringBuilder text = new StringBuilder(FILE_NAME + " was not found. Places searched, in order:");
            placesSearched.forEach(place -> text.append(System.lineSeparator()).append("  - ").append(place));
            text.append(System.lineSeparator()).append("Set -D").append(LIB_DIR_PROPERTY).append(" or ")
                    .append(LIB_DIR_ENV).append(" to the folder holding ").append(FILE_NAME)
                    .append(" (the ai_edge_litert folder of an installed ai-edge-litert==").append(PINNED_VERSION)
                    .append(" wheel), or install that wheel in the project's .venv.");
            return text.toString();
        }
    }

    private record Loaded(LiteRtC c, Path file, String version, Pointer free) {
    }

    /**
     * Searches without loading anything, using this JVM's properties, environment and working directory.
     *
     * @return the file that {@link #version()} would load, and the places searched
     */
    public static SearchResult locate() {
        return locate(System::getProperty, System::getenv, Path.of("").toAbsolutePath());
    }

    static SearchResult locate(Function<String, String> property, Function<String, String> env, Path workingDir) {
        LibraryPlaces.Found found = new LibraryPlaces()
                .named("system property " + LIB_DIR_PROPERTY, property.apply(LIB_DIR_PROPERTY))
                .named("environment variable " + LIB_DIR_ENV, env.apply(LIB_DIR_ENV))
                .venvWheel(VENV_PROPERTY, property.apply(VENV_PROPERTY), workingDir, WHEEL_PACKAGE)
                .find(folder -> Optional.of(folder.resolve(FILE_NAME)).filter(Files::isRegularFile), "no " + FILE_NAME + " there");
        return new SearchResult(found.libraryFile(), found.placesSearched());
    }

    /**
     * The {@code ai-edge-litert} version recorded beside a library file: in an {@code ai_edge_litert-*.dist-info}
     * folder next to the library's folder, else inside it.
     *
     * @param library the library file
     * @return the version, or empty if no such metadata is there
     * @throws UnsatisfiedLinkError if there is more than one version, which says the installation is broken
     */
    static Optional<String> wheelVersion(Path library) {
        Path folder = library.toAbsolutePath().getParent();
        for (Path where : new Path[] {folder.getParent(), folder}) {
            if (where == null || !Files.isDirectory(where)) {
                continue;
            }
            TreeSet<String> versions = new TreeSet<>();
            try (DirectoryStream<Path> infos = Files.newDirectoryStream(where, DIST_INFO_GLOB)) {
                for (Path info : infos) {
                    versions.add(versionOf(info));
                }
            } catch (IOException e) {
                continue;
            }
            if (versions.size() > 1) {
                throw new UnsatisfiedLinkError("Several " + DIST_INFO_GLOB + " folders in " + where + " (versions "
                        + versions + "): reinstall ai-edge-litert==" + PINNED_VERSION);
            }
            if (!versions.isEmpty()) {
                return Optional.of(versions.first());
            }
        }
        return Optional.empty();
    }

    /** The {@code Version:} of a dist-info's METADATA, else the version in the folder's name. */
    private static String versionOf(Path distInfo) {
        try {
            for (String line : Files.readAllLines(distInfo.resolve("METADATA"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Version:")) {
                    return line.substring("Version:".length()).strip();
                }
                if (line.isEmpty()) {
                    break; // the headers end at the first empty line
                }
            }
        } catch (IOException e) {
            // No readable METADATA: fall back on the name, ai_edge_litert-2.3.0.dist-info.
        }
        String name = distInfo.getFileName().toString();
        return name.substring(WHEEL_PACKAGE.length() + 1, name.length() - ".dist-info".length());
    }

    /**
     * Loads the library on first use and returns its version.
     *
     * @return the loaded library's version, {@value #PINNED_VERSION}
     * @throws UnsatisfiedLinkError if the library is not found (the message lists every place searched), is not the
     *         pinned version or says nothing of its version, cannot be loaded, or lacks a function this binding
     *         calls; every later call throws the same
     */
    public static String version() {
        return load().version();
    }

    /**
     * @return the file loaded
     * @throws UnsatisfiedLinkError as {@link #version()}
     */
    public static Path libraryFile() {
        return load().file();
    }

    static LiteRtC c() {
        return load().c();
    }

    /** @return libc's {@code free}, the destructor of payloads allocated with {@link com.sun.jna.Native#malloc} */
    static Pointer free() {
        return load().free();
    }

    private static Loaded load() {
        return LIBRARY.get();
    }

    /**
     * @param file a library file
     * @return its version, {@value #PINNED_VERSION}
     * @throws UnsatisfiedLinkError if the wheel metadata beside it names another version, or is missing
     */
    static String requirePinnedVersion(Path file) {
        String version = wheelVersion(file).orElseThrow(() -> new UnsatisfiedLinkError("Cannot tell which LiteRT "
                + "release " + file + " is: it exports no version function, and no " + DIST_INFO_GLOB
                + " folder is beside its folder or in it. Use the ai_edge_litert folder of an installed "
                + "ai-edge-litert==" + PINNED_VERSION + " wheel, or copy that wheel's dist-info folder next to the "
                + "library."));
        if (!version.equals(PINNED_VERSION)) {
            throw new UnsatisfiedLinkError(file + " is ai-edge-litert " + version + ", but this binding is pinned "
                    + "to the C API of " + PINNED_VERSION + " (struct layouts and enum values change between releases)."
                    + " Install ai-edge-litert==" + PINNED_VERSION + " or point " + LIB_DIR_PROPERTY + " at it.");
        }
        return version;
    }

    private static Loaded loadOnce() {
        SearchResult search = locate();
        Path file = search.libraryFile().orElseThrow(() -> new UnsatisfiedLinkError(search.describe()));
        String version = requirePinnedVersion(file);
        LiteRtC c;
        NativeLibrary library;
        try {
            c = Native.load(file.toString(), LiteRtC.class);
            library = NativeLibrary.getInstance(file.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new UnsatisfiedLinkError("Could not load " + file + ": " + e.getMessage());
        }
        List<String> names = new ArrayList<>(List.of(HotCalls.NAMES));
        for (Method method : LiteRtC.class.getMethods()) {
            names.add(method.getName());
        }
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            try {
                library.getFunction(name);
            } catch (UnsatisfiedLinkError e) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new UnsatisfiedLinkError(file + " (ai-edge-litert " + version + ") does not export " + missing);
        }
        HotCalls.register(library);
        Pointer free = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("free");
        return new Loaded(c, file, version, free);
    }

    /**
     * Maps a status to {@link LiteRtException}.
     *
     * @param status   what the C function returned
     * @param function the function, with what tells this call apart (a file, an index)
     * @throws LiteRtException unless {@code status} is {@code kLiteRtStatusOk}
     */
    static void check(int status, String function) throws LiteRtException {
        if (status != 0) {
            throw new LiteRtException(function, status);
        }
    }
}
