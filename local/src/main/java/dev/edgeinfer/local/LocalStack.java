package dev.edgeinfer.local;

import dev.edgeinfer.schemas.registry.RegistryClientConfig;
import dev.edgeinfer.schemas.topics.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * A Kafka broker and a schema registry on loopback with the pipeline's topics created: the default environment of
 * the demo and of every module's integration tests.
 *
 * <p>Broker and registry start in parallel; {@link LocalStackBuilder#start()} returns when both answer and every topic's
 * partitions answer too. {@link #close()} stops both and deletes the data folder if the stack created it.
 *
 * <p>With a {@linkplain LocalStackBuilder#logDir(Path) log folder} the broker's log goes to {@code kafka.log} there, and
 * nowhere else, and the registry's output to {@code apicurio-registry.log}; without one the registry's output goes
 * to the data folder and the broker logs as this JVM's logging is configured.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.builder().start()) {
 *     Properties props = new Properties();
 *     props.putAll(stack.clientProperties());
 *     ...
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {

    private final KafkaCluster kafka;
    private final ApicurioRegistry registry;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final KafkaLogFile kafkaLog;
    private final List<TopicSpec> topics;
    private final Duration startupDuration;
    private final StackSecurity security;
    private final Map<StackPrincipal, Path> clientPropertiesFiles;

    LocalStack(KafkaCluster kafka, ApicurioRegistry registry, Path dataDir, boolean ownsDataDir, KafkaLogFile kafkaLog,
               List<TopicSpec> topics, Duration startupDuration, StackSecurity security,
               Map<StackPrincipal, Path> clientPropertiesFiles) {
        this.kafka = kafka;
        this.registry = registry;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.kafkaLog = kafkaLog;
        this.topics = topics;
        this.startupDuration = startupDuration;
        this.security = security;
        this.clientPropertiesFiles = clientPropertiesFiles;
    }

    /** A builder with the defaults: free ports, a fresh temporary data folder, a registry, the pipeline's topics. */
    public static LocalStackBuilder builder() {
        return new LocalStackBuilder();
    }

    /** {@code bootstrap.servers} of the broker(s). */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /**
     * The registry URL clients are given: its Confluent-compatible API, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}.
     *
     * @throws IllegalStateException if the stack was started without a registry
     */
    public String schemaRegistryUrl() {
        return registry().url();
    }

    /** Whether the stack runs a registry. */
    public boolean hasRegistry() {
        return registry != null;
    }

    /**
     * The settings every client of this stack needs: {@code bootstrap.servers} and, with a registry,
     * {@code schema.registry.url}; on a {@linkplain LocalStackBuilder#secure(boolean) secure} stack also the TLS and SASL
     * settings of the super user {@link StackPrincipal#ADMIN}. Mutable copy; add the client's own settings to it.
     */
    public Map<String, Object> clientProperties() {
        return security == null ? addresses() : clientProperties(StackPrincipal.ADMIN);
    }

    /**
     * The settings of a client that connects as {@code principal}: addresses, TLS truststore, SASL/SCRAM login.
     * Mutable copy.
     *
     * @throws IllegalStateException if the stack is not secure
     */
    public Map<String, Object> clientProperties(StackPrincipal principal) {
        Map<String, Object> properties = addresses();
        properties.putAll(security().clientSettings(principal));
        return properties;
    }

    /**
     * The {@code .properties} file with {@link #clientProperties(StackPrincipal)}, written into the data folder at
     * start, for an app's {@code --config} or Kafka's tools ({@code --command-config}).
     *
     * @throws IllegalStateException if the stack is not secure
     */
    public Path clientPropertiesFile(StackPrincipal principal) {
        security();
        return clientPropertiesFiles.get(principal);
    }

    /** Whether clients must connect with TLS and SASL/SCRAM and are authorized by ACLs ({@link LocalStackBuilder#secure(boolean)}). */
    public boolean isSecure() {
        return security != null;
    }

    /**
     * The TLS files and principals' passwords of a secure stack.
     *
     * @throws IllegalStateException if the stack is not secure
     */
    public StackSecurity security() {
        if (security == null) {
            throw new IllegalStateException("This local stack was started without security (LocalStack.builder().secure(true))");
        }
        return security;
    }

    private Map<String, Object> addresses() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (registry != null) {
            properties.put(RegistryClientConfig.URL, schemaRegistryUrl());
        }
        return properties;
    }

    /** An admin client of this stack; the caller closes it. */
    public Admin createAdmin() {
        return Admin.create(clientProperties());
    }

    /** The topics created at start. */
    public List<TopicSpec> topics() {
        return topics;
    }

    /** Wall-clock time from the start call until broker, registry and topics were all ready. */
    public Duration startupDuration() {
        return startupDuration;
    }

    /** The folder holding the broker's data, and the registry's log when the stack has no log folder. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The folder of the stack's logs, if it was given one ({@link LocalStackBuilder#logDir(Path)}): {@code kafka.log}, the
     * broker's, and {@code apicurio-registry.log}, the registry JVM's output.
     */
    public Optional<Path> logDir() {
        return Optional.ofNullable(kafkaLog).map(log -> log.file().getParent());
    }

    /** The broker(s), for tests that stop or inspect a node. */
    public KafkaCluster kafka() {
        return kafka;
    }

    /**
     * The registry process.
     *
     * @throws IllegalStateException if the stack was started without a registry
     */
    public ApicurioRegistry registry() {
        if (registry == null) {
            throw new IllegalStateException("This local stack was started without a schema registry");
        }
        return registry;
    }

    /** This stack with one client {@code .properties} file per principal written into its data folder. */
    LocalStack withClientPropertiesFiles() {
        Map<StackPrincipal, Path> files = new EnumMap<>(StackPrincipal.class);
        for (StackPrincipal principal : StackPrincipal.values()) {
            files.put(principal, StackSecurity.writeProperties(dataDir.resolve("client-" + principal.userName() + ".properties"),
                    "Client settings of the local stack for principal '" + principal.userName() + "' (SASL_SSL, "
                            + StackSecurity.SASL_MECHANISM + ")",
                    clientProperties(principal)));
        }
        return new LocalStack(kafka, registry, dataDir, ownsDataDir, kafkaLog, topics, startupDuration, security, Map.copyOf(files));
    }

    /** Stops registry and broker, then deletes the data folder if the stack created it. */
    @Override
    public void close() {
        RuntimeException failure = null;
        if (registry != null) {
            try {
                registry.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        try {
            kafka.close();
        } catch (RuntimeException e) {
            failure = addTo(failure, e);
        } finally {
            // After the broker: what it logs while shutting down belongs in its file too.
            if (kafkaLog != null) {
                kafkaLog.close();
            }
        }
        if (ownsDataDir && failure == null) {
            RunDirectories.deleteRecursively(dataDir);
        }
        if (failure != null) {
            throw new LocalStackException("Stopping the local stack in " + dataDir + " failed", failure);
        }
    }

    static RuntimeException addTo(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

}
