package dev.edgeinfer.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.producer.fleet.FleetSettings;
import dev.edgeinfer.producer.fleet.FleetSimulation;
import dev.edgeinfer.producer.fleet.FleetSummary;
import dev.edgeinfer.producer.fleet.TypeProfile;
import dev.edgeinfer.schemas.analytics.ConfusionReport;
import dev.edgeinfer.schemas.analytics.DeviceTypeSummary;
import dev.edgeinfer.schemas.analytics.LatencySummary;
import dev.edgeinfer.schemas.analytics.PairAgreement;
import dev.edgeinfer.schemas.analytics.PercentileValue;
import dev.edgeinfer.schemas.analytics.WindowStats;
import dev.edgeinfer.testsupport.analytics.AnalyticsClient;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every figure the analytics API answers, over a fleet of five device types writing more than 100,000 predictions (and
 * dead letters), equals a brute-force recomputation from the topics ({@link FleetReference}), after one of two
 * instances was killed with SIGKILL mid-stream: frames, ground truth, correct, accuracy, dead letters, errors, the
 * three latency distributions (samples, min, max, every percentile to the histogram's precision), the confusion matrix
 * of every device type and the agreement of every pair, for every device type, every device and every precision.
 */
class AnalyticsExactnessIT {

    @RegisterExtension
    static final SharedLocalStack LOCAL = new SharedLocalStack();

    private static final int DEVICE_TYPES = 5;
    private static final int DEVICES = 50;
    private static final long PREDICTIONS = 110_000;
    private static final double PREDICTION_RATE = 5_000;
    private static final Duration CATCH_UP = Duration.ofMinutes(4);

    /** The apps' logs and state; kept when the test fails, for what it printed. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void everyFigureEqualsABruteForceRecomputationAfterAnInstanceIsKilled() throws Exception {
        String run = "exact-" + UUID.randomUUID().toString().substring(0, 8);
        try (Pipeline pipeline = new Pipeline(LOCAL.stack(), work, LOCAL.stack().schemaRegistryUrl(),
                Map.of("session.timeout.ms", "10000", "heartbeat.interval.ms", "2000"))) {
            AnalyticsClient survivor = AnalyticsClient.onPort(Apps.freePort());
            AnalyticsClient victim = AnalyticsClient.onPort(Apps.freePort());
            AppProcess survivorInstance = pipeline.analytics("analytics-survivor", run, survivor.port(), work.resolve("state-1"));
            AppProcess victimInstance = pipeline.analytics("analytics-victim", run, victim.port(), work.resolve("state-2"));
            survivor.awaitHealthy(survivorInstance, Duration.ofMinutes(3));
            victim.awaitHealthy(victimInstance, Duration.ofMinutes(3));

            FleetSettings settings = FleetSettings.defaults(DEVICES, DEVICE_TYPES, 7).withTypeNamePrefix(run + "-")
                    .withLimits(null, PREDICTIONS).withPredictionRate(PREDICTION_RATE).withShares(0.002, 0.9);
            List<TypeProfile> types = settings.types();
            Map<String, Object> client = new HashMap<>(LOCAL.stack().clientProperties());
            CompletableFuture<FleetSummary> simulation = CompletableFuture.supplyAsync(() -> {
                try {
                    return FleetSimulation.run(client, settings);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            String firstType = types.get(0).name();
            Eventually.await("a third of the fleet's predictions counted", CATCH_UP, () -> {
                Pipeline.assertAlive(survivorInstance, victimInstance);
                assertThat(survivor.frames("device-type", firstType, "15m")).isGreaterThan(PREDICTIONS / DEVICE_TYPES / 3);
            });
            victimInstance.kill();

            FleetSummary written = simulation.get();
            assertThat(written.predictions()).isEqualTo(PREDICTIONS);
            assertThat(written.sendErrors()).isZero();
            FleetReference reference = FleetReference.read(LOCAL.stack());
            assertThat(reference.predictions(type -> type.startsWith(run))).isEqualTo(PREDICTIONS);
            for (TypeProfile type : types) {
                long expected = reference.predictions(type.name()::equals);
                Eventually.await("the survivor counted every prediction of " + type.name(), CATCH_UP,
                        () -> assertThat(survivor.frames("device-type", type.name(), "15m")).isEqualTo(expected));
            }

            List<String[]> keys = new ArrayList<>();
            for (DeviceTypeSummary type : survivor.deviceTypes("15m").orElseThrow().deviceTypes()) {
                String name = type.deviceType();
                if (name.startsWith(run)) {
                    keys.add(new String[] {"device-type", name});
                }
            }
            assertThat(keys).hasSize(DEVICE_TYPES);
            for (var summaryType : written.deviceTypes()) {
                for (int device = 0; device < DEVICES; device++) {
                    String deviceId = String.format("sim-%03d-%s", device, summaryType.deviceType());
                    if (survivor.stats("device", deviceId, "15m").isPresent()) {
                        keys.add(new String[] {"device", deviceId});
                    }
                }
            }
            assertThat(keys).as("device types and devices").hasSize(DEVICE_TYPES + DEVICES);
            keys.add(new String[] {"precision", "FP32"});
            keys.add(new String[] {"precision", "INT8"});
            keys.add(new String[] {"precision", "FP16"});
            for (String[] key : keys) {
                assertFigures(survivor, reference, key[0], key[1]);
            }
            for (String[] key : keys.subList(0, DEVICE_TYPES)) {
                assertConfusion(survivor, reference, key[1]);
            }
            assertAgreement(survivor, reference, types);
            Pipeline.assertAlive(survivorInstance);
        }
    }

    private static void assertFigures(AnalyticsClient api, FleetReference reference, String dimension, String key) throws Exception {
        WindowStats stats = api.stats(dimension, key, "15m").orElseThrow();
        FleetReference.Figures expected = reference.figures(dimension, key, stats.windowStart(), stats.windowEnd());
        String what = dimension + "/" + key;
        assertThat(stats.frames()).as("frames of %s", what).isEqualTo(expected.frames());
        assertThat(stats.framesWithGroundTruth()).as("ground truth of %s", what).isEqualTo(expected.framesWithGroundTruth());
        assertThat(stats.correct()).as("correct of %s", what).isEqualTo(expected.correct());
        assertThat(stats.accuracy()).as("accuracy of %s", what)
                .isEqualTo((double) expected.correct() / expected.framesWithGroundTruth());
        if (!dimension.equals("precision")) {
            assertThat(stats.deadLetters()).as("dead letters of %s", what).isEqualTo(expected.deadLetters());
            assertThat(stats.errors()).as("errors of %s", what).isEqualTo(expected.errors());
        }
        expected.latencies().forEach((name, summary) -> {
            LatencySummary latency = switch (name) {
                case "inference" -> stats.inference();
                case "onDevice" -> stats.onDevice();
                case "endToEnd" -> stats.endToEnd();
                default -> throw new AssertionError("no latency " + name + " in the API's statistics");
            };
            assertThat(latency.samples()).as("%s samples of %s", name, what).isEqualTo(summary.get("samples"));
            assertThat(latency.minMicros()).as("%s min of %s", name, what).isEqualTo(summary.get("min"));
            assertThat(latency.maxMicros()).as("%s max of %s", name, what).isEqualTo(summary.get("max"));
            for (PercentileValue percentile : latency.percentiles()) {
                Object micros = summary.get("p" + percentile.percentile());
                assertThat(percentile.micros()).as("%s %s of %s", name, percentile.name(), what).isEqualTo(micros);
            }
        });
    }

    private static void assertConfusion(AnalyticsClient api, FleetReference reference, String deviceType) throws Exception {
        ConfusionReport confusion = api.confusion(deviceType, "15m").orElseThrow();
        long[][] expected = reference.figures("device-type", deviceType, confusion.windowStart(), confusion.windowEnd()).confusion();
        List<List<Long>> rows = confusion.matrix();
        for (int truth = 0; truth < expected.length; truth++) {
            for (int predicted = 0; predicted < expected.length; predicted++) {
                long answered = truth < rows.size() && predicted < rows.get(truth).size() ? rows.get(truth).get(predicted) : 0;
                assertThat(answered).as("confusion of %s, truth %d, predicted %d", deviceType, truth, predicted)
                        .isEqualTo(expected[truth][predicted]);
            }
        }
    }

    private static void assertAgreement(AnalyticsClient api, FleetReference reference, List<TypeProfile> types) throws Exception {
        int compared = 0;
        for (PairAgreement pair : api.agreement("15m").orElseThrow().pairs()) {
            String first = pair.firstType();
            String second = pair.secondType();
            if (!types.stream().anyMatch(t -> t.name().equals(first))) {
                continue;
            }
            long[] expected = reference.agreement(first, second, pair.windowStart(), pair.windowEnd());
            assertThat(new long[] {pair.compared(), pair.differing()})
                    .as("agreement of %s and %s", first, second).containsExactly(expected);
            compared++;
        }
        assertThat(compared).as("pairs of the fleet's types").isEqualTo(DEVICE_TYPES * (DEVICE_TYPES - 1) / 2);
    }
}
