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
    private static final Pattern TEST_CELL = Pattern.compile("data-testid=\"([^\"]+)\"[^>]*>([^<]*)<");

    @TempDir
    Path profile;

    private AnalyticsTestDriver driver;
    private ApiTestServer api;

    @BeforeEach
    void start() {
        driver = new AnalyticsTestDriver(AnalyticsSettings.defaults(), Instant.ofEpochMilli(BASE));
        // FP32: 120 frames, 90 right, inference 5..600 µs, end to end 1..4 ms. INT8: the same frames, 12 differing.
        for (int i = 1; i <= 120; i++) {
            long t = BASE + i * 50L;
            driver.pipe(prediction("f" + i).predicted(i % 4 == 0 ? 5 : 3).truth(3).inferenceMicros(i * 5L)
                    .frameTimestamp(t - (i % 4 + 1)).build(), t);
            driver.pipe(prediction("f" + i).device("pi-2", INT8, Precision.INT8).predicted(i <= 12 ? 8 : i % 4 == 0 ? 5 : 3)
                    .truth(3).inferenceMicros(i * 2L).frameTimestamp(t - 2).build(), t + 5);
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

        for (String type : List.of(FP32, INT8)) {
            JsonNode stats = api.json("/api/stats/device-type/" + type);
            assertThat(cells.get("frames:" + type)).isEqualTo(stats.get("frames").asText());
            assertThat(cells.get("accuracy:" + type)).isEqualTo(percent(stats.get("accuracy").asDouble()));
            assertThat(cells.get("inference-p50:" + type)).isEqualTo(percentileText(stats.get("inference"), "p50"));
            assertThat(cells.get("inference-p90:" + type)).isEqualTo(percentileText(stats.get("inference"), "p90"));
            assertThat(cells.get("inference-p99:" + type)).isEqualTo(percentileText(stats.get("inference"), "p99"));
            assertThat(cells.get("e2e-p50:" + type)).isEqualTo(percentileText(stats.get("endToEnd"), "p50"));
            assertThat(cells.get("e2e-max:" + type)).isEqualTo(stats.get("endToEnd").get("maxMicros").asText());
        }
        // The figures themselves, so a page and API that agree on nonsense still fail.
        assertThat(cells.get("frames:" + FP32)).isEqualTo("120");
        assertThat(cells.get("accuracy:" + FP32)).isEqualTo("75.00%");
        assertThat(cells.get("inference-p50:" + FP32)).isEqualTo("300");
        assertThat(cells.get("inference-p90:" + FP32)).isEqualTo("540");
        assertThat(cells.get("inference-p99:" + FP32)).isEqualTo("insufficient samples (needs 1000)");
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
                        : percentile.get("micros").asText();
            }
        }
        throw new AssertionError("No percentile " + name);
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
    }
}
