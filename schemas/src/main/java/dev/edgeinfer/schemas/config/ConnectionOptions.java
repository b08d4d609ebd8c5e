package dev.edgeinfer.schemas.config;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The connection options every command line of the project takes, as a picocli mixin
 * ({@code @Mixin ConnectionOptions connection}): the cluster's bootstrap servers (also as {@code --bootstrap-server},
 * the name Kafka's own tools use), the schema registry's URL, and a client properties file with everything else
 * (SASL, TLS, registry credentials, client tuning), passed through untouched.
 */
public final class ConnectionOptions {

    @Option(names = {"--bootstrap-servers", "--bootstrap-server"}, paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (win over bootstrap.servers in --config).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Schema registry URL (wins over schema.registry.url in --config).")
    String schemaRegistryUrl;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Client .properties file: security and registry credentials (passed through untouched), client tuning, the app's own settings.")
    Path configFile;

    /** Whether any connection option was given on the command line. */
    public boolean given() {
        return bootstrapServers != null || schemaRegistryUrl != null || configFile != null;
    }

    /**
     * The client settings: the properties file's, then the addresses given on the command line.
     *
     * @throws org.apache.kafka.common.config.ConfigException when the file cannot be read, or no bootstrap servers are
     *                                                        known
     */
    public Map<String, Object> load() {
        return ClientConfig.load(configFile, bootstrapServers, schemaRegistryUrl);
    }

    /** The properties file given, or null. */
    public Path configFile() {
        return configFile;
    }

    /** The bootstrap servers given on the command line, or null. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The schema registry URL given on the command line, or null. */
    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }
}
