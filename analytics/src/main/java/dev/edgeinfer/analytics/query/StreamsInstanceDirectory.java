package dev.edgeinfer.analytics.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** The directory of a running {@link KafkaStreams}: {@code queryMetadataForKey} and the metadata of all clients. */
public final class StreamsInstanceDirectory implements InstanceDirectory {

    private final KafkaStreams streams;
    private final HostInfo self;
    private final Serializer<String> keySerializer = Serdes.String().serializer();

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
    public Optional<HostInfo> activeHostFor(String storeName, String key) {
        KeyQueryMetadata metadata = streams.queryMetadataForKey(storeName, key, keySerializer);
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return Optional.empty();
        }
        return Optional.of(metadata.activeHost());
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
