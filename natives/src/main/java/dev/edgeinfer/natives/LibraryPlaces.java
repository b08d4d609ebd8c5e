package dev.edgeinfer.natives;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The folders a native binding looks in for its library, in the order they are added, each with how it was found: a
 * folder a system property or an environment variable names, a folder derived from one, and the pinned wheel's folder
 * in the project's Python environment ({@code .venv}, or the one a system property names). A place that gives no folder
 * (a variable not set, no venv) is still listed, so that an error can say everything that was tried.
 */
public final class LibraryPlaces {

    /** What a search found: the library file, if any, and every place looked at, in order. */
    public record Found(Optional<Path> libraryFile, List<String> placesSearched) {
        public Found {
            placesSearched = List.copyOf(placesSearched);
        }
    }

    private final List<String> places = new ArrayList<>();
    private final List<Path> folders = new ArrayList<>();

    /**
     * A folder a setting names.
     *
     * @param source e.g. {@code system property openvino.lib.dir}
     * @param value  the setting's value; null or blank when it is not set
     */
    public LibraryPlaces named(String source, String value) {
        if (value == null || value.isBlank()) {
            places.add(source + " (not set)");
            folders.add(null);
        } else {
            places.add(source + ": " + value);
            folders.add(Path.of(value));
        }
        return this;
    }

    /** A folder derived from a setting, {@code source} saying from which; null when the setting is not set. */
    public LibraryPlaces derived(String source, Path folder) {
        places.add(folder == null ? source + " (not set)" : source + ": " + folder);
        folders.add(folder);
        return this;
    }

    /**
     * The wheel's folder in the project's Python environment: the venv {@code venvProperty} names, else the first
     * {@code .venv} folder above {@code workingDir}; in it, {@code lib/python3.*}{@code /site-packages/<inWheel>}.
     *
     * @param venvPropertyName the property's name, for the list of places
     * @param venvProperty     its value, or null
     * @param inWheel          the library's folder inside site-packages, e.g. {@code openvino/libs}
     */
    public LibraryPlaces venvWheel(String venvPropertyName, String venvProperty, Path workingDir, String inWheel) {
        Path venv = null;
        String source;
        if (venvProperty != null && !venvProperty.isBlank()) {
            venv = Path.of(venvProperty);
            source = "system property " + venvPropertyName + ": " + venv;
        } else {
            for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
                if (Files.isDirectory(dir.resolve(".venv"))) {
                    venv = dir.resolve(".venv");
                    break;
                }
            }
            source = venv == null ? "project .venv (none found above " + workingDir + ")" : "project .venv: " + venv;
        }
        if (venv == null) {
            places.add(source);
            folders.add(null);
            return this;
        }
        Path found = null;
        try (DirectoryStream<Path> pythons = Files.newDirectoryStream(venv.resolve("lib"), "python3.*")) {
            for (Path python : pythons) {
                Path candidate = python.resolve("site-packages").resolve(inWheel);
                if (Files.isDirectory(candidate)) {
                    found = candidate;
                    break;
                }
            }
        } catch (IOException e) {
            // No lib/ folder: not a venv; reported as searched below.
        }
        places.add(source + " -> " + (found == null ? venv.resolve("lib/python3.*/site-packages/" + inWheel) : found));
        folders.add(found);
        return this;
    }

    /**
     * Looks in each folder in order and stops at the first that holds the library.
     *
     * @param libraryIn  the library file in a folder, if it is there
     * @param missedNote what a place's entry says when its folder does not hold the library, e.g. {@code no libx.so there}
     */
    public Found find(Function<Path, Optional<Path>> libraryIn, String missedNote) {
        List<String> searched = new ArrayList<>(places);
        for (int i = 0; i < folders.size(); i++) {
            Path folder = folders.get(i);
            if (folder == null) {
                continue;
            }
            Optional<Path> file = libraryIn.apply(folder);
            if (file.isPresent()) {
                return new Found(file, searched.subList(0, i + 1));
            }
            searched.set(i, searched.get(i) + " (" + missedNote + ")");
        }
        return new Found(Optional.empty(), searched);
    }
}
