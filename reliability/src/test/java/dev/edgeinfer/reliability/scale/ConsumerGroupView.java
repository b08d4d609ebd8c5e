package dev.edgeinfer.reliability.scale;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** What the group coordinator says about a consumer group: its members and the partitions each one owns. */
public final class ConsumerGroupView {

    private ConsumerGroupView() {
    }

    /**
     * The partitions of {@code topic} each member owns, by the member's client id, once the group is stable with
     * {@code members} members that together own all {@code partitions} partitions.
     *
     * @throws IllegalStateException if the group does not get there within the timeout; says what it saw last
     */
    public static Map<String, Set<Integer>> awaitStable(Admin admin, String group, String topic, int members, int partitions,
                                                        Duration timeout, Runnable alive)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Set<Integer>> assignment = Map.of();
        String state = "unknown";
        while (System.nanoTime() < deadline) {
            alive.run();
            Optional<ConsumerGroupDescription> found = describe(admin, group);
            if (found.isEmpty()) {
                // The consumers log that they are ready before their first poll joins the group.
                state = "not found";
                Thread.sleep(500);
                continue;
            }
            ConsumerGroupDescription description = found.get();
            state = description.groupState().toString();
            assignment = assignment(description, topic);
            int owned = assignment.values().stream().mapToInt(Set::size).sum();
            if (description.groupState() == GroupState.STABLE && assignment.size() == members && owned == partitions) {
                return assignment;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Group " + group + " not stable with " + members + " members owning " + partitions
                + " partitions of " + topic + " within " + timeout + "; last seen: " + state + " " + assignment);
    }

    private static Optional<ConsumerGroupDescription> describe(Admin admin, String group) throws InterruptedException {
        try {
            return Optional.of(admin.describeConsumerGroups(Set.of(group)).describedGroups().get(group).get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.empty();
            }
            throw new IllegalStateException("Cannot describe consumer group " + group, e.getCause());
        }
    }

    private static Map<String, Set<Integer>> assignment(ConsumerGroupDescription description, String topic) {
        Map<String, Set<Integer>> byClient = new TreeMap<>();
        for (MemberDescription member : description.members()) {
            byClient.put(member.clientId(), member.assignment().topicPartitions().stream()
                    .filter(partition -> partition.topic().equals(topic))
                    .map(TopicPartition::partition)
                    .collect(Collectors.toCollection(java.util.TreeSet::new)));
        }
        return byClient;
    }
}
