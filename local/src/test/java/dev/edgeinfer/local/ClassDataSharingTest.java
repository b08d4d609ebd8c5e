package dev.edgeinfer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {

    @TempDir
    Path temp;

    @Test
    void aFirstRunMakesTheArchiveWhichLaterRunsUse() throws IOException {
        ApicurioHome home = fakeHome();
        Path cache = temp.resolve("cds");

        ClassDataSharing first = ClassDataSharing.prepare(cache, home);
        assertThat(first.usesArchive()).isFalse();
        assertThat(first.jvmOptions()).singleElement().asString().startsWith("-XX:ArchiveClassesAtExit=" + cache);
        Path pending = Path.of(first.jvmOptions().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.writeString(pending, "archive written by the exiting JVM");
        first.publish();

        ClassDataSharing second = ClassDataSharing.prepare(cache, home);
        assertThat(second.usesArchive()).isTrue();
        assertThat(second.jvmOptions()).singleElement().asString().startsWith("-XX:SharedArchiveFile=" + cache);
        assertThat(second.watchdogJar()).isEqualTo(first.watchdogJar());
        assertThat(pending).doesNotExist();
    }

    @Test
    void theWatchdogJarHoldsTheWatchdogClass() throws IOException {
        ClassDataSharing sharing = ClassDataSharing.prepare(temp.resolve("cds"), fakeHome());

        try (JarFile jar = new JarFile(sharing.watchdogJar().toFile())) {
            assertThat(jar.getEntry("dev/edgeinfer/local/ParentWatchdog.class")).isNotNull();
        }
    }

    @Test
    void publishingWithoutAWrittenArchiveChangesNothing() throws IOException {
        Path cache = temp.resolve("cds");
        ClassDataSharing.prepare(cache, fakeHome()).publish();

        assertThat(ClassDataSharing.prepare(cache, fakeHome()).usesArchive()).isFalse();
    }

    @Test
    void archivesLeftHalfWrittenByGoneProcessesAreDeleted() throws Exception {
        Path cache = Files.createDirectories(temp.resolve("cds"));
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path abandoned = Files.writeString(cache.resolve("apicurio-registry-0123.jsa." + ended.pid() + "-1f.tmp"), "partial");
        Path ours = Files.writeString(cache.resolve("apicurio-registry-0123.jsa." + ProcessHandle.current().pid() + "-2e.tmp"), "busy");

        ClassDataSharing.sweepAbandonedArchives(cache);

        assertThat(abandoned).doesNotExist();
        assertThat(ours).exists();
    }

    private ApicurioHome fakeHome() throws IOException {
        Path runner = temp.resolve("apicurio-registry-app-2.6.13.Final-runner.jar");
        if (!Files.exists(runner)) {
            Files.writeString(runner, "not really a jar");
        }
        return new ApicurioHome(temp, runner, "io.quarkus.runner.GeneratedMain");
    }
}
