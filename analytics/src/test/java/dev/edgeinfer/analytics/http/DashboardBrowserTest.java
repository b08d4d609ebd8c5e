package dev.edgeinfer.analytics.http;

import static dev.edgeinfer.analytics.topology.TestRecords.FP32;
import static dev.edgeinfer.analytics.topology.TestRecords.INT8;
import static dev.edgeinfer.analytics.topology.TestRecords.prediction;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.query.SingleInstanceDirectory;
import dev.edgeinfer.analytics.topology.AnalyticsTestDriver;
import dev.edgeinfer.avro.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the dashboard in headless Chromium and checks that the page shows the numbers the API returns. Needs
 * Debian's {@code chromium} package ({@code apt-get install -y chromium}); skipped, saying so, only when no
 * Chromium executable is found.
 */
class DashboardBrowserTest {

    static final long BASE = 1_700_000_040_000L;
    /** Sorts after the other two, so the confusion matrix shown first stays FP32's. */
    static final String GPU_FP16 = "openvino-gpu-fp16";
    private static final Pattern TEST_CELL = Pattern.compile("data-testid=\"([^\"]+)\"[^>]*>([^<]*)<");

    @TempDir
    Path profile;

    private AnalyticsTestDriver driver;
    private ApiTestServer api;

    @BeforeEach
    void start() {
        // FP32 within p90:10ms, INT8 over p90:5ms, GPU FP16 on the default p99:100ms, which 5 frames cannot support.
        Properties bounds = new Properties();
        bounds.setProperty(AnalyticsSettings.LATENCY_BOUND + "." + FP32, "p90:10ms");
        bounds.setProperty(AnalyticsSettings.LATENCY_BOUND + "." + INT8, "p90:5ms");
        driver = new AnalyticsTestDriver(AnalyticsSettings.fromProperties(bounds), Instant.ofEpochMilli(BASE));
        // FP32: 120 frames, 90 right, inference 5..600 µs, end to end 1..4 ms. INT8: the same frames, 12 differing, end
        // to end 7 ms. GPU FP16: 5 frames of its own, so that it is in no agreement pair.
        for (int i = 1; i <= 120; i++) {
            long t = BASE + i * 50L;
            driver.pipe(prediction("f" + i).predicted(i % 4 == 0 ? 5 : 3).truth(3).inferenceMicros(i * 5L)
                    .frameTimestamp(t - (i % 4 + 1)).build(), t);
            driver.pipe(prediction("f" + i).device("pi-2", INT8, Precision.INT8).predicted(i <= 12 ? 8 : i % 4 == 0 ? 5 : 3)
                    .truth(3).inferenceMicros(i * 2L).frameTimestamp(t - 2).build(), t + 5);
        }
        for (int i = 1; i <= 5; i++) {
            long t = BASE + i * 50L;
            driver.pipe(prediction("gpu-" + i).device("pi-3", GPU_FP16, Precision.FP16).truth(3).frameTimestamp(t - 3).build(), t);
        }
        api = new ApiTestServer(driver, SingleInstanceDirectory::new);
    }

    @AfterEach
    void stop() {
        api.close();
        driver.close();
    }

    @Test
    void dashboardShowsTheNumbersOfTheApi() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(profile);

        Map<String, String> cells = renderedCells(chromium);

