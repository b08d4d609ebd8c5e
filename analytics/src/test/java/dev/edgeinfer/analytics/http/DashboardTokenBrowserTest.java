package dev.edgeinfer.analytics.http;

import static dev.edgeinfer.analytics.topology.TestRecords.FP32;
import static dev.edgeinfer.analytics.topology.TestRecords.prediction;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.query.SingleInstanceDirectory;
import dev.edgeinfer.analytics.topology.AnalyticsTestDriver;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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
        Optional<Path> chromium = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(dir -> Stream.of("chromium", "chromium-browser").map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(chromium.isPresent(),
                "No Chromium executable (chromium, chromium-browser) found: install it with 'apt-get install -y chromium'");

        String dom = render(chromium.get(), api.url("/#token=" + TOKEN));
        assertThat(dom).contains("data-loaded=\"true\"");
        assertThat(dom).contains("data-testid=\"frames:" + FP32 + "\">12<");
        assertThat(dom).containsPattern("<form id=\"token-form\" hidden");
    }

    private String render(Path chromium, String url) throws Exception {
        Path out = profile.resolve("dom.html");
        Path err = profile.resolve("chromium.log");
        Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile.resolve("user-data"),
                "--virtual-time-budget=15000", "--dump-dom", url)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 240 s; its log:\n" + Files.readString(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
