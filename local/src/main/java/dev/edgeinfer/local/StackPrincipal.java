package dev.edgeinfer.local;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The users of a secure local stack, one per role in the pipeline. Each authenticates with SCRAM-SHA-512 under its
 * {@link #userName()} and may do what {@link StackAcls} grants it.
 */
public enum StackPrincipal {
    /** Super user: creates topics and ACLs; every other tool of the stack's operator. */
    ADMIN,
    /** Cameras: write frames. */
    PRODUCER,
    /** Edge devices: read frames, write predictions, dead letters and heartbeats. */
    EDGE,
    /** The analytics app: reads predictions, dead letters and heartbeats, owns its Kafka Streams topics. */
    ANALYTICS;

    /** The SCRAM user name, e.g. {@code edge}; also the Kafka principal {@code User:edge}. */
    public String userName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Kafka principal as ACLs and {@code super.users} name it, e.g. {@code User:edge}. */
    public String kafkaPrincipal() {
        return "User:" + userName();
    }

    /**
     * The principal of a user name, ignoring case.
     *
     * @throws IllegalArgumentException if no principal has that name; the message lists them
     */
    public static StackPrincipal ofUserName(String name) {
        return Arrays.stream(values()).filter(p -> p.userName().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No principal '" + name + "'; the stack has "
                        + Arrays.stream(values()).map(StackPrincipal::userName).collect(Collectors.joining(", "))));
    }
}
