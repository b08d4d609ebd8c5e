package dev.edgeinfer.schemas.config;

import dev.edgeinfer.schemas.serde.AvroSerdeConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The connection options every command line of the project takes, as a picocli mixin
 * ({@code @Mixin ConnectionOptions connection}): the cluster's bootstrap servers (also as {@code --bootstrap-server},
 * the name Kafka's own tools use), the schema registry's URL, and a client properties file with everything else
 * (SASL, TLS, registry credentials, client tuning), passed through untouched.
 */
public final class ConnectionOptions {

    /** The command this mixin is part of, for its usage errors. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

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
     * The client settings: the properties file's, then the addresses given on the command line. Every app reads and
     * writes Avro through the registry, so one must be named.
     *
     * @throws org.apache.kafka.common.config.ConfigException when the file cannot be read, or no bootstrap servers are
     *                                                        known
     * @throws ParameterException                            when no schema registry is named, a usage error
     */
    public Map<String, Object> load() {
        Map<String, Object> settings = ClientConfig.load(configFile, bootstrapServers, schemaRegistryUrl);
        if (!settings.containsKey(AvroSerdeConfig.SCHEMA_REGISTRY_URL)) {
            throw new ParameterException(command.commandLine(),
                    "No schema registry: pass --schema-registry-url or set schema.registry.url in --config");
        }
        return settings;
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
