package dev.edgeinfer.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.analytics.topology.TestRecords;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.Precision;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LivenessTest {

    private static final long NOW = 1_800_000_000_000L;
    private final Liveness liveness = new Liveness(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    private static DeviceHeartbeat sentAgo(long millis, Long interval) {
        return DeviceHeartbeat.newBuilder(TestRecords.heartbeat("pi-1", "t", Precision.INT8, NOW - millis))
                .setHeartbeatIntervalMillis(interval).build();
    }

    @Test
    void aDeviceIsOfflineOnceThreeOfItsOwnHeartbeatPeriodsPassWithoutOne() {
        assertThat(liveness.online(sentAgo(3_000, 1_000L))).isTrue();
        assertThat(liveness.online(sentAgo(3_001, 1_000L))).isFalse();
        assertThat(liveness.online(sentAgo(59_000, 20_000L))).isTrue();
        assertThat(liveness.intervalMillis(sentAgo(0, 20_000L))).isEqualTo(20_000);
    }

    @Test
    void aHeartbeatThatStatesNoPeriodIsJudgedByTheDevicesDefault() {
        assertThat(liveness.intervalMillis(sentAgo(0, null))).isEqualTo(5_000);
        assertThat(liveness.online(sentAgo(15_000, null))).isTrue();
        assertThat(liveness.online(sentAgo(15_001, null))).isFalse();
    }
}
