package dev.edgeinfer.analytics.query;

import java.util.List;
import org.apache.kafka.streams.state.HostInfo;

/** The analytics instances of one application: the metadata half of interactive queries. */
public interface InstanceDirectory {

    /** This instance, as other instances reach its HTTP API ({@code application.server}). */
    HostInfo self();

    /** Every instance of the application that hosts tasks, this one included. */
    List<HostInfo> allInstances();
}
