package dev.edgeinfer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry JVM alone: its first run leaves a class-data-sharing archive that the next run starts from. */
class ApicurioRegistryIT {

    @TempDir
    Path temp;

    @Test
    void theSecondStartUsesTheArchiveTheFirstOneLeft() throws Exception {
        ApicurioHome home = ApicurioHome.locate();
        Path cache = temp.resolve("cds");
        Path firstRun = Files.createDirectories(temp.resolve("first"));
        Path secondRun = Files.createDirectories(temp.resolve("second"));

        try (ApicurioRegistry first = ApicurioRegistry.start(home, 0, firstRun, Duration.ofMinutes(4), cache)) {
            assertThat(first.usedClassDataSharingArchive()).isFalse();
        }
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.filter(file -> file.toString().endsWith(".jsa"))).as("archives in %s", cache).hasSize(1);
        }
        try (ApicurioRegistry second = ApicurioRegistry.start(home, 0, secondRun, Duration.ofMinutes(4), cache)) {
            assertThat(second.usedClassDataSharingArchive()).isTrue();
        }
        String secondLog = Files.readString(secondRun.resolve(ApicurioRegistry.LOG_FILE));
        assertThat(secondLog).doesNotContainIgnoringCase("mismatch").doesNotContain("Unable to use shared archive");
    }
}
