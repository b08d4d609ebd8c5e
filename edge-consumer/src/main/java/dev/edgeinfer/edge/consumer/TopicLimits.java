package dev.edgeinfer.edge.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The largest record batch each output topic accepts ({@code max.message.bytes}, the topic's or the broker's default),
 * so a record that would be refused is known before it is sent. Where the limits cannot be read (no
 * {@code DescribeConfigs} permission, say), records over the broker's limit are found when the broker refuses them.
 */
public interface TopicLimits extends AutoCloseable {

    /** No limits known: only the producer's own are checked before sending. */
    TopicLimits UNKNOWN = topics -> Map.of();

    /** The limits of those of the topics whose limit could be read, in bytes. */
    Map<String, Integer> read(Collection<String> topics);

    @Override
    default void close() {
    }

    /** Limits read from the cluster with the admin client, which the result owns and closes. */
    static TopicLimits fromCluster(Admin admin, Duration timeout) {
        return new TopicLimits() {
            private final Logger log = LoggerFactory.getLogger(TopicLimits.class);

            @Override
            public Map<String, Integer> read(Collection<String> topics) {
                List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
                Map<String, Integer> limits = new HashMap<>();
                try {
                    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    configs.forEach((resource, config) -> {
                        ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                        if (entry != null && entry.value() != null) {
                            limits.put(resource.name(), Integer.parseInt(entry.value()));
                        }
                    });
                } catch (ExecutionException | TimeoutException e) {
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    log.warn("cannot read {} of {} ({}): records over a topic's limit are found when the broker refuses them",
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, topics, cause.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return limits;
            }

            @Override
            public void close() {
                admin.close(Duration.ofSeconds(5));
            }
        };
    }
}
