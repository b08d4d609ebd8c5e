package dev.edgeinfer.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.schemas.analytics.WindowStats;
import dev.edgeinfer.testsupport.analytics.AnalyticsClient;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two analytics instances share the work (one application id); mid-stream one of them is killed with SIGKILL and
 * started again on the same port and state folder. A third instance, with an application id of its own, reads the
 * same predictions without interruption. At the end every window of every key has the same counts on both sides, and
 * the whole run's count equals the predictions written: nothing lost, nothing counted twice.
 *
 * <p>The instances are given a 10-second session timeout, so the group notices the dead instance sooner than after
 * the default 45 s; correctness does not depend on it.
 */
class AnalyticsKillIT {

    @RegisterExtension
    static final SharedLocalStack LOCAL = new SharedLocalStack();

    private static final FaultSettings SETTINGS = FaultSettings.fromSystemProperties();
    /** Every 10-second window of the 1-minute view from before the stream to its end. */
    private static final int SHORT_WINDOWS = 120;

    /** The apps' logs and state; kept when the test fails, for what it printed. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void killedInstanceRestartsAndFinalWindowsEqualAnUninterruptedRun() throws Exception {
        String run = "analytics-kill-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "frames-" + run;
        String deviceType = "analytics-kill-" + run;
        String deviceId = run + "-device";
        Pipeline.createFramesTopic(LOCAL.stack(), topic);
        try (Pipeline pipeline = new Pipeline(LOCAL.stack(), work, LOCAL.stack().schemaRegistryUrl(),
                Map.of("session.timeout.ms", "10000", "heartbeat.interval.ms", "2000"));
             FrameLedger ledger = new FrameLedger(LOCAL.stack(), topic, deviceType)) {
            AnalyticsClient first = AnalyticsClient.onPort(Apps.freePort());
            AnalyticsClient second = AnalyticsClient.onPort(Apps.freePort());
            AnalyticsClient reference = AnalyticsClient.onPort(Apps.freePort());
            Path secondState = work.resolve("state-second");
            AppProcess firstInstance = pipeline.analytics("analytics-first", run, first.port(), work.resolve("state-first"));
            AppProcess secondInstance = pipeline.analytics("analytics-second", run, second.port(), secondState);
            AppProcess referenceInstance = pipeline.analytics("analytics-reference", run + "-reference", reference.port(),
                    work.resolve("state-reference"));
            AppProcess device = pipeline.edgeConsumer("device", deviceId, deviceType, topic, "exactly-once");
            Pipeline.awaitDeviceReady(device);
            first.awaitHealthy(firstInstance, Duration.ofMinutes(3));
            second.awaitHealthy(secondInstance, Duration.ofMinutes(3));
            reference.awaitHealthy(referenceInstance, Duration.ofMinutes(3));

            AppProcess producer = pipeline.producer("producer", topic, SETTINGS.fps(), SETTINGS.streamDuration());
            FleetLoad fleet = FleetLoad.start(LOCAL.stack(), run, SETTINGS);
            // The kill comes once a third of the stream has been sent and analytics has started counting it.
            Eventually.await("a third of the stream sent and counted in part", SETTINGS.catchUp(), () -> {
                Pipeline.assertAlive(device, firstInstance, secondInstance);
                assertThat(ledger.refresh().framesInTopic()).isGreaterThanOrEqualTo(SETTINGS.plannedFrames() / 3);
                assertThat(second.frames("device-type", deviceType, "15m")).isPositive();
            });
            secondInstance.kill();
            AppProcess restarted = pipeline.analytics("analytics-second-restarted", run, second.port(), secondState);

            Pipeline.ProducerEnd sent = Pipeline.awaitProducer(producer, SETTINGS.catchUp());
            assertThat(sent.exitStatus()).as("producer exit status; its log:%n%s", producer.tail()).isZero();
            FrameLedger.Tally tally = ledger.awaitEveryFramePredicted(SETTINGS.catchUp(), device, firstInstance, restarted);
            second.awaitHealthy(restarted, Duration.ofMinutes(3));

            // Per device type and per device; the precision keys also count other runs' devices of the shared stack.
            List<String[]> keys = List.of(new String[] {"device-type", deviceType}, new String[] {"device", deviceId});
            Eventually.await("the uninterrupted instance counts every prediction once", SETTINGS.catchUp(),
                    () -> assertThat(reference.frames("device-type", deviceType, "15m")).isEqualTo(tally.predictions()));
            Eventually.await("the killed pair counts every prediction once", SETTINGS.catchUp(),
                    () -> assertThat(second.frames("device-type", deviceType, "15m"))
                            .as("count of the killed pair; records its instances dropped: %d and %d, the reference: %d",
                                    first.droppedRecords(), second.droppedRecords(), reference.droppedRecords())
                            .isEqualTo(tally.predictions()));
            String fleetCounted = fleet.awaitCounted(SETTINGS.catchUp(), first, second, reference);
            long windowsCompared = 0;
            for (String[] key : keys) {
                windowsCompared += assertSameWindows(key[0], key[1], first, second, reference);
            }
            Pipeline.assertAlive(firstInstance, restarted, referenceInstance, device);

            FaultReport.row("one of two analytics instances SIGKILLed mid-stream and started again", SETTINGS,
                    sent.summary().acknowledged()
                            + " frames through an exactly-once device, 2 instances + 1 uninterrupted reference" + fleetCounted,
                    windowsCompared + " windows (1m and 15m views) equal to the reference's; " + tally.predictions()
                            + " predictions counted once",
                    tally.lost());
        }
    }

    /** Both instances of the killed pair answer the reference's windows for the key; returns how many windows. */
    private static long assertSameWindows(String dimension, String key, AnalyticsClient first, AnalyticsClient second,
                                          AnalyticsClient reference)
            throws InterruptedException {
        long[] compared = new long[1];
        Eventually.await("windows of " + dimension + "/" + key + " equal the uninterrupted run's", Duration.ofMinutes(2), () -> {
            compared[0] = 0;
            for (String view : List.of("1m", "15m")) {
                int windows = view.equals("1m") ? SHORT_WINDOWS : 15;
                List<WindowCounts> expected = WindowCounts.of(reference.windows(dimension, key, view, windows));
                assertThat(expected).as("windows of %s/%s in view %s", dimension, key, view).isNotEmpty();
                assertThat(WindowCounts.of(first.windows(dimension, key, view, windows))).as("through the first instance")
                        .isEqualTo(expected);
                assertThat(WindowCounts.of(second.windows(dimension, key, view, windows))).as("through the restarted instance")
                        .isEqualTo(expected);
                compared[0] += expected.stream().filter(w -> w.frames() > 0).count();
            }
        });
        return compared[0];
    }

    /** The counts of one window, which a restarted instance must answer exactly as the uninterrupted run. */
    private record WindowCounts(long windowStart, long frames, long framesWithGroundTruth, long correct, long deadLetters) {
        static List<WindowCounts> of(List<WindowStats> windows) {
            return windows.stream().map(w -> new WindowCounts(w.windowStart(), w.frames(), w.framesWithGroundTruth(),
                    w.correct(), w.deadLetters())).toList();
        }
    }
}
