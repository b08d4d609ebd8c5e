package dev.edgeinfer.analytics.topology;

import static dev.edgeinfer.analytics.topology.TestRecords.FP32;
import static dev.edgeinfer.analytics.topology.TestRecords.INT8;
import static dev.edgeinfer.analytics.topology.TestRecords.ORT_FP32;
import static dev.edgeinfer.analytics.topology.TestRecords.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.query.StatsQueries;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.Precision;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.analytics.AgreementReport;
import dev.edgeinfer.schemas.analytics.ConfusionReport;
import dev.edgeinfer.schemas.analytics.DeviceTypeSummary;
import dev.edgeinfer.schemas.analytics.LatencyBoundCheck;
import dev.edgeinfer.schemas.analytics.LatencyBoundVerdict;
import dev.edgeinfer.schemas.analytics.LatencySummary;
import dev.edgeinfer.schemas.analytics.PairAgreement;
import dev.edgeinfer.schemas.analytics.PercentileValue;
import dev.edgeinfer.schemas.analytics.TimeSeries;
import dev.edgeinfer.schemas.analytics.WindowStats;
import dev.edgeinfer.schemas.topics.FieldLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The topology on hand-built predictions, with the default settings but a 30 s grace: 1-minute windows advancing
 * every 10 s, 15-minute windows advancing every minute, reference {@code openvino-cpu-fp32}, 5-minute agreement join.
 */
class AnalyticsTopologyTest {

    /** A minute boundary, so it starts a slice of both views. */
    static final long BASE = 1_700_000_040_000L;
    static final long SECOND = 1000;

    private AnalyticsTestDriver driver;
    private StatsQueries queries;

