package dev.edgeinfer.analytics.query;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** The directory of a running {@link KafkaStreams}: the metadata of all its clients. */
public final class StreamsInstanceDirectory implements InstanceDirectory {

    private final KafkaStreams streams;
    private final HostInfo self;

    /**
     * @param streams the application, configured with {@code application.server} = {@code self}
     * @param self    this instance's HTTP address
     */
    public StreamsInstanceDirectory(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public HostInfo self() {
        return self;
    }

    @Override
    public List<HostInfo> allInstances() {
        List<HostInfo> hosts = new ArrayList<>();
        hosts.add(self);
        for (StreamsMetadata metadata : streams.metadataForAllStreamsClients()) {
            if (!hosts.contains(metadata.hostInfo())) {
                hosts.add(metadata.hostInfo());
            }
        }
        return hosts;
    }
}
