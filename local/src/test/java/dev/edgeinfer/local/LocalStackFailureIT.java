package dev.edgeinfer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A part that fails to start takes the parts already started down with it and reports why. */
class LocalStackFailureIT {

    @TempDir
    Path temp;

    @Test
    void aRegistryThatDiesAtStartStopsTheBrokerAndReportsItsLog() throws IOException {
        Path runParent = temp.resolve("runs");
        ApicurioHome broken = brokenRegistry(Files.createDirectories(temp.resolve("broken-registry")));

        assertThatThrownBy(() -> LocalStack.builder().runParent(runParent).registryHome(broken).start())
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("exited during start-up")
                .hasMessageContaining("ClassNotFoundException: io.example.Missing");

        try (Stream<Path> left = Files.list(runParent)) {
            assertThat(left).as("run folders left in %s", runParent).isEmpty();
        }
    }

    /** A runner jar whose main class does not exist: the registry JVM ends right after it starts. */
    private static ApicurioHome brokenRegistry(Path directory) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path jar = directory.resolve("apicurio-registry-app-0.0.0-runner.jar");
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
        return new ApicurioHome(directory, jar, "io.example.Missing");
    }
}
