package dev.edgeinfer.analytics.query;

import java.util.List;
import org.apache.kafka.streams.state.HostInfo;

/** A directory of one instance: for a lone instance and for tests. */
public final class SingleInstanceDirectory implements InstanceDirectory {

    private final HostInfo self;

    public SingleInstanceDirectory(HostInfo self) {
        this.self = self;
    }

    @Override
    public HostInfo self() {
        return self;
    }

    @Override
    public List<HostInfo> allInstances() {
        return List.of(self);
    }
}
