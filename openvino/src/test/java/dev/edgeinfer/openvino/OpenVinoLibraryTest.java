package dev.edgeinfer.openvino;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search order of the loader, on fake folders: needs no natives. */
class OpenVinoLibraryTest {
    @TempDir
    Path dir;

    @Test
    void systemPropertyWinsOverEnvironmentAndVenv() throws IOException {
        Path fromProperty = Files.createDirectories(dir.resolve("prop"));
        Files.createFile(fromProperty.resolve("libopenvino_c.so.2641"));
        Path fromEnv = Files.createDirectories(dir.resolve("env"));
        Files.createFile(fromEnv.resolve("libopenvino_c.so.2641"));

        OpenVinoLibrary.SearchResult result = OpenVinoLibrary.locate(
                Map.of("openvino.lib.dir", fromProperty.toString())::get,
                Map.of("OPENVINO_LIB_DIR", fromEnv.toString())::get, dir, "amd64");

        assertThat(result.libraryFile()).contains(fromProperty.resolve("libopenvino_c.so.2641"));
        assertThat(result.placesSearched()).hasSize(1);
    }

    @Test
    void fallsThroughToTheInstallationForTheMachinesArchitecture() throws IOException {
        Path arm = Files.createDirectories(dir.resolve("ov/runtime/lib/aarch64"));
        Files.createFile(arm.resolve("libopenvino_c.so"));

        OpenVinoLibrary.SearchResult result = OpenVinoLibrary.locate(Map.<String, String>of()::get,
                Map.of("INTEL_OPENVINO_DIR", dir.resolve("ov").toString())::get, dir, "aarch64");

        assertThat(result.libraryFile()).contains(arm.resolve("libopenvino_c.so"));
    }

    @Test
    void findsTheWheelInTheVenvAboveTheWorkingDirectory() throws IOException {
        Path libs = Files.createDirectories(dir.resolve(".venv/lib/python3.11/site-packages/openvino/libs"));
        Files.createFile(libs.resolve("libopenvino_c.so.2641"));
        Path workingDir = Files.createDirectories(dir.resolve("openvino/target"));

        OpenVinoLibrary.SearchResult result = OpenVinoLibrary.locate(Map.<String, String>of()::get,
                Map.<String, String>of()::get, workingDir, "amd64");

        assertThat(result.libraryFile()).contains(libs.resolve("libopenvino_c.so.2641"));
    }

    @Test
    void prefersThePinnedSuffixWhenAFolderHoldsSeveral() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("libs"));
        Files.createFile(folder.resolve("libopenvino_c.so.2541"));
        Files.createFile(folder.resolve("libopenvino_c.so.2641"));

        OpenVinoLibrary.SearchResult result = OpenVinoLibrary.locate(
                Map.of("openvino.lib.dir", folder.toString())::get, Map.<String, String>of()::get, dir, "amd64");

        assertThat(result.libraryFile()).contains(folder.resolve("libopenvino_c.so.2641"));
    }

    @Test
    void whenNothingIsFoundTheErrorListsEveryPlace() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path venv = Files.createDirectories(dir.resolve("venv-without-openvino/lib/python3.12"));

        OpenVinoLibrary.SearchResult result = OpenVinoLibrary.locate(
                Map.of("openvino.lib.dir", empty.toString(), "edgeinfer.venv", venv.getParent().getParent().toString())::get,
                Map.of("OPENVINO_LIB_DIR", dir.resolve("missing").toString())::get, dir, "amd64");

        assertThat(result.libraryFile()).isEmpty();
        assertThat(result.describe())
                .contains("system property openvino.lib.dir: " + empty)
                .contains("environment variable OPENVINO_LIB_DIR: " + dir.resolve("missing"))
                .contains("INTEL_OPENVINO_DIR (not set)")
                .contains("system property edgeinfer.venv")
                .contains("openvino==2026.4.1");
        assertThat(result.placesSearched()).hasSize(4);
    }

    @Test
    void readsMajorMinorFromTheBuildNumber() {
        assertThat(OpenVinoLibrary.majorMinorOf("2026.4.1-20791-a1b2c3d4e5f")).isEqualTo("2026.4");
        assertThat(OpenVinoLibrary.majorMinorOf("2025.4.0-1-x")).isEqualTo("2025.4");
        assertThat(OpenVinoLibrary.wheelSuffix("2026.4.1")).isEqualTo("2641");
    }
}
