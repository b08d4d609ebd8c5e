package dev.edgeinfer.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {

    @TempDir
    Path dir;

    @Test
    void fileSettingsPassThroughAndCommandLineAddressesWin() throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, String.join("\n",
                "bootstrap.servers=broker-from-file:9093",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"edge\" password=\"p\";",
                "schema.registry.url=https://registry-from-file",
                "basic.auth.credentials.source=USER_INFO",
                "basic.auth.user.info=edge:secret"));
        Map<String, Object> configs = ClientConfig.load(file, "broker-cli:9092", null);
        assertThat(configs)
                .containsEntry("bootstrap.servers", "broker-cli:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("schema.registry.url", "https://registry-from-file")
                .containsEntry("basic.auth.user.info", "edge:secret")
                .hasSize(7);
        assertThat((String) configs.get("sasl.jaas.config")).endsWith("password=\"p\";");
    }

    @Test
    void withoutFileTheAddressesAreEnough() {
        assertThat(ClientConfig.load(null, "localhost:9092", "http://localhost:8081"))
                .isEqualTo(Map.of("bootstrap.servers", "localhost:9092", "schema.registry.url", "http://localhost:8081"));
    }

    @Test
    void missingBootstrapServersIsAClearError() {
        assertThatThrownBy(() -> ClientConfig.load(null, null, "http://r")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--bootstrap-servers");
    }

    @Test
    void unreadableFileNamesTheFile() {
        Path missing = dir.resolve("absent.properties");
        assertThatThrownBy(() -> ClientConfig.load(missing, "b:1", null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("absent.properties");
    }
}
