package dev.edgeinfer.local;

import dev.edgeinfer.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each principal of a secure local stack may do; everything else is denied
 * ({@code allow.everyone.if.no.acl.found=false}). {@link StackPrincipal#ADMIN} is a super user and has no ACLs.
 *
 * <table>
 * <caption>ACLs</caption>
 * <tr><th>principal</th><th>resource</th><th>operations</th></tr>
 * <tr><td>producer</td><td>topic {@code edge.frames.v1}</td><td>WRITE, DESCRIBE</td></tr>
 * <tr><td>producer, edge, analytics</td><td>cluster</td><td>IDEMPOTENT_WRITE</td></tr>
 * <tr><td>edge</td><td>topic {@code edge.frames.v1}</td><td>READ, DESCRIBE</td></tr>
 * <tr><td>edge</td><td>group prefix {@code edge-}</td><td>READ</td></tr>
 * <tr><td>edge</td><td>topics predictions, dead letters, heartbeats</td><td>WRITE, DESCRIBE, DESCRIBE_CONFIGS</td></tr>
 * <tr><td>edge</td><td>transactional id prefix {@code edge-}</td><td>WRITE, DESCRIBE</td></tr>
 * <tr><td>analytics</td><td>topics predictions, dead letters, heartbeats</td><td>READ, DESCRIBE</td></tr>
 * <tr><td>analytics</td><td>topic, group and transactional id prefix {@code edgeinfer-analytics}</td><td>ALL</td></tr>
 * </table>
 */
public final class StackAcls {

    /** Prefix of the edge devices' consumer groups ({@code edge-<device type>}) and transactional ids ({@code edge-<device id>}). */
    public static final String EDGE_PREFIX = "edge-";
    /**
     * Prefix of everything the analytics app's Kafka Streams owns: its consumer group (the application id, by
     * default {@code edgeinfer-analytics}), its internal topics ({@code <application id>-...}) and its
     * transactional ids ({@code <application id>-<process id>-<thread>}). Another application id must start with it.
     */
    public static final String ANALYTICS_PREFIX = "edgeinfer-analytics";

    private StackAcls() {
    }

    /** Every ACL of the stack. */
    public static List<AclBinding> all() {
        List<AclBinding> acls = new ArrayList<>();
        for (StackPrincipal principal : List.of(StackPrincipal.PRODUCER, StackPrincipal.EDGE, StackPrincipal.ANALYTICS)) {
            acls.addAll(of(principal));
        }
        return acls;
    }

    /** The ACLs of one principal; none for the super user {@link StackPrincipal#ADMIN}. */
    public static List<AclBinding> of(StackPrincipal principal) {
        List<AclBinding> acls = new ArrayList<>();
        switch (principal) {
            case ADMIN -> {
                return acls;
            }
            case PRODUCER -> allow(acls, principal, topic(Topics.FRAMES), AclOperation.WRITE, AclOperation.DESCRIBE);
            case EDGE -> {
                allow(acls, principal, topic(Topics.FRAMES), AclOperation.READ, AclOperation.DESCRIBE);
                // The models the device follows, read without a group (docs/model-rollout.md).
                for (String models : List.of(Topics.MODELS, Topics.MODEL_CHUNKS)) {
                    allow(acls, principal, topic(models), AclOperation.READ, AclOperation.DESCRIBE);
                }
                allow(acls, principal, prefixed(ResourceType.GROUP, EDGE_PREFIX), AclOperation.READ);
                for (String output : List.of(Topics.PREDICTIONS, Topics.DEAD_LETTERS, Topics.HEARTBEATS)) {
                    // DESCRIBE_CONFIGS: the device reads each output topic's max.message.bytes, to dead-letter a frame
                    // whose output the topic would refuse before sending it.
                    allow(acls, principal, topic(output), AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
                }
                allow(acls, principal, prefixed(ResourceType.TRANSACTIONAL_ID, EDGE_PREFIX), AclOperation.WRITE, AclOperation.DESCRIBE);
            }
            case ANALYTICS -> {
                for (String input : List.of(Topics.PREDICTIONS, Topics.DEAD_LETTERS, Topics.HEARTBEATS)) {
                    allow(acls, principal, topic(input), AclOperation.READ, AclOperation.DESCRIBE);
                }
                for (ResourceType owned : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
                    allow(acls, principal, prefixed(owned, ANALYTICS_PREFIX), AclOperation.ALL);
                }
            }
            default -> throw new IllegalArgumentException("No ACLs defined for " + principal);
        }
        // Idempotent producers ask for a producer id; WRITE on a topic would imply it, this states it.
        allow(acls, principal, new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                AclOperation.IDEMPOTENT_WRITE);
        return acls;
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static ResourcePattern prefixed(ResourceType type, String prefix) {
        return new ResourcePattern(type, prefix, PatternType.PREFIXED);
    }

    private static void allow(List<AclBinding> acls, StackPrincipal principal, ResourcePattern resource, AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(new AclBinding(resource, new AccessControlEntry(principal.kafkaPrincipal(), "*", operation,
                    AclPermissionType.ALLOW)));
        }
    }
}
