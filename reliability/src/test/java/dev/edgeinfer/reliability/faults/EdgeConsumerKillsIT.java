package dev.edgeinfer.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.testsupport.apps.AppProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of two edge devices of one type shares the frames of a stream; every kill interval one of them is killed
 * with SIGKILL, as a power cut would, and a replacement with the same device id joins at once. In exactly-once mode
 * every frame ends with exactly one committed prediction; in at-least-once mode with at least one.
 *
 * <p>The replacement keeps the device id and so the transactional id: its start fences the killed process and aborts
 * the transaction that process left open, instead of leaving it to time out. Devices are given a 10-second session
 * timeout, so the group notices a dead one after 10 s rather than the default 45 s; the guarantees do not depend on
 * it, only how soon the survivors take over.
 */
class EdgeConsumerKillsIT {

    @RegisterExtension
    static final SharedLocalStack LOCAL = new SharedLocalStack();

    private static final int DEVICES = 2;
    private static final FaultSettings SETTINGS = FaultSettings.fromSystemProperties();

    /** The apps' logs and state; kept when the test fails, for what it printed. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    /** Both delivery modes at once, on topics, device types and groups of their own: their waits overlap. */
    @Test
    void repeatedSigkillsLoseNoFrameAndExactlyOnceDuplicatesNone() throws Exception {
        ExecutorService runs = Executors.newFixedThreadPool(2, task -> new Thread(task, "kills-run"));
        try {
            // At fleet scale, a simulated fleet loads the broker beside the killed devices for the stream's duration.
            FleetLoad fleet = FleetLoad.start(LOCAL.stack(), "kills-" + UUID.randomUUID().toString().substring(0, 8), SETTINGS);
            Future<Outcome> exactlyOnceRun = runs.submit(() -> streamWhileKilling("exactly-once"));
            Future<Outcome> atLeastOnceRun = runs.submit(() -> streamWhileKilling("at-least-once"));
            Outcome exactlyOnce = outcome(exactlyOnceRun);
            Outcome atLeastOnce = outcome(atLeastOnceRun);
            String load = fleet.awaitWritten(SETTINGS.catchUp());
            report("exactly-once", exactlyOnce, load);
            report("at-least-once", atLeastOnce, load);
            assertThat(exactlyOnce.tally().lost()).as("exactly-once: %s", exactlyOnce).isZero();
            assertThat(exactlyOnce.tally().duplicates()).as("exactly-once: %s", exactlyOnce).isZero();
            assertThat(atLeastOnce.tally().lost()).as("at-least-once: %s", atLeastOnce).isZero();
        } finally {
            runs.shutdownNow();
        }
    }

    private static Outcome outcome(Future<Outcome> run) throws Exception {
        try {
            return run.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private record Outcome(Pipeline.ProducerEnd producer, FrameLedger.Tally tally, int kills) {
    }

    private Outcome streamWhileKilling(String delivery) throws Exception {
        String run = delivery + "-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "frames-" + run;
        String deviceType = "kills-" + run;
        Pipeline.createFramesTopic(LOCAL.stack(), topic);
        try (Pipeline pipeline = new Pipeline(LOCAL.stack(), work.resolve(run), LOCAL.stack().schemaRegistryUrl(),
                Map.of("session.timeout.ms", "10000", "heartbeat.interval.ms", "2000"));
             FrameLedger ledger = new FrameLedger(LOCAL.stack(), topic, deviceType)) {
            AppProcess[] devices = new AppProcess[DEVICES];
            int[] generation = new int[DEVICES];
            for (int slot = 0; slot < DEVICES; slot++) {
                devices[slot] = pipeline.edgeConsumer("device-" + slot + "-0", run + "-device-" + slot, deviceType, topic, delivery);
            }
            for (AppProcess device : devices) {
                Pipeline.awaitDeviceReady(device);
            }
            AppProcess producer = pipeline.producer("producer", topic, SETTINGS.fps(), SETTINGS.streamDuration());
            int kills = 0;
            long nextKill = System.nanoTime() + SETTINGS.killInterval().toNanos();
            while (producer.isAlive()) {
                Thread.sleep(200);
                if (System.nanoTime() - nextKill >= 0 && producer.isAlive()) {
                    int slot = kills % DEVICES;
                    devices[slot].kill();
                    generation[slot]++;
                    devices[slot] = pipeline.edgeConsumer("device-" + slot + "-" + generation[slot], run + "-device-" + slot,
                            deviceType, topic, delivery);
                    kills++;
                    nextKill += SETTINGS.killInterval().toNanos();
                }
            }
            Pipeline.ProducerEnd sent = Pipeline.awaitProducer(producer, Duration.ofSeconds(30));
            assertThat(sent.exitStatus()).as("producer exit status; its log:%n%s", producer.tail()).isZero();
            assertThat(sent.summary().failed()).isZero();
            assertThat(kills).as("SIGKILLs during the stream").isGreaterThanOrEqualTo(
                    (int) (SETTINGS.streamDuration().toMillis() / SETTINGS.killInterval().toMillis()) - 1);

            FrameLedger.Tally tally = ledger.awaitEveryFramePredicted(SETTINGS.catchUp(), devices);
            assertThat(tally.framesInTopic()).as("frames acknowledged to the producer are in the topic, once each")
                    .isEqualTo(tally.distinctFrames()).isEqualTo(sent.summary().acknowledged());
            assertThat(tally.deadLetters()).as("dead letters: %s", ledger.deadLetters()).isZero();
            Pipeline.assertAlive(devices);
            return new Outcome(sent, tally, kills);
        }
    }

    private static void report(String delivery, Outcome outcome, String load) {
        FaultReport.row("edge consumer SIGKILLed every " + SETTINGS.killInterval() + ", replacement joining (" + delivery + ")",
                SETTINGS, outcome.producer().summary().acknowledged() + " frames, 2 devices in one group, "
                        + outcome.kills() + " kills" + load,
                outcome.tally().toString(), outcome.tally().lost());
    }
}
