package dev.edgeinfer.analytics.query;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/** Which analytics instance holds what: the metadata half of interactive queries. */
public interface InstanceDirectory {

    /** This instance, as other instances reach its HTTP API ({@code application.server}). */
    HostInfo self();

    /**
     * The instance whose active task holds {@code key} in {@code storeName}.
     *
     * @return empty while no instance is known to hold it, e.g. during a rebalance
     */
    Optional<HostInfo> activeHostFor(String storeName, String key);

    /** Every instance of the application that hosts tasks, this one included. */
    List<HostInfo> allInstances();
}