        for (String type : List.of(FP32, INT8, GPU_FP16)) {
            JsonNode stats = api.json("/api/stats/device-type/" + type);
            assertThat(cells.get("frames:" + type)).isEqualTo(stats.get("frames").asText());
            assertThat(cells.get("accuracy:" + type)).isEqualTo(percent(stats.get("accuracy").asDouble()));
            assertThat(cells.get("inference-p50:" + type)).isEqualTo(percentileText(stats.get("inference"), "p50"));
            assertThat(cells.get("inference-p90:" + type)).isEqualTo(percentileText(stats.get("inference"), "p90"));
            assertThat(cells.get("inference-p99:" + type)).isEqualTo(percentileText(stats.get("inference"), "p99"));
            assertThat(cells.get("e2e-p50:" + type)).isEqualTo(percentileText(stats.get("endToEnd"), "p50"));
            assertThat(cells.get("e2e-max:" + type)).isEqualTo(millis(stats.get("endToEnd").get("maxMicros").asLong()));
            assertThat(cells.get("bound-verdict:" + type)).isEqualTo(stats.get("latencyBound").get("verdict").asText());
        }
        // The figures themselves, so a page and API that agree on nonsense still fail.
        assertThat(cells.get("frames:" + FP32)).isEqualTo("120");
        assertThat(cells.get("accuracy:" + FP32)).isEqualTo("75.00%");
        assertThat(cells.get("inference-p50:" + FP32)).isEqualTo("0.300");
        assertThat(cells.get("inference-p90:" + FP32)).isEqualTo("0.540");
        assertThat(cells.get("inference-p99:" + FP32)).isEqualTo("insufficient samples (needs 1000)");
        assertThat(cells.get("e2e-p50:" + FP32)).isEqualTo("2.000");
        assertThat(cells.get("e2e-max:" + FP32)).isEqualTo("4.000");
        assertThat(cells.get("bound-verdict:" + FP32)).isEqualTo("VALID");
        assertThat(cells.get("bound-detail:" + FP32)).isEqualTo("p90 4.000 ms ≤ 10 ms");
        assertThat(cells.get("bound-verdict:" + INT8)).isEqualTo("INVALID");
        assertThat(cells.get("bound-detail:" + INT8)).isEqualTo("p90 7.000 ms > 5 ms");
        assertThat(cells.get("bound-verdict:" + GPU_FP16)).isEqualTo("INSUFFICIENT_SAMPLES");
        assertThat(cells.get("bound-detail:" + GPU_FP16)).isEqualTo("p99 ≤ 100 ms: n=5 of 1000");
        assertThat(cells.get("accuracy:" + INT8)).isEqualTo("67.50%");

        JsonNode confusion = api.json("/api/confusion/" + FP32);
        for (int truth = 0; truth < confusion.get("matrix").size(); truth++) {
            for (int predicted = 0; predicted < confusion.get("matrix").size(); predicted++) {
                assertThat(cells.get("confusion:" + truth + ":" + predicted)).as("confusion cell %d,%d", truth, predicted)
                        .isEqualTo(confusion.get("matrix").get(truth).get(predicted).asText());
            }
        }
        assertThat(cells.get("confusion:3:3")).isEqualTo("90");
        assertThat(cells.get("confusion:3:5")).isEqualTo("30");

        JsonNode pair = api.json("/api/agreement").get("pairs").get(0);
        String expected = percent(pair.get("disagreement").asDouble());
        assertThat(cells.get("agreement:" + FP32 + ":" + INT8)).isEqualTo(expected).isEqualTo("10.00%");
        assertThat(cells.get("agreement:" + INT8 + ":" + FP32)).isEqualTo(expected);
    }

    private Map<String, String> renderedCells(HeadlessChromium chromium) throws IOException, InterruptedException {
        String dom = chromium.dumpDom(api.url("/"));
        assertThat(dom).as("the page finished its first refresh; Chromium's log:\n%s", Files.readString(chromium.log()))
                .contains("data-loaded=\"true\"");
        Map<String, String> cells = new HashMap<>();
        Matcher matcher = TEST_CELL.matcher(dom);
        while (matcher.find()) {
            cells.put(matcher.group(1), unescape(matcher.group(2)));
        }
        return cells;
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.2f%%", ratio * 100);
    }

    private static String percentileText(JsonNode latency, String name) {
        for (JsonNode percentile : latency.get("percentiles")) {
            if (percentile.get("name").asText().equals(name)) {
                return percentile.get("micros").isNull()
                        ? "insufficient samples (needs " + percentile.get("samplesNeeded").asText() + ")"
                        : millis(percentile.get("micros").asLong());
            }
        }
        throw new AssertionError("No percentile " + name);
    }

    /** Microseconds as the page shows them: milliseconds to the microsecond. */
    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
    }
}
