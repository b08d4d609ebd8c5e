package dev.edgeinfer.natives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativesTest {

    @TempDir
    Path dir;

    @Test
    void theFirstFolderHoldingTheLibraryWinsAndEveryPlaceTriedIsListed() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path wheel = Files.createDirectories(dir.resolve("project/.venv/lib/python3.11/site-packages/pkg/libs"));
        Files.writeString(wheel.resolve("libx.so"), "");

        LibraryPlaces.Found found = new LibraryPlaces().named("system property x.dir", null)
                .named("environment variable X_DIR", empty.toString())
                .venvWheel("edgeinfer.venv", null, dir.resolve("project/sub"), "pkg/libs")
                .find(folder -> Optional.of(folder.resolve("libx.so")).filter(Files::isRegularFile), "no libx.so there");

        assertThat(found.libraryFile()).contains(wheel.resolve("libx.so"));
        assertThat(found.placesSearched()).containsExactly("system property x.dir (not set)",
                "environment variable X_DIR: " + empty + " (no libx.so there)",
                "project .venv: " + dir.resolve("project/.venv") + " -> " + wheel);
    }

    @Test
    void aFailedLoadIsRememberedAndNotTriedAgain() {
        AtomicInteger tries = new AtomicInteger();
        LoadOnce<String> library = new LoadOnce<>(() -> {
            tries.incrementAndGet();
            throw new UnsatisfiedLinkError("libx.so was not found");
        });

        assertThatThrownBy(library::get).isInstanceOf(UnsatisfiedLinkError.class).hasMessage("libx.so was not found");
        assertThatThrownBy(library::get).isInstanceOf(UnsatisfiedLinkError.class).hasMessage("libx.so was not found");
        assertThat(tries).hasValue(1);
    }
}
