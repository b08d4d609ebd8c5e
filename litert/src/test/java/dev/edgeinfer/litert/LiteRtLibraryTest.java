package dev.edgeinfer.litert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search order and the version pin of the loader, on fake folders: needs no natives. */
class LiteRtLibraryTest {
    @TempDir
    Path dir;

    @Test
    void systemPropertyWinsOverEnvironmentAndVenv() throws IOException {
        Path fromProperty = Files.createDirectories(dir.resolve("prop"));
        Files.createFile(fromProperty.resolve("libLiteRt.so"));
        Path fromEnv = Files.createDirectories(dir.resolve("env"));
        Files.createFile(fromEnv.resolve("libLiteRt.so"));

        LiteRtLibrary.SearchResult result = LiteRtLibrary.locate(
                Map.of("litert.lib.dir", fromProperty.toString())::get,
                Map.of("LITERT_LIB_DIR", fromEnv.toString())::get, dir);

        assertThat(result.libraryFile()).contains(fromProperty.resolve("libLiteRt.so"));
        assertThat(result.placesSearched()).hasSize(1);
    }

    @Test
    void theEnvironmentVariableComesSecond() throws IOException {
        Path fromEnv = Files.createDirectories(dir.resolve("env"));
        Files.createFile(fromEnv.resolve("libLiteRt.so"));

        LiteRtLibrary.SearchResult result = LiteRtLibrary.locate(Map.<String, String>of()::get,
                Map.of("LITERT_LIB_DIR", fromEnv.toString())::get, dir);

        assertThat(result.libraryFile()).contains(fromEnv.resolve("libLiteRt.so"));
        assertThat(result.placesSearched()).hasSize(2);
    }

    @Test
    void findsTheWheelInTheVenvAboveTheWorkingDirectory() throws IOException {
        Path wheel = Files.createDirectories(dir.resolve(".venv/lib/python3.11/site-packages/ai_edge_litert"));
        Files.createFile(wheel.resolve("libLiteRt.so"));
        Path workingDir = Files.createDirectories(dir.resolve("litert/target"));

        LiteRtLibrary.SearchResult result = LiteRtLibrary.locate(Map.<String, String>of()::get,
                Map.<String, String>of()::get, workingDir);

        assertThat(result.libraryFile()).contains(wheel.resolve("libLiteRt.so"));
    }

    @Test
    void whenNothingIsFoundTheErrorListsEveryPlace() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path venv = Files.createDirectories(dir.resolve("venv-without-litert/lib/python3.12"));

        LiteRtLibrary.SearchResult result = LiteRtLibrary.locate(
                Map.of("litert.lib.dir", empty.toString(), "edgeinfer.venv", venv.getParent().getParent().toString())::get,
                Map.of("LITERT_LIB_DIR", dir.resolve("missing").toString())::get, dir);

