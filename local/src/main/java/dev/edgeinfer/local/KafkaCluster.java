package dev.edgeinfer.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster in this JVM on loopback ports: node 0 is broker and the only controller, further nodes are
 * brokers only.
 *
 * <p>One controller because the nodes are stopped one after the other: with every node a voter, stopping two of
 * three would leave the last broker without a controller quorum to approve its controlled shutdown, and it would
 * wait minutes. A test that kills brokers should therefore spare node 0. Internal topics (consumer offsets,
 * transaction state) are replicated as far as the node count allows, so transactions and Kafka Streams
 * exactly-once work on one node as on three.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final int CONTROLLER_NODE_ID = 0;
    private static final Duration MEMBERSHIP_TIMEOUT = Duration.ofMinutes(2);

    private final List<KafkaBroker> brokers;

    private KafkaCluster(List<KafkaBroker> brokers) {
        this.brokers = List.copyOf(brokers);
    }

    /**
     * Formats and starts {@code nodes} nodes in parallel (brokers wait for the controller while starting) and
     * returns once every broker is registered and unfenced.
     *
     * @param nodes             number of nodes; node ids are 0 to nodes - 1
     * @param firstPort         client port of node 0, the others following it; 0 picks free ports
     * @param dataDir           folder for the nodes' data, one sub-folder each
     * @param defaultPartitions {@code num.partitions} for topics created without a partition count
     * @throws LocalStackException if a node cannot be started; nodes already running are stopped again
     */
    public static KafkaCluster start(int nodes, int firstPort, Path dataDir, int defaultPartitions) {
        return start(nodes, firstPort, dataDir, defaultPartitions, null);
    }

    /**
     * As {@link #start(int, int, Path, int)}; with {@code security}, clients connect with SASL_SSL and are authorized
     * by ACLs (see {@link StackSecurity}).
     *
     * @param security TLS, SCRAM and authorizer settings, or null for plaintext without authorization
     * @throws LocalStackException if a node cannot be started; nodes already running are stopped again
     */
    public static KafkaCluster start(int nodes, int firstPort, Path dataDir, int defaultPartitions, StackSecurity security) {
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node: " + nodes);
        }
        List<Integer> brokerPorts;
        int controllerPort;
        if (firstPort == 0) {
            // Allocated together so that all of them differ.
            List<Integer> ports = FreePorts.allocate(nodes + 1);
            brokerPorts = ports.subList(0, nodes);
            controllerPort = ports.get(nodes);
        } else {
            brokerPorts = IntStream.range(firstPort, firstPort + nodes).boxed().toList();
            // Users only ever connect to the client ports, so the controller port may as well be a free one.
            controllerPort = FreePorts.allocate(1).get(0);
        }
        String voters = CONTROLLER_NODE_ID + "@" + KafkaBroker.HOST + ":" + controllerPort;
        String clusterId = Uuid.randomUuid().toString();
        Map<String, String> settings = settings(nodes, defaultPartitions);

        // One thread per node: the common pool may have a single thread on a small machine, and a broker does not
        // finish starting until the controller runs.
        ExecutorService executor = Executors.newFixedThreadPool(nodes, task -> new Thread(task, "kafka-node-start"));
        try {
            List<CompletableFuture<KafkaBroker>> starts = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                int nodeId = i;
                starts.add(CompletableFuture.supplyAsync(() -> KafkaBroker.start(nodeId, brokerPorts.get(nodeId),
                        nodeId == CONTROLLER_NODE_ID ? controllerPort : 0, voters, clusterId, dataDir.resolve("kafka-" + nodeId),
                        settings, security), executor));
            }
            KafkaCluster cluster = new KafkaCluster(joinAll(starts));
            if (nodes > 1) {
                cluster.awaitAllBrokersVisible(MEMBERSHIP_TIMEOUT,
                        security == null ? Map.of() : security.clientSettings(StackPrincipal.ADMIN));
            }
            return cluster;
        } finally {
            executor.shutdown();
        }
    }

    /**
     * Waits until the cluster's metadata lists every broker: each broker returns from its start once the controller
     * has unfenced it, but the others learn of it a little later, and until then replicas cannot be placed on it.
     */
    private void awaitAllBrokersVisible(Duration timeout, Map<String, Object> adminSecurity) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int visible = 0;
        Map<String, Object> adminSettings = new HashMap<>(adminSecurity);
        adminSettings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(adminSettings)) {
            while (System.nanoTime() < deadline) {
                visible = admin.describeCluster().nodes().get().size();
                if (visible == brokers.size()) {
                    return;
                }
                Thread.sleep(100);
            }
        } catch (ExecutionException e) {
            close();
            throw new LocalStackException("Cannot describe the cluster at " + bootstrapServers(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new LocalStackException("Interrupted while waiting for the brokers at " + bootstrapServers(), e);
        }
        close();
        throw new LocalStackException("Only " + visible + " of " + brokers.size() + " brokers at " + bootstrapServers()
                + " were in the cluster's metadata after " + timeout);
    }

    static Map<String, String> settings(int nodes, int defaultPartitions) {
        String replication = Integer.toString(Math.min(3, nodes));
        String minInsync = Integer.toString(Math.min(2, nodes));
        return Map.ofEntries(
                // Internal topics default to replication factor 3, which a single node cannot host.
                Map.entry("offsets.topic.replication.factor", replication),
                Map.entry("transaction.state.log.replication.factor", replication),
                Map.entry("transaction.state.log.min.isr", minInsync),
                Map.entry("share.coordinator.state.topic.replication.factor", replication),
                Map.entry("share.coordinator.state.topic.min.isr", minInsync),
                // 50 partitions each by default: creating them on first use costs seconds on a small machine.
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.num.partitions", "5"),
                // Tests start one consumer group member at a time; waiting for more only slows them down.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("num.partitions", Integer.toString(defaultPartitions)),
                // Topics are created explicitly with their specs; a typo in a topic name should fail, not create one.
                Map.entry("auto.create.topics.enable", "false"));
    }

    private static List<KafkaBroker> joinAll(List<CompletableFuture<KafkaBroker>> starts) {
        List<KafkaBroker> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<KafkaBroker> start : starts) {
            try {
                started.add(start.join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            closeAll(started, failure);
            throw failure;
        }
        return started;
    }

    /** {@code host:port,...} of all nodes, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return brokers.stream().map(KafkaBroker::bootstrapServer).collect(Collectors.joining(","));
    }

    public List<KafkaBroker> brokers() {
        return brokers;
    }

    public int size() {
        return brokers.size();
    }

    /** Stops every node, the last first so that the controller (node 0) outlives the brokers, and waits for each. */
    @Override
    public void close() {
        closeAll(brokers, null);
    }

    private static void closeAll(List<KafkaBroker> brokers, RuntimeException pending) {
        RuntimeException failure = pending;
        for (int i = brokers.size() - 1; i >= 0; i--) {
            try {
                brokers.get(i).close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null && pending == null) {
            throw failure;
        }
    }
}
