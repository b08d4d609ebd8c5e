package dev.edgeinfer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoriesTest {

    @TempDir
    Path parent;

    @Test
    void createMakesAFolderOwnedByThisProcessThatASweepKeeps() {
        Path run = RunDirectories.create(parent);

        assertThat(run).isDirectory().hasParent(parent);
        assertThat(run.getFileName().toString()).startsWith("run-" + ProcessHandle.current().pid() + "-");
        assertThat(RunDirectories.sweepStale(parent)).isEmpty();
        assertThat(run).isDirectory();
    }

    @Test
    void sweepDeletesFoldersOfProcessesThatAreGone() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path stale = Files.createDirectories(parent.resolve("run-" + ended.pid() + "-0-0badf00d"));
        Files.writeString(Files.createDirectories(stale.resolve("kafka-0")).resolve("segment.log"), "data");

        assertThat(RunDirectories.sweepStale(parent)).containsExactly(stale);
        assertThat(stale).doesNotExist();
    }

    @Test
    void sweepDeletesAFolderWhoseProcessIdWasReusedByANewerProcess() throws IOException {
        ProcessHandle self = ProcessHandle.current();
        long otherStart = self.info().startInstant().map(Instant::toEpochMilli).orElseThrow() - 60_000;
        Path recycled = Files.createDirectories(parent.resolve("run-" + self.pid() + "-" + otherStart + "-00000001"));

        assertThat(RunDirectories.sweepStale(parent)).containsExactly(recycled);
    }

    @Test
    void sweepLeavesOtherFilesAlone() throws IOException {
        Path foreign = Files.createDirectories(parent.resolve("not-a-run"));
        Path file = Files.writeString(parent.resolve("run-1-2-3"), "a file, not a folder");

        assertThat(RunDirectories.sweepStale(parent)).isEmpty();
        assertThat(foreign).isDirectory();
        assertThat(file).isRegularFile();
    }

    @Test
    void sweepOfAMissingParentFindsNothing() {
        assertThat(RunDirectories.sweepStale(parent.resolve("missing"))).isEmpty();
    }
}
