package dev.edgeinfer.analytics.http;

import static dev.edgeinfer.analytics.topology.TestRecords.FP32;
import static dev.edgeinfer.analytics.topology.TestRecords.prediction;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.query.SingleInstanceDirectory;
import dev.edgeinfer.analytics.topology.AnalyticsTestDriver;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard of an API that requires a token, in headless Chromium: given the token in the address fragment it
 * shows the data. Needs Debian's {@code chromium} package; skipped, saying so, only when no Chromium is found.
 */
class DashboardTokenBrowserTest {

    static final long BASE = 1_700_000_040_000L;
    static final String TOKEN = "dashboard-token-0123456789abcdef";

    @TempDir
    Path profile;

    private AnalyticsTestDriver driver;
    private ApiTestServer api;

    @BeforeEach
    void start() {
        driver = new AnalyticsTestDriver(AnalyticsSettings.defaults(), Instant.ofEpochMilli(BASE));
        for (int i = 1; i <= 12; i++) {
            driver.pipe(prediction("f" + i).predicted(3).truth(3).build(), BASE + i);
        }
        api = new ApiTestServer(driver, ApiTestServer.freePort(), SingleInstanceDirectory::new, ApiToken.of(TOKEN));
    }

    @AfterEach
    void stop() {
        api.close();
        driver.close();
    }

    @Test
    void theTokenInTheAddressFragmentOpensTheData() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(profile);

        String dom = chromium.dumpDom(api.url("/#token=" + TOKEN));
        assertThat(dom).contains("data-loaded=\"true\"");
        assertThat(dom).contains("data-testid=\"frames:" + FP32 + "\">12<");
        assertThat(dom).containsPattern("<form id=\"token-form\" hidden");
    }
}
