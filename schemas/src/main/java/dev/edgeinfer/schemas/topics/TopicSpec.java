package dev.edgeinfer.schemas.topics;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one topic of the pipeline is created: its name, partition count, replication factor and topic-level configs.
 *
 * @param name              topic name
 * @param partitions        number of partitions
 * @param replicationFactor replication factor
 * @param configs           topic-level configs such as {@code message.timestamp.type}; copied, never null
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1 for topic " + name + ": " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1 for topic " + name + ": " + replicationFactor);
        }
        configs = Map.copyOf(configs);
    }

    /** A topic laid out and configured as this one, under another name (a test's topic of its own, say). */
    public TopicSpec named(String newName) {
        return new TopicSpec(newName, partitions, replicationFactor, configs);
    }

    /** The same topic with one config set to another value. */
    public TopicSpec withConfig(String key, String value) {
        Map<String, String> changed = new HashMap<>(configs);
        changed.put(key, value);
        return new TopicSpec(name, partitions, replicationFactor, changed);
    }

    /** The same topic with another partition count and replication factor. */
    public TopicSpec withLayout(int newPartitions, short newReplicationFactor) {
        return new TopicSpec(name, newPartitions, newReplicationFactor, configs);
    }
}
