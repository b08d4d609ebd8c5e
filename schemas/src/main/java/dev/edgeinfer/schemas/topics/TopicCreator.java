package dev.edgeinfer.schemas.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics explicitly, on the local stack and on real clusters alike.
 *
 * <p>Missing topics are created with the partitions, replication factor and configs of their {@link TopicSpec};
 * topics that already exist are verified. Then every partition is asked for its latest offset until all answer,
 * because a producer that writes to a topic whose partitions are not yet ready everywhere can spin forever on
 * out-of-order-sequence errors (KAFKA-15591).
 *
 * <p>Verification is strict only where a difference changes what the pipeline computes: the timestamp type
 * (end-to-end latency relies on broker time) and the cleanup policy. Partition counts, replication factors and
 * other configs such as retention are legitimately tuned by operators of real clusters, so a difference there is
 * logged and accepted.
 */
public final class TopicCreator {

    private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);

    /** Configs whose difference from the spec would silently change the pipeline's results. */
    static final Set<String> CONTRACT_CONFIGS = Set.of("message.timestamp.type", "cleanup.policy");

    private static final Duration RETRY_BACKOFF = Duration.ofMillis(100);

    private final Admin admin;
    private final Duration timeout;

    /**
     * @param admin   admin client of the target cluster; not closed by this class
     * @param timeout how long {@link #ensureTopics} may take in all before it gives up
     */
    public TopicCreator(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * Creates the missing topics, verifies the existing ones and waits until every partition of every topic
     * answers {@code listOffsets}.
     *
     * @param specs the topics the caller needs
     * @return the names of the topics this call created (the others already existed)
     * @throws TopicSetupException if a topic cannot be created or described, an existing topic contradicts its spec
     *                             in a contract config, or a partition does not answer before the timeout; the
     *                             message names the topic
     * @throws InterruptedException if interrupted while waiting for the cluster
     */
    public List<String> ensureTopics(Collection<TopicSpec> specs) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        List<String> created = createMissing(specs, deadlineNanos);
        Map<String, TopicDescription> descriptions = describe(specs, deadlineNanos);
        verifyLayout(specs, descriptions, created);
        verifyConfigs(specs, deadlineNanos);
        awaitPartitionsReady(descriptions, deadlineNanos);
        return created;
    }

    private List<String> createMissing(Collection<TopicSpec> specs, long deadlineNanos) throws InterruptedException {
        List<NewTopic> newTopics = specs.stream()
                .map(spec -> new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs()))
                .toList();
        Map<String, KafkaFuture<Void>> results = admin.createTopics(newTopics).values();
        List<String> created = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get(remaining(deadlineNanos, result.getKey()), TimeUnit.NANOSECONDS);
                created.add(result.getKey());
                log.info("Created topic {}", result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new TopicSetupException("Cannot create topic " + result.getKey() + ": " + e.getCause().getMessage(),
                            e.getCause());
                }
                log.debug("Topic {} already exists; verifying it", result.getKey());
            } catch (TimeoutException e) {
                throw new TopicSetupException("Creating topic " + result.getKey() + " did not finish within " + timeout, e);
            }
        }
        return created;
    }

    private Map<String, TopicDescription> describe(Collection<TopicSpec> specs, long deadlineNanos) throws InterruptedException {
        List<String> names = names(specs);
        return untilDeadline(() -> admin.describeTopics(names).allTopicNames(), "the descriptions of topics " + names,
                deadlineNanos);
    }

    /**
     * Waits for an admin call, calling it again while it fails with a retriable error before the deadline: a freshly
     * created topic may not be known yet to the broker that answers (in a cluster, its metadata reaches each broker
     * in turn).
     */
    private <T> T untilDeadline(Supplier<KafkaFuture<T>> call, String what, long deadlineNanos)
            throws InterruptedException {
        while (true) {
            try {
                return call.get().get(remaining(deadlineNanos, "reading " + what), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)
                        || System.nanoTime() + RETRY_BACKOFF.toNanos() > deadlineNanos) {
                    throw new TopicSetupException("Cannot read " + what + ": " + e.getCause().getMessage(), e.getCause());
                }
                log.debug("Reading {} failed, retrying: {}", what, e.getCause().toString());
                Thread.sleep(RETRY_BACKOFF.toMillis());
            } catch (TimeoutException e) {
                throw new TopicSetupException("Reading " + what + " did not finish within " + timeout, e);
            }
        }
    }

    private static void verifyLayout(Collection<TopicSpec> specs, Map<String, TopicDescription> descriptions, List<String> created) {
        for (TopicSpec spec : specs) {
            if (created.contains(spec.name())) {
                continue;
            }
            TopicDescription description = descriptions.get(spec.name());
            int partitions = description.partitions().size();
            int replicas = description.partitions().get(0).replicas().size();
            if (partitions != spec.partitions() || replicas != spec.replicationFactor()) {
                log.warn("Topic {} exists with {} partitions and replication factor {}; the spec asks for {} and {}. Using it as it is.",
                        spec.name(), partitions, replicas, spec.partitions(), spec.replicationFactor());
            }
        }
    }

    private void verifyConfigs(Collection<TopicSpec> specs, long deadlineNanos) throws InterruptedException {
        Map<String, Config> actual = describeConfigs(specs, deadlineNanos);
        for (TopicSpec spec : specs) {
            Config config = actual.get(spec.name());
            for (Map.Entry<String, String> wanted : new TreeMap<>(spec.configs()).entrySet()) {
                ConfigEntry entry = config.get(wanted.getKey());
                String value = entry == null ? null : entry.value();
                if (wanted.getValue().equals(value)) {
                    continue;
                }
                if (CONTRACT_CONFIGS.contains(wanted.getKey())) {
                    throw new TopicSetupException("Topic " + spec.name() + " exists with " + wanted.getKey() + "=" + value
                            + " but the pipeline needs " + wanted.getValue()
                            + "; change the topic's config or delete the topic so it is created again");
                }
                log.warn("Topic {} has {}={}; the spec asks for {}. Using it as it is.",
                        spec.name(), wanted.getKey(), value, wanted.getValue());
            }
        }
    }

    private Map<String, Config> describeConfigs(Collection<TopicSpec> specs, long deadlineNanos) throws InterruptedException {
        List<ConfigResource> resources = specs.stream()
                .map(spec -> new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))
                .toList();
        return untilDeadline(() -> admin.describeConfigs(resources).all(), "the configs of topics " + names(specs),
                deadlineNanos)
                .entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
    }

    private void awaitPartitionsReady(Map<String, TopicDescription> descriptions, long deadlineNanos) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> pending = new HashMap<>();
        descriptions.forEach((name, description) -> description.partitions()
                .forEach(p -> pending.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Throwable lastError = null;
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadlineNanos) {
                String topics = pending.keySet().stream().map(TopicPartition::topic).distinct().sorted()
                        .collect(Collectors.joining(", "));
                throw new TopicSetupException("Partitions " + sorted(pending.keySet()) + " of topic(s) " + topics
                        + " did not answer listOffsets within " + timeout, lastError);
            }
            ListOffsetsOptions options = new ListOffsetsOptions().timeoutMs((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(
                    Math.min(deadlineNanos - System.nanoTime(), Duration.ofSeconds(5).toNanos()))));
            var results = admin.listOffsets(pending, options);
            for (TopicPartition partition : List.copyOf(pending.keySet())) {
                try {
                    results.partitionResult(partition).get();
                    pending.remove(partition);
                } catch (ExecutionException e) {
                    lastError = e.getCause();
                }
            }
            if (!pending.isEmpty()) {
                log.debug("Waiting for partitions {} to answer listOffsets: {}", sorted(pending.keySet()), String.valueOf(lastError));
                Thread.sleep(RETRY_BACKOFF.toMillis());
            }
        }
    }

    private long remaining(long deadlineNanos, String what) {
        long nanos = deadlineNanos - System.nanoTime();
        if (nanos <= 0) {
            throw new TopicSetupException("Timed out after " + timeout + " while setting up " + what);
        }
        return nanos;
    }

    private static List<String> sorted(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).sorted().toList();
    }

    private static List<String> names(Collection<TopicSpec> specs) {
        return specs.stream().map(TopicSpec::name).toList();
    }

    /** A topic could not be created, verified or made ready; the message names the topic. */
    public static final class TopicSetupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public TopicSetupException(String message) {
            super(message);
        }

        public TopicSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
