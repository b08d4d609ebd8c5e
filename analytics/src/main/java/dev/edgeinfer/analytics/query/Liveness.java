package dev.edgeinfer.analytics.query;

import dev.edgeinfer.avro.DeviceHeartbeat;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Which devices are alive: a device whose latest heartbeat was sent more than {@value #MISSED_INTERVALS} of its
 * heartbeat periods ago is offline. The period is the one its heartbeats state; older devices, which do not state it,
 * are judged by the device's default, {@link #DEFAULT_INTERVAL}. Ages are measured against the heartbeat's send time, on
 * the device's clock: a device whose clock runs behind by more than that margin reads as offline.
 */
public final class Liveness {

    /** Heartbeat periods without a heartbeat after which a device is offline. */
    public static final int MISSED_INTERVALS = 3;
    /** The edge consumer's default heartbeat period, for heartbeats that do not state theirs. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private final Clock clock;

    public Liveness(Clock clock) {
        this.clock = clock;
    }

    /** @return the heartbeat period the device states, else the default, in milliseconds */
    public long intervalMillis(DeviceHeartbeat heartbeat) {
        Long stated = heartbeat.getHeartbeatIntervalMillis();
        return stated != null && stated > 0 ? stated : DEFAULT_INTERVAL.toMillis();
    }

    /** @return whether the device's latest heartbeat is at most {@value #MISSED_INTERVALS} of its periods old */
    public boolean online(DeviceHeartbeat heartbeat) {
        return clock.millis() - heartbeat.getSentTime().toEpochMilli() <= MISSED_INTERVALS * intervalMillis(heartbeat);
    }

    /** Devices online and offline per device type, from the latest heartbeat of each device. */
    public record Count(long online, long offline) {
    }

    /** @return per device type, sorted by name, how many of its devices are online and offline */
    public Map<String, Count> countByType(ReadOnlyKeyValueStore<String, DeviceHeartbeat> heartbeats) {
        Map<String, Count> counts = new TreeMap<>();
        try (KeyValueIterator<String, DeviceHeartbeat> all = heartbeats.all()) {
            while (all.hasNext()) {
                DeviceHeartbeat heartbeat = all.next().value;
                if (heartbeat != null) {
                    boolean up = online(heartbeat);
                    counts.merge(heartbeat.getDeviceType(), new Count(up ? 1 : 0, up ? 0 : 1),
                            (a, b) -> new Count(a.online() + b.online(), a.offline() + b.offline()));
                }
            }
        }
        return counts;
    }
}