        assertThat(result.libraryFile()).isEmpty();
        assertThat(result.placesSearched()).hasSize(3);
        assertThat(result.describe())
                .contains("system property litert.lib.dir: " + empty + " (no libLiteRt.so there)")
                .contains("environment variable LITERT_LIB_DIR: " + dir.resolve("missing"))
                .contains("system property edgeinfer.venv")
                .contains("site-packages/ai_edge_litert")
                .contains("ai-edge-litert==2.3.0");
    }

    @Test
    void readsTheVersionFromTheWheelsMetadataBesideTheLibrary() throws IOException {
        Path sitePackages = Files.createDirectories(dir.resolve("site-packages"));
        Path library = wheel(sitePackages, "2.3.0", "Metadata-Version: 2.4\nName: ai-edge-litert\nVersion: 2.3.0\n\n");

        assertThat(LiteRtLibrary.wheelVersion(library)).contains("2.3.0");
    }

    @Test
    void theMetadataWinsOverTheFolderName() throws IOException {
        Path library = wheel(dir, "2.3.0", "Name: ai-edge-litert\nVersion: 2.4.0\n\nVersion: 9\n");

        assertThat(LiteRtLibrary.wheelVersion(library)).contains("2.4.0");
    }

    @Test
    void withoutMetadataTheFolderNameTells() throws IOException {
        Path library = wheel(dir, "2.2.0", null);

        assertThat(LiteRtLibrary.wheelVersion(library)).contains("2.2.0");
    }

    @Test
    void aCopyOfTheDistInfoInsideTheLibrarysFolderCounts() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("opt/litert"));
        Path library = Files.createFile(folder.resolve("libLiteRt.so"));
        Files.createDirectories(folder.resolve("ai_edge_litert-2.3.0.dist-info"));

        assertThat(LiteRtLibrary.wheelVersion(library)).contains("2.3.0");
    }

    @Test
    void aLibraryWithoutMetadataHasNoVersion() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("bare"));
        Path library = Files.createFile(folder.resolve("libLiteRt.so"));

        assertThat(LiteRtLibrary.wheelVersion(library)).isEmpty();
    }

    @Test
    void twoVersionsBesideTheLibraryAreRefused() throws IOException {
        Path library = wheel(dir, "2.3.0", null);
        Files.createDirectories(dir.resolve("ai_edge_litert-2.1.0.dist-info"));

        assertThatThrownBy(() -> LiteRtLibrary.wheelVersion(library)).isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessageContaining("[2.1.0, 2.3.0]");
    }

    @Test
    void anotherVersionOrNoneIsRefusedBeforeLoading() throws IOException {
        Path older = wheel(Files.createDirectories(dir.resolve("older")), "2.2.0", "Version: 2.2.0\n");
        Path bare = Files.createFile(Files.createDirectories(dir.resolve("bare")).resolve("libLiteRt.so"));
        Path pinned = wheel(Files.createDirectories(dir.resolve("pinned")), "2.3.0", "Version: 2.3.0\n");

        assertThatThrownBy(() -> LiteRtLibrary.requirePinnedVersion(older)).isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessageContaining(older + " is ai-edge-litert 2.2.0, but this binding is pinned to the C API of 2.3.0");
        assertThatThrownBy(() -> LiteRtLibrary.requirePinnedVersion(bare)).isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessageContaining("Cannot tell which LiteRT release " + bare + " is");
        assertThat(LiteRtLibrary.requirePinnedVersion(pinned)).isEqualTo("2.3.0");
    }

    @Test
    void theXnnpackThreadsPayloadIsToml() {
        assertThat(CompilationOptions.cpuOptionsToml(4)).isEqualTo("num_threads = 4\n");
    }

    @Test
    void statusCodesMapBothWays() {
        assertThat(LiteRtStatus.fromCode(500)).isEqualTo(LiteRtStatus.FILE_IO);
        assertThat(LiteRtStatus.fromCode(1)).isEqualTo(LiteRtStatus.INVALID_ARGUMENT);
        assertThat(LiteRtStatus.fromCode(77)).isEqualTo(LiteRtStatus.UNRECOGNIZED);
        assertThat(ElementType.fromCode(3)).isEqualTo(ElementType.UINT8);
        assertThat(ElementType.fromCode(99)).isEqualTo(ElementType.UNRECOGNIZED);
    }

    /** An installed wheel: site-packages/ai_edge_litert/libLiteRt.so and its dist-info folder beside it. */
    private static Path wheel(Path sitePackages, String folderVersion, String metadata) throws IOException {
        Path folder = Files.createDirectories(sitePackages.resolve("ai_edge_litert"));
        Path info = Files.createDirectories(sitePackages.resolve("ai_edge_litert-" + folderVersion + ".dist-info"));
        if (metadata != null) {
            Files.writeString(info.resolve("METADATA"), metadata);
        }
        return Files.createFile(folder.resolve("libLiteRt.so"));
    }
}
