package dev.edgeinfer.producer.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetScheduleTest {

    @Test
    void plansEveryResultOfEveryFrameOnceInDueOrderWithSpreadHeartbeats() {
        // 12 devices of 3 types at 600 results/s: 200 frames/s for 2 s; heartbeats every 500 ms.
        FleetSettings settings = FleetSettings.defaults(12, 3, 9).withPredictionRate(600)
                .withLimits(Duration.ofSeconds(2), 0).withHeartbeatInterval(Duration.ofMillis(500)).withShares(0.05, 1);
        FleetSchedule schedule = new FleetSchedule(settings, new FleetGenerator(settings));
        Set<String> results = new HashSet<>();
        Map<Integer, Integer> heartbeats = new HashMap<>();
        long previous = 0;
        long frameNanosMax = 0;
        for (FleetSchedule.Due due = schedule.next(); due != null; due = schedule.next()) {
            assertThat(due.dueNanos()).as("due order").isGreaterThanOrEqualTo(previous);
            previous = due.dueNanos();
            if (due.isHeartbeat()) {
                heartbeats.merge(due.heartbeatDevice(), 1, Integer::sum);
                assertThat(due.dueNanos()).isLessThan(Duration.ofSeconds(2).toNanos());
            } else {
                assertThat(results.add(due.frame().frameId() + "/" + due.result().typeIndex())).as("once").isTrue();
                assertThat(due.frameNanos()).isEqualTo(due.frame().sequence() * 5_000_000L);
                frameNanosMax = Math.max(frameNanosMax, due.frameNanos());
            }
        }
        assertThat(results).hasSize(400 * 3);
        assertThat(schedule.framesStarted()).isEqualTo(400);
        assertThat(frameNanosMax).isEqualTo(399 * 5_000_000L);
        assertThat(heartbeats).hasSize(12).allSatisfy((device, count) -> assertThat(count).isEqualTo(4));
        assertThat(schedule.resultsPending()).isZero();
    }

    @Test
    void withoutALimitItGoesOn() {
        FleetSettings settings = FleetSettings.defaults(4, 2, 1);
        FleetSchedule schedule = new FleetSchedule(settings, new FleetGenerator(settings));
        for (int i = 0; i < 10_000; i++) {
            assertThat(schedule.next()).isNotNull();
        }
        assertThat(schedule.resultsPending()).as("only the results in flight are held").isLessThan(100);
    }
}
