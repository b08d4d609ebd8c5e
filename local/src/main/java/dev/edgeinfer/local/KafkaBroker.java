package dev.edgeinfer.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka node in KRaft mode running in this JVM on loopback: a broker, with or without the controller role.
 *
 * <p>Uses Kafka's server classes ({@code KafkaRaftServer}, {@code StorageTool}), which are not a public API; the
 * integration tests of this module start and stop it, so an upgrade that changes them fails there first.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    static final String HOST = "127.0.0.1";

    private final int nodeId;
    private final int port;
    private final KafkaConfig config;
    private final Path logDir;
    /** The running server; null while the node is stopped. */
    private KafkaRaftServer server;

    private KafkaBroker(int nodeId, int port, KafkaConfig config, Path logDir, KafkaRaftServer server) {
        this.nodeId = nodeId;
        this.port = port;
        this.config = config;
        this.logDir = logDir;
        this.server = server;
    }

    /**
     * Formats {@code logDir} (if new) and starts the node; returns once the broker is registered and unfenced.
     *
     * @param nodeId     the node's id, also its controller id
     * @param port       client listener port
     * @param controllerPort controller listener port if this node is a controller too, or 0 for a broker only
     * @param quorumVoters   {@code controller.quorum.voters} of the whole cluster, e.g. {@code 0@127.0.0.1:9093}
     * @param clusterId  id shared by all nodes of the cluster
     * @param logDir     the node's data folder
     * @param settings   further broker settings (replication factors of internal topics, partitions, ...)
     * @throws LocalStackException if formatting or start-up fails
     */
    static KafkaBroker start(int nodeId, int port, int controllerPort, String quorumVoters, String clusterId, Path logDir,
                             Map<String, String> settings) {
        return start(nodeId, port, controllerPort, quorumVoters, clusterId, logDir, settings, null);
    }

    /**
     * As {@link #start(int, int, int, String, String, Path, Map)}, with clients on SASL_SSL and ACLs when
     * {@code security} is given.
     *
     * @param security TLS, SCRAM and authorizer settings, or null for plaintext without authorization
     * @throws LocalStackException if formatting or start-up fails
     */
    static KafkaBroker start(int nodeId, int port, int controllerPort, String quorumVoters, String clusterId, Path logDir,
                             Map<String, String> settings, StackSecurity security) {
        KafkaExitGuard.install();
        Properties properties = new Properties();
        properties.putAll(settings);
        boolean controller = controllerPort != 0;
        properties.put("process.roles", controller ? "broker,controller" : "broker");
        properties.put("node.id", Integer.toString(nodeId));
        properties.put("controller.quorum.voters", quorumVoters);
        properties.put("listeners", "PLAINTEXT://" + HOST + ":" + port
                + (controller ? ",CONTROLLER://" + HOST + ":" + controllerPort : ""));
        properties.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("log.dirs", logDir.toAbsolutePath().toString());
        if (security != null) {
            properties.putAll(security.listenerSettings(HOST, port, controllerPort));
            properties.putAll(security.brokerSettings());
        }
        format(nodeId, clusterId, logDir, properties, security == null ? List.of() : security.formatArguments());
        KafkaConfig config = new KafkaConfig(properties, false);
        KafkaRaftServer server = startServer(config, nodeId, properties.getProperty("listeners"), logDir);
        log.debug("Kafka node {} started on {}:{}", nodeId, HOST, port);
        return new KafkaBroker(nodeId, port, config, logDir, server);
    }

    private static KafkaRaftServer startServer(KafkaConfig config, int nodeId, String listeners, Path logDir) {
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            shutdown(server, nodeId);
            throw new LocalStackException("Kafka node " + nodeId + " failed to start on " + listeners + " with data in " + logDir, e);
        }
        return server;
    }

    /** Formats the node's storage as {@code kafka-storage format --ignore-formatted} would, so a restart keeps data. */
    private static void format(int nodeId, String clusterId, Path logDir, Properties properties, List<String> extraArguments) {
        Path configFile = logDir.resolveSibling(logDir.getFileName() + ".properties");
        try {
            Files.createDirectories(logDir);
            try (OutputStream out = Files.newOutputStream(configFile)) {
                properties.store(out, "Kafka node " + nodeId + " of the local stack");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the config of Kafka node " + nodeId + " to " + configFile, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            List<String> arguments = new ArrayList<>(List.of(
                    "format", "--cluster-id", clusterId, "--config", configFile.toString(), "--ignore-formatted"));
            arguments.addAll(extraArguments);
            status = StorageTool.execute(arguments.toArray(String[]::new), printer);
        } catch (RuntimeException e) {
            throw new LocalStackException("Formatting the storage of Kafka node " + nodeId + " in " + logDir + " failed: "
                    + output.toString(StandardCharsets.UTF_8), e);
        }
        if (status != 0) {
            throw new LocalStackException("Formatting the storage of Kafka node " + nodeId + " in " + logDir
                    + " failed with status " + status + ": " + output.toString(StandardCharsets.UTF_8));
        }
    }

    public int nodeId() {
        return nodeId;
    }

    /** {@code host:port} of this node's client listener. */
    public String bootstrapServer() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** Whether the node runs: started and not {@linkplain #stop() stopped} since. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Stops the node, as an operator restarting it would, keeping its data folder; {@link #restart()} starts it again
     * on the same ports with the same data. Does nothing if it is stopped already.
     */
    public synchronized void stop() {
        if (server != null) {
            shutdown(server, nodeId);
            server = null;
        }
    }

    /**
     * Starts a {@linkplain #stop() stopped} node again on the same ports with the same data folder (a running one is
     * stopped first); returns once the broker is registered and unfenced. Clients that were connected reconnect by
     * themselves.
     *
     * @throws LocalStackException if the node fails to start
     */
    public synchronized void restart() {
        stop();
        server = startServer(config, nodeId, config.originals().get("listeners").toString(), logDir);
        log.info("Kafka node {} restarted on {}:{} with data in {}", nodeId, HOST, port, logDir);
    }

    /** Stops the node and waits until it has released its ports and files. */
    @Override
    public void close() {
        stop();
    }

    private static void shutdown(KafkaRaftServer server, int nodeId) {
        server.shutdown();
        server.awaitShutdown();
        log.debug("Kafka node {} stopped", nodeId);
    }
}
