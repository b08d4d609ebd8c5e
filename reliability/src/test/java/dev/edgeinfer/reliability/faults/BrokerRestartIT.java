package dev.edgeinfer.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.local.KafkaBroker;
import dev.edgeinfer.testsupport.analytics.AnalyticsClient;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stops mid-stream and comes back after a while on the same port with the same data folder, as in a
 * rolling restart of a one-node cluster. The producer (idempotent, {@code acks=all}), the edge consumer (exactly-once)
 * and the analytics app ride it out by themselves: none of them exits or is restarted, every frame the producer had
 * acknowledged is predicted exactly once, and analytics counts each prediction once.
 */
class BrokerRestartIT {

    @RegisterExtension
    static final SharedLocalStack LOCAL = new SharedLocalStack();

    private static final FaultSettings SETTINGS = FaultSettings.fromSystemProperties();

    /** The apps' logs and state; kept when the test fails, for what it printed. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void pipelineRidesOutABrokerRestartWithoutLossOrDuplicates() throws Exception {
        String run = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "frames-" + run;
        String deviceType = "restart-" + run;
        Pipeline.createFramesTopic(LOCAL.stack(), topic);
        KafkaBroker broker = LOCAL.stack().kafka().brokers().get(0);
        try (Pipeline pipeline = new Pipeline(LOCAL.stack(), work, LOCAL.stack().schemaRegistryUrl(), Map.of());
             FrameLedger ledger = new FrameLedger(LOCAL.stack(), topic, deviceType)) {
            AnalyticsClient api = AnalyticsClient.onPort(Apps.freePort());
            AppProcess analytics = pipeline.analytics("analytics", run, api.port(), work.resolve("analytics-state"));
            AppProcess device = pipeline.edgeConsumer("device", run + "-device", deviceType, topic, "exactly-once");
            Pipeline.awaitDeviceReady(device);
            api.awaitHealthy(analytics, Duration.ofMinutes(3));
            AppProcess producer = pipeline.producer("producer", topic, SETTINGS.fps(), SETTINGS.streamDuration());
            FleetLoad fleet = FleetLoad.start(LOCAL.stack(), run, SETTINGS);

            // Restart once the stream is well under way: a third of it has been sent and predictions flow.
            Eventually.await("a third of the stream sent and predicted in part", SETTINGS.catchUp(), () -> {
                Pipeline.assertAlive(device, analytics);
                FrameLedger.Tally tally = ledger.refresh();
                assertThat(tally.framesInTopic()).isGreaterThanOrEqualTo(SETTINGS.plannedFrames() / 3);
                assertThat(tally.predictedFrames()).isPositive();
            });
            long predictedBefore = ledger.tally().predictedFrames();
            long stoppedAt = System.nanoTime();
            try {
                broker.stop();
                Thread.sleep(SETTINGS.brokerDowntime().toMillis());
                Pipeline.assertAlive(device, analytics);
            } finally {
                broker.restart();
            }
            Duration down = Duration.ofNanos(System.nanoTime() - stoppedAt);

            Pipeline.ProducerEnd sent = Pipeline.awaitProducer(producer, SETTINGS.catchUp());
            assertThat(sent.exitStatus()).as("producer exit status; its log:%n%s", producer.tail()).isZero();
            assertThat(sent.summary().failed()).as("frames the producer gave up on").isZero();
            FrameLedger.Tally tally = ledger.awaitEveryFramePredicted(SETTINGS.catchUp(), device, analytics);
            assertThat(tally.framesInTopic()).as("frames acknowledged to the producer are in the topic, once each")
                    .isEqualTo(tally.distinctFrames()).isEqualTo(sent.summary().acknowledged());
            assertThat(tally.predictedFrames()).as("predictions after the restart").isGreaterThan(predictedBefore);
            assertThat(tally.duplicates()).as("%s", tally).isZero();
            assertThat(tally.deadLetters()).as("dead letters: %s", ledger.deadLetters()).isZero();
            // Analytics counts every prediction of the run once: its long window covers the whole run.
            Eventually.await("analytics counted every prediction", SETTINGS.catchUp(),
                    () -> assertThat(api.frames("device-type", deviceType, "15m")).isEqualTo(tally.predictions()));
            String fleetCounted = fleet.awaitCounted(SETTINGS.catchUp(), api);
            Pipeline.assertAlive(device, analytics);

            FaultReport.row("broker stopped mid-stream for " + SETTINGS.brokerDowntime() + ", restarted on the same port and data",
                    SETTINGS, sent.summary().acknowledged() + " frames, producer + exactly-once device + analytics, down "
                            + down.toSeconds() + " s" + fleetCounted,
                    tally + ", analytics counted " + tally.predictions()
                            + ", no process restarted",
                    tally.lost());
        } finally {
            if (!broker.isRunning()) {
                broker.restart();
            }
        }
    }
}