    @BeforeEach
    void start() {
        Properties settings = new Properties();
        // Short enough that the late-record tests stay within the 15-minute view's windows.
        settings.setProperty(AnalyticsSettings.GRACE, "30s");
        driver = new AnalyticsTestDriver(AnalyticsSettings.fromProperties(settings), Instant.ofEpochMilli(BASE));
        queries = driver.queries();
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private WindowStats latest(StatsKey key) {
        return queries.stats(key, driver.shortView(), OptionalLong.empty()).orElseThrow();
    }

    private WindowStats window(StatsKey key, long start) {
        return queries.stats(key, driver.shortView(), OptionalLong.of(start)).orElseThrow();
    }

    @Test
    void eachCameraIsCountedAcrossDeviceTypesAndPredictionsWithoutOneUnderNone() {
        for (int i = 0; i < 6; i++) {
            driver.pipe(prediction("c" + i).producer(i < 4 ? "camera-1" : "camera-2").predicted(3).truth(i % 2 == 0 ? 3 : 5)
                    .build(), BASE + i * 100);
            driver.pipe(prediction("c" + i).device("pi-2", INT8, Precision.INT8).producer(i < 4 ? "camera-1" : "camera-2")
                    .predicted(3).truth(3).build(), BASE + i * 100);
        }
        driver.pipe(prediction("old").build(), BASE);
        WindowStats camera1 = latest(StatsKey.camera("camera-1"));
        assertThat(camera1.frames()).isEqualTo(8);
        assertThat(camera1.correct()).isEqualTo(6);
        assertThat(camera1.latencyBound()).isNull();
        assertThat(latest(StatsKey.camera("camera-2")).frames()).isEqualTo(4);
        assertThat(latest(StatsKey.deviceType(FP32)).frames()).isEqualTo(7);
    }

    @Test
    void twoModelVersionsOnOneDeviceTypeAreCountedApartAndJudgedByTheTypesBound() {
        for (int i = 0; i < 10; i++) {
            driver.pipe(prediction("v1-" + i).predicted(3).truth(3).build(), BASE + i * 100);
            driver.pipe(prediction("v2-" + i).device("pi-2", FP32, Precision.FP32).modelVersion("2.0.0").predicted(3)
                    .truth(i < 4 ? 3 : 5).build(), BASE + i * 100);
        }
        WindowStats incumbent = latest(StatsKey.model(FP32, "cifar10-resnet9q", "1.0.0"));
        WindowStats candidate = latest(StatsKey.model(FP32, "cifar10-resnet9q", "2.0.0"));
        assertThat(incumbent.key()).isEqualTo(FP32 + "@cifar10-resnet9q:1.0.0");
        assertThat(incumbent.frames()).isEqualTo(10);
        assertThat(incumbent.accuracy()).isEqualTo(1.0);
        assertThat(candidate.frames()).isEqualTo(10);
        assertThat(candidate.accuracy()).isEqualTo(0.4);
        assertThat(latest(StatsKey.deviceType(FP32)).frames()).isEqualTo(20);
        assertThat(candidate.latencyBound()).isNotNull();
        assertThat(StatsKey.deviceTypeOfModel(candidate.key())).isEqualTo(FP32);
    }

    @Test
    void countsAccuracyAndThroughputUnderDeviceTypeDeviceAndPrecision() {
        // FP32 on pi-1: 10 frames with ground truth, 8 right.
        for (int i = 0; i < 10; i++) {
            driver.pipe(prediction("a" + i).predicted(3).truth(i < 8 ? 3 : 5).build(), BASE + i * 100);
        }
        // INT8 on pi-2: 8 frames with ground truth (7 right) and 2 without.
        for (int i = 0; i < 10; i++) {
            driver.pipe(prediction("b" + i).device("pi-2", INT8, Precision.INT8).predicted(1)
                    .truth(i < 7 ? Integer.valueOf(1) : i == 7 ? Integer.valueOf(2) : null).build(), BASE + i * 100);
        }

        WindowStats fp32 = latest(StatsKey.deviceType(FP32));
        assertThat(fp32.windowStart()).isEqualTo(BASE - 50 * SECOND);
        assertThat(fp32.windowEnd()).isEqualTo(BASE + 10 * SECOND);
        assertThat(fp32.view()).isEqualTo("1m");
        assertThat(fp32.frames()).isEqualTo(10);
        assertThat(fp32.framesWithGroundTruth()).isEqualTo(10);
        assertThat(fp32.correct()).isEqualTo(8);
        assertThat(fp32.accuracy()).isEqualTo(0.8);
        assertThat(fp32.throughputPerSecond()).isCloseTo(10 / 60.0, within(1e-12));

        WindowStats pi2 = latest(StatsKey.device("pi-2"));
        assertThat(pi2.frames()).isEqualTo(10);
        assertThat(pi2.framesWithGroundTruth()).isEqualTo(8);
        assertThat(pi2.correct()).isEqualTo(7);
        assertThat(pi2.accuracy()).isEqualTo(0.875);

        WindowStats int8 = latest(StatsKey.precision("INT8"));
        assertThat(int8.frames()).isEqualTo(10);
        assertThat(int8.correct()).isEqualTo(7);
        assertThat(latest(StatsKey.precision("FP32")).correct()).isEqualTo(8);
        assertThat(queries.stats(StatsKey.device("pi-9"), driver.shortView(), OptionalLong.empty())).isEmpty();
        assertThat(latest(StatsKey.model(INT8, "cifar10-resnet9q", "1.0.0")).correct()).isEqualTo(7);

        WindowStats longView = queries.stats(StatsKey.deviceType(FP32), driver.longView(), OptionalLong.empty()).orElseThrow();
        assertThat(longView.view()).isEqualTo("15m");
        assertThat(longView.windowStart()).isEqualTo(BASE - 14 * 60 * SECOND);
        assertThat(longView.frames()).isEqualTo(10);
        assertThat(longView.throughputPerSecond()).isCloseTo(10 / 900.0, within(1e-12));
    }

    @Test
    void predictionsWithAbsurdIdsAreSkippedAndCountedWhileTheOthersAreCounted() {
        String longType = "t".repeat(FieldLimits.MAX_ID_CHARS + 1);
        for (int i = 0; i < 30; i++) {
            Prediction prediction = switch (i % 3) {
                case 0 -> prediction("good-" + i).predicted(3).truth(3).build();
                case 1 -> prediction("long-type-" + i).device("pi-9", longType, Precision.FP32).build();
                default -> prediction("f".repeat(100_000) + i).build();
            };
            driver.pipe(prediction, BASE + i);
        }
        driver.pipe(TestRecords.deadLetter("d".repeat(FieldLimits.MAX_ID_CHARS + 1), FP32, FailureStage.DECODE), BASE + 40);

        // The good ten and the ten with absurd frame ids count in the statistics (their keys are the device's). Skipped:
        // the long device types by the statistics and by the join (10 + 10), the long frame ids by the join (10), and
        // the dead letter of an absurd device id (1).
        WindowStats fp32 = latest(StatsKey.deviceType(FP32));
        assertThat(fp32.frames()).isEqualTo(20);
        assertThat(fp32.errors()).isZero();
        assertThat(queries.stats(StatsKey.deviceType(longType), driver.shortView(), OptionalLong.empty())).isEmpty();
        assertThat(driver.metricTotal("invalid-record-drop-total")).isEqualTo(10 + 10 + 10 + 1);
        try (var frames = driver.frameVotes().all()) {
            frames.forEachRemaining(kv -> assertThat(kv.key.length()).isLessThanOrEqualTo(FieldLimits.MAX_ID_CHARS));
        }
    }

    @Test
    void latencyPercentilesOfAThousandFrames() {
        // Inference 1..1000 µs, on device 501..1500 µs, end to end 1..10 ms (100 frames each), all in one slice.
        for (int i = 1; i <= 1000; i++) {
            long timestamp = BASE + i * 9L;
            driver.pipe(prediction("f" + i).inferenceMicros(i).onDeviceMicros(500 + i)
                    .frameTimestamp(timestamp - (i % 10 + 1)).build(), timestamp);
        }
        WindowStats stats = latest(StatsKey.deviceType(FP32));
        assertThat(stats.frames()).isEqualTo(1000);

        LatencySummary inference = stats.inference();
        assertThat(inference.samples()).isEqualTo(1000);
        assertThat(inference.minMicros()).isEqualTo(1);
        assertThat(inference.maxMicros()).isEqualTo(1000);
        assertThat(values(inference)).containsExactly(500L, 900L, 950L, 990L, null);
        assertThat(inference.percentile("p99.9").verdict()).isEqualTo(PercentileValue.INSUFFICIENT);
        assertThat(inference.percentile("p99.9").samplesNeeded()).isEqualTo(10_000);
        assertThat(inference.percentile("p99").verdict()).isEqualTo(PercentileValue.OK);

        assertThat(values(stats.onDevice())).containsExactly(1000L, 1400L, 1450L, 1490L, null);
        assertThat(stats.onDevice().maxMicros()).isEqualTo(1500);

        LatencySummary endToEnd = stats.endToEnd();
        assertThat(values(endToEnd)).containsExactly(5000L, 9000L, 10_000L, 10_000L, null);
        assertThat(endToEnd.minMicros()).isEqualTo(1000);
        assertThat(endToEnd.maxMicros()).isEqualTo(10_000);
        // The default bound, p99 end to end within 100 ms: 1000 samples support p99, which is 10 ms.
        assertThat(stats.latencyBound()).isEqualTo(new LatencyBoundCheck(99.0, 100.0, 10.0, 1000, 1000, LatencyBoundVerdict.VALID));
    }

    @Test
    void everyWindowIsJudgedAgainstItsDeviceTypesBoundAndADeviceByTheTypeOfItsHeartbeat() {
        Properties properties = new Properties();
        properties.setProperty(AnalyticsSettings.GRACE, "30s");
        properties.setProperty(AnalyticsSettings.LATENCY_BOUND + "." + INT8, "p50:5ms");
        properties.setProperty(AnalyticsSettings.LATENCY_BOUND + "." + ORT_FP32, "p50:20ms");
        try (AnalyticsTestDriver bounded =
                new AnalyticsTestDriver(AnalyticsSettings.fromProperties(properties), Instant.ofEpochMilli(BASE))) {
            // End to end 1..20 ms for each type: p50 is 10 ms.
            for (int i = 1; i <= 20; i++) {
                long t = BASE + i * 100L;
                bounded.pipe(prediction("f" + i).frameTimestamp(t - i).build(), t);
                bounded.pipe(prediction("f" + i).device("pi-2", INT8, Precision.INT8).frameTimestamp(t - i).build(), t);
                bounded.pipe(prediction("f" + i).device("pi-3", ORT_FP32, Precision.FP32).frameTimestamp(t - i).build(), t);
            }
            bounded.pipe(TestRecords.heartbeat("pi-2", INT8, Precision.INT8, BASE), BASE + 2100);
            StatsQueries boundedQueries = bounded.queries();
            Function<StatsKey, WindowStats> latestOf =
                    key -> boundedQueries.stats(key, bounded.shortView(), OptionalLong.empty()).orElseThrow();

            assertThat(latestOf.apply(StatsKey.deviceType(INT8)).latencyBound())
                    .isEqualTo(new LatencyBoundCheck(50.0, 5.0, 10.0, 20, 20, LatencyBoundVerdict.INVALID));
            assertThat(latestOf.apply(StatsKey.deviceType(ORT_FP32)).latencyBound())
                    .isEqualTo(new LatencyBoundCheck(50.0, 20.0, 10.0, 20, 20, LatencyBoundVerdict.VALID));
            // FP32 has no override: p99 within 100 ms needs 1000 samples.
            assertThat(latestOf.apply(StatsKey.deviceType(FP32)).latencyBound())
                    .isEqualTo(new LatencyBoundCheck(99.0, 100.0, null, 20, 1000, LatencyBoundVerdict.INSUFFICIENT_SAMPLES));
            assertThat(latestOf.apply(StatsKey.device("pi-2")).latencyBound().verdict()).isEqualTo(LatencyBoundVerdict.INVALID);
            assertThat(latestOf.apply(StatsKey.device("pi-3")).latencyBound()).as("no heartbeat names pi-3's type").isNull();
            assertThat(latestOf.apply(StatsKey.precision("INT8")).latencyBound()).isNull();

            TimeSeries series = boundedQueries.timeSeries(StatsKey.deviceType(INT8), bounded.shortView(), 2).orElseThrow();
            assertThat(series.windows()).extracting(w -> w.latencyBound().verdict())
                    .containsExactly(LatencyBoundVerdict.INSUFFICIENT_SAMPLES, LatencyBoundVerdict.INVALID);
        }
    }

    @Test
    void percentilesNeedTenSamplesAtOrBeyondThem() {
        for (int i = 1; i <= 19; i++) {
            driver.pipe(prediction("f" + i).inferenceMicros(i * 10L).build(), BASE + i);
        }
        LatencySummary nineteen = latest(StatsKey.deviceType(FP32)).inference();
        assertThat(values(nineteen)).containsExactly(null, null, null, null, null);
        assertThat(nineteen.percentile("p50").samplesNeeded()).isEqualTo(20);
        assertThat(nineteen.maxMicros()).isEqualTo(190);
        assertThat(latest(StatsKey.deviceType(FP32)).latencyBound().verdict()).isEqualTo(LatencyBoundVerdict.INSUFFICIENT_SAMPLES);

        driver.pipe(prediction("f20").inferenceMicros(200).build(), BASE + 20);
        LatencySummary twenty = latest(StatsKey.deviceType(FP32)).inference();
        assertThat(values(twenty)).containsExactly(100L, null, null, null, null);
        assertThat(twenty.percentile("p90").verdict()).isEqualTo(PercentileValue.INSUFFICIENT);
        assertThat(twenty.percentile("p90").samplesNeeded()).isEqualTo(100);
        assertThat(twenty.percentile("p95").samplesNeeded()).isEqualTo(200);
        assertThat(twenty.percentile("p99").samplesNeeded()).isEqualTo(1000);
    }

    @Test
    void confusionMatrixIsSizedByTheClassesSeen() {
        int[][] truthAndPredicted = {{3, 3}, {3, 3}, {3, 5}, {5, 3}, {0, 0}};
        for (int i = 0; i < truthAndPredicted.length; i++) {
            driver.pipe(prediction("f" + i).truth(truthAndPredicted[i][0]).predicted(truthAndPredicted[i][1]).build(), BASE + i);
        }
        driver.pipe(prediction("no-truth").predicted(3).build(), BASE + 10);

        ConfusionReport report = queries.confusion(FP32, driver.shortView(), OptionalLong.empty()).orElseThrow();
        assertThat(report.labels()).containsExactly("airplane", "1", "2", "cat", "4", "dog");
        assertThat(report.matrix()).hasSize(6);
        assertThat(report.matrix().get(3)).containsExactly(0L, 0L, 0L, 2L, 0L, 1L);
        assertThat(report.matrix().get(5)).containsExactly(0L, 0L, 0L, 1L, 0L, 0L);
        assertThat(report.matrix().get(0)).containsExactly(1L, 0L, 0L, 0L, 0L, 0L);
        assertThat(report.matrix().get(1)).containsOnly(0L);
        assertThat(report.framesWithGroundTruth()).isEqualTo(5);
        assertThat(report.correct()).isEqualTo(3);
        assertThat(report.accuracy()).isEqualTo(0.6);
        assertThat(queries.confusion(INT8, driver.shortView(), OptionalLong.empty())).isEmpty();
    }

    @Test
    void agreementOfEveryPairAndAgainstTheReference() {
        for (int i = 0; i < 10; i++) {
            long t = BASE + i * 100;
            driver.pipe(prediction("f" + i).predicted(3).build(), t);
            // INT8 differs from the reference on f0 and f1, ONNX Runtime on f9.
            driver.pipe(prediction("f" + i).device("pi-2", INT8, Precision.INT8).predicted(i < 2 ? 5 : 3).build(), t + 10);
            driver.pipe(prediction("f" + i).device("pi-3", ORT_FP32, Precision.FP32).predicted(i == 9 ? 8 : 3).build(), t + 20);
        }
        // A second INT8 prediction of f5 (another device of the type) does not count again.
        driver.pipe(prediction("f5").device("pi-4", INT8, Precision.INT8).predicted(7).build(), BASE + 2000);

        AgreementReport report = AgreementReport.of(FP32, "1m", queries.agreementPairs(driver.shortView(), OptionalLong.empty()));
        assertThat(report.deviceTypes()).containsExactly(ORT_FP32, FP32, INT8);
        assertThat(report.pairs()).containsExactly(
                new PairAgreement(ORT_FP32, FP32, BASE - 50 * SECOND, BASE + 10 * SECOND, 10, 1, 0.1),
                new PairAgreement(ORT_FP32, INT8, BASE - 50 * SECOND, BASE + 10 * SECOND, 10, 3, 0.3),
                new PairAgreement(FP32, INT8, BASE - 50 * SECOND, BASE + 10 * SECOND, 10, 2, 0.2));
        assertThat(report.againstReference()).containsExactly(
                new AgreementReport.ReferenceAgreement(ORT_FP32, BASE - 50 * SECOND, BASE + 10 * SECOND, 10, 1, 0.1),
                new AgreementReport.ReferenceAgreement(INT8, BASE - 50 * SECOND, BASE + 10 * SECOND, 10, 2, 0.2));
    }

    @Test
    void framesOutsideTheJoinWindowAreNotJoinedAndThePunctuatorDropsThem() {
        driver.pipe(prediction("old").predicted(3).build(), BASE);
        assertThat(driver.frameVotes().get("old")).isNotNull();

        // Stream time moves six minutes on; the punctuator runs on wall-clock time and drops frames older than 5 minutes.
        driver.pipe(prediction("new").predicted(3).build(), BASE + 6 * 60 * SECOND);
        assertThat(driver.frameVotes().get("old")).isNotNull();
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(driver.frameVotes().get("old")).isNull();
        assertThat(driver.frameVotes().get("new")).isNotNull();

        driver.pipe(prediction("old").device("pi-2", INT8, Precision.INT8).predicted(5).build(), BASE + 6 * 60 * SECOND);
        driver.pipe(prediction("new").device("pi-2", INT8, Precision.INT8).predicted(5).build(), BASE + 6 * 60 * SECOND);
        List<PairAgreement> pairs = queries.agreementPairs(driver.shortView(), OptionalLong.empty());
        assertThat(pairs).singleElement().satisfies(pair -> {
            assertThat(pair.compared()).isEqualTo(1);
            assertThat(pair.differing()).isEqualTo(1);
        });
    }

    @Test
    void windowBoundariesAreInclusiveAtTheStartAndExclusiveAtTheEnd() {
        driver.pipe(prediction("f1").build(), BASE);
        driver.pipe(prediction("f2").build(), BASE + 59_999);
        driver.pipe(prediction("f3").build(), BASE + 60_000);
        StatsKey key = StatsKey.deviceType(FP32);

        assertThat(window(key, BASE).frames()).isEqualTo(2);
        assertThat(window(key, BASE + 10 * SECOND).frames()).isEqualTo(2);
        assertThat(window(key, BASE + 50 * SECOND).frames()).isEqualTo(2);
        assertThat(window(key, BASE + 60 * SECOND).frames()).isEqualTo(1);
        assertThat(window(key, BASE - 10 * SECOND).frames()).isEqualTo(1);
        assertThat(window(key, BASE + 120 * SECOND).frames()).isZero();

        // The latest window is the one ending with the newest slice: [BASE + 10 s, BASE + 70 s).
        assertThat(latest(key).windowStart()).isEqualTo(BASE + 10 * SECOND);
        assertThat(latest(key).frames()).isEqualTo(2);

        TimeSeries series = queries.timeSeries(key, driver.shortView(), 3).orElseThrow();
        assertThat(series.windows()).extracting(WindowStats::windowStart)
                .containsExactly(BASE - 10 * SECOND, BASE, BASE + 10 * SECOND);
        assertThat(series.windows()).extracting(WindowStats::frames).containsExactly(1L, 2L, 2L);

        // The 15-minute view: its newest slice is the minute [BASE + 1 min, BASE + 2 min).
        WindowStats longView = queries.stats(key, driver.longView(), OptionalLong.empty()).orElseThrow();
        assertThat(longView.windowStart()).isEqualTo(BASE - 13 * 60 * SECOND);
        assertThat(longView.frames()).isEqualTo(3);
        assertThat(queries.stats(key, driver.longView(), OptionalLong.of(BASE - 14 * 60 * SECOND)).orElseThrow().frames())
                .isEqualTo(2);
    }

    @Test
    void lateRecordsCountWithinTheGraceAndAreDroppedAfterIt() {
        driver.pipe(prediction("on-time").build(), BASE + SECOND);
        driver.pipe(prediction("moves-stream-time").build(), BASE + 100 * SECOND);
        // Stream time is BASE + 100 s and the grace 30 s: slices ending after BASE + 70 s still take records.
        driver.pipe(prediction("late-in-grace").build(), BASE + 75 * SECOND);
        driver.pipe(prediction("late-at-the-edge").build(), BASE + 69_999);
        driver.pipe(prediction("too-late").build(), BASE + 5 * SECOND);
        StatsKey key = StatsKey.deviceType(FP32);

        assertThat(window(key, BASE).frames()).as("[0 s, 60 s): on-time only, too-late dropped").isEqualTo(1);
        assertThat(window(key, BASE + 10 * SECOND).frames()).as("[10 s, 70 s): the record at the edge was dropped").isZero();
        assertThat(window(key, BASE + 20 * SECOND).frames()).as("[20 s, 80 s): late-in-grace").isEqualTo(1);
        assertThat(window(key, BASE + 50 * SECOND).frames()).as("[50 s, 110 s): late-in-grace and 100 s").isEqualTo(2);
    }

    @Test
    void deadLettersErrorsAndRejectedPredictions() {
        driver.pipe(prediction("ok").build(), BASE);
        driver.pipe(prediction("bad-class").predicted(1000).build(), BASE + 1);
        driver.pipe(prediction("bad-truth").truth(-2).build(), BASE + 2);
        driver.pipe(TestRecords.deadLetter("pi-1", FP32, FailureStage.INFERENCE), BASE + 3);
        driver.pipe(TestRecords.deadLetter("pi-1", FP32, FailureStage.DESERIALIZE), BASE + 4);
        driver.pipe(TestRecords.deadLetter(null, null, FailureStage.DESERIALIZE), BASE + 5);

        WindowStats type = latest(StatsKey.deviceType(FP32));
        assertThat(type.frames()).isEqualTo(1);
        assertThat(type.rejected()).isEqualTo(2);
        assertThat(type.deadLetters()).isEqualTo(2);
        assertThat(type.errors()).isEqualTo(1);
        WindowStats device = latest(StatsKey.device("pi-1"));
        assertThat(device.deadLetters()).isEqualTo(2);
        assertThat(device.errors()).isEqualTo(1);
        // Dead letters have no model, so the precision counts only predictions.
        assertThat(latest(StatsKey.precision("FP32")).deadLetters()).isZero();
        assertThat(latest(StatsKey.precision("FP32")).rejected()).isEqualTo(2);
    }

    @Test
    void deviceTypesFromStatisticsAndHeartbeats() {
        driver.pipe(prediction("f1").build(), BASE);
        driver.pipe(TestRecords.heartbeat("pi-2", INT8, Precision.INT8, BASE), BASE);
        driver.pipe(TestRecords.heartbeat("pi-1", FP32, Precision.FP32, BASE + 5), BASE + 5);

        List<DeviceTypeSummary> types = queries.deviceTypes();
        assertThat(types).extracting(DeviceTypeSummary::deviceType).containsExactly(FP32, INT8);
        assertThat(types.get(0).devices()).singleElement().satisfies(device -> {
            assertThat(device.deviceId()).isEqualTo("pi-1");
            assertThat(device.precision()).isEqualTo("FP32");
            assertThat(device.lastHeartbeat()).isEqualTo(BASE + 5);
            assertThat(device.framesProcessed()).isEqualTo(42);
            assertThat(device.consumerLag()).isEqualTo(7);
        });
        assertThat(types.get(1).devices()).extracting(DeviceTypeSummary.Device::deviceId).containsExactly("pi-2");
    }

    private static List<Long> values(LatencySummary summary) {
        return summary.percentiles().stream().map(PercentileValue::micros).toList();
    }
}
