package dev.edgeinfer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioHomeTest {

    private static final String RUNNER = "apicurio-registry-app-2.6.13.Final-runner.jar";

    @TempDir
    Path temp;

    @Test
    void errorListsEveryPlaceLookedAt() throws IOException {
        Path classes = Files.createDirectories(temp.resolve("target/classes"));

        assertThatThrownBy(() -> ApicurioHome.locate(none(), none(), Optional.of(classes)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("system property " + ApicurioHome.HOME_PROPERTY + " (not set)")
                .hasMessageContaining("environment variable " + ApicurioHome.HOME_ENV + " (not set)")
                .hasMessageContaining(temp.resolve("target/apicurio-registry").toString())
                .hasMessageContaining("mvn -pl local -am install");
    }

    @Test
    void anExplicitSettingThatHoldsNoRunnerJarFailsInsteadOfFallingThrough() throws IOException {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        Path classes = Files.createDirectories(temp.resolve("target/classes"));
        runnerJar(Files.createDirectories(temp.resolve("target/apicurio-registry")), "io.example.Main");

        assertThatThrownBy(() -> ApicurioHome.locate(Map.of(ApicurioHome.HOME_PROPERTY, empty.toString())::get, none(),
                Optional.of(classes)))
                .hasMessageContaining(empty + " from system property " + ApicurioHome.HOME_PROPERTY);
    }

    @Test
    void findsTheDistributionBesideTheModulesClassesOrJar() throws IOException {
        Path home = Files.createDirectories(temp.resolve("target/apicurio-registry"));
        Path runner = runnerJar(home, "io.quarkus.runner.GeneratedMain");

        for (Path codeLocation : new Path[] {temp.resolve("target/classes"), temp.resolve("target/edgeinfer-local.jar")}) {
            ApicurioHome found = ApicurioHome.locate(none(), none(), Optional.of(codeLocation));
            assertThat(found.runnerJar()).isEqualTo(runner);
            assertThat(found.mainClass()).isEqualTo("io.quarkus.runner.GeneratedMain");
        }
    }

    @Test
    void theEnvironmentVariableComesBeforeTheCodeLocation() throws IOException {
        Path fromEnv = Files.createDirectories(temp.resolve("env-home"));
        runnerJar(fromEnv, "io.example.FromEnv");

        ApicurioHome found = ApicurioHome.locate(none(), Map.of(ApicurioHome.HOME_ENV, fromEnv.toString())::get,
                Optional.empty());

        assertThat(found.directory()).isEqualTo(fromEnv);
        assertThat(found.mainClass()).isEqualTo("io.example.FromEnv");
    }

    private static Function<String, String> none() {
        return key -> null;
    }

    private static Path runnerJar(Path directory, String mainClass) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        Path jar = directory.resolve(RUNNER);
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
        return jar;
    }
}
