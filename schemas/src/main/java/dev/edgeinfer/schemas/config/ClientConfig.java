package dev.edgeinfer.schemas.config;

import dev.edgeinfer.schemas.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigException;

/**
 * Connection settings shared by every client of an app: bootstrap servers, schema registry URL and whatever a
 * client {@code .properties} file adds (SASL, TLS, registry credentials). The file's settings are passed through
 * untouched; the command-line values win over the file for the two addresses.
 */
public final class ClientConfig {

    private ClientConfig() {
    }

    /**
     * Loads the optional properties file, then sets the addresses given on the command line.
     *
     * @param propertiesFile    client properties file, or null
     * @param bootstrapServers  bootstrap servers, or null to keep the file's
     * @param schemaRegistryUrl schema registry URL, or null to keep the file's
     * @return a fresh mutable map, ready for app-specific {@code putIfAbsent} defaults
     * @throws ConfigException when the file cannot be read, or no bootstrap servers are known
     */
    public static Map<String, Object> load(Path propertiesFile, String bootstrapServers, String schemaRegistryUrl) {
        Map<String, Object> configs = new HashMap<>();
        if (propertiesFile != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigException("Cannot read client properties file " + propertiesFile + ": " + e);
            }
            properties.stringPropertyNames().forEach(name -> configs.put(name, properties.getProperty(name)));
        }
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            configs.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        if (schemaRegistryUrl != null && !schemaRegistryUrl.isBlank()) {
            configs.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        }
        if (!configs.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException(
                    "No bootstrap servers: pass --bootstrap-servers or set bootstrap.servers in the client properties file");
        }
        return configs;
    }
}
