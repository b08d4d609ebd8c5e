package dev.edgeinfer.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnalyticsAppTest {

    @Test
    void parsesEveryOption() {
        AnalyticsApp app = new AnalyticsApp();
        new CommandLine(app).parseArgs("--bootstrap-servers", "b:9092", "--schema-registry-url", "http://r:8081",
                "--config", "client.properties", "--http-port", "8080", "--advertised-host", "analytics-1",
                "--state-dir", "state", "--application-id", "my-analytics", "--reference-device-type", "onnxruntime-cpu-fp32",
                "--window-size", "2m", "--window-advance", "20s", "--long-window-size", "30m", "--long-window-advance", "2m",
                "--grace", "1m", "--latency-bound", "p95:80ms,openvino-cpu-int8=p99:40ms", "--latency-bound", "x=p90:1s",
                "--no-create-topics");
        assertThat(app.connection.bootstrapServers()).isEqualTo("b:9092");
        assertThat(app.connection.schemaRegistryUrl()).isEqualTo("http://r:8081");
        assertThat(app.connection.configFile()).isEqualTo(Path.of("client.properties"));
        assertThat(app.httpPort).isEqualTo(8080);
        assertThat(app.advertisedHost).isEqualTo("analytics-1");
        assertThat(app.stateDir).isEqualTo(Path.of("state"));
        assertThat(app.applicationId).isEqualTo("my-analytics");
        assertThat(app.referenceDeviceType).isEqualTo("onnxruntime-cpu-fp32");
        assertThat(app.windowSize).isEqualTo("2m");
        assertThat(app.windowAdvance).isEqualTo("20s");
        assertThat(app.longWindowSize).isEqualTo("30m");
        assertThat(app.longWindowAdvance).isEqualTo("2m");
        assertThat(app.grace).isEqualTo("1m");
        assertThat(app.latencyBounds).containsExactly("p95:80ms", "openvino-cpu-int8=p99:40ms", "x=p90:1s");
        assertThat(app.createTopics).isFalse();
    }

    @Test
    void defaultsAndHelp() {
        AnalyticsApp app = new AnalyticsApp();
        new CommandLine(app).parseArgs();
        assertThat(app.httpPort).isEqualTo(7070);
        assertThat(app.advertisedHost).isEqualTo("localhost");
        assertThat(app.createTopics).isTrue();

        StringWriter help = new StringWriter();
        int exit = new CommandLine(new AnalyticsApp()).setOut(new PrintWriter(help)).execute("--help");
        assertThat(exit).isZero();
        assertThat(help.toString()).contains("--bootstrap-servers", "--reference-device-type", "--http-port", "--latency-bound");
    }

    @Test
    void configurationMistakesAreOneLineAndExitCodeTwo() {
        StringWriter err = new StringWriter();
        int exit = AnalyticsApp.commandLine().setErr(new PrintWriter(err)).execute("--no-create-topics");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("Configuration error: No bootstrap servers").doesNotContain("\tat ");

        StringWriter badWindow = new StringWriter();
        exit = AnalyticsApp.commandLine().setErr(new PrintWriter(badWindow))
                .execute("--bootstrap-servers", "b:9092", "--schema-registry-url", "http://r:8081", "--no-create-topics",
                        "--window-advance", "7s");
        assertThat(exit).isEqualTo(2);
        assertThat(badWindow.toString()).contains("multiple of its advance");

        StringWriter badBound = new StringWriter();
        exit = AnalyticsApp.commandLine().setErr(new PrintWriter(badBound))
                .execute("--bootstrap-servers", "b:9092", "--schema-registry-url", "http://r:8081", "--no-create-topics", "--latency-bound",
                        "p99:100ms,openvino-cpu-int8=p99-40ms");
        assertThat(exit).isEqualTo(2);
        assertThat(badBound.toString())
                .startsWith("Configuration error: --latency-bound 'openvino-cpu-int8=p99-40ms': Not a latency bound: 'p99-40ms'")
                .doesNotContain("\tat ");

        StringWriter weakToken = new StringWriter();
        exit = AnalyticsApp.commandLine().setErr(new PrintWriter(weakToken))
                .execute("--bootstrap-servers", "b:9092", "--schema-registry-url", "http://r:8081", "--no-create-topics", "--api-token",
                        "secret");
        assertThat(exit).isEqualTo(2);
        assertThat(weakToken.toString()).startsWith("Configuration error: The API token must have at least 16 characters")
                .doesNotContain("secret");
    }

    @Test
    void aMalformedLatencyBoundInTheFileNamesItsKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "analytics.latency.bound.openvino-cpu-int8=p101:40ms\n");
        StringWriter err = new StringWriter();
        int exit = AnalyticsApp.commandLine().setErr(new PrintWriter(err))
                .execute("--bootstrap-servers", "b:9092", "--schema-registry-url", "http://r:8081", "--no-create-topics",
                        "--config", file.toString());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("Configuration error: analytics.latency.bound.openvino-cpu-int8: "
                + "Not a latency bound: 'p101:40ms'").contains("above 0 and below 100");
    }

    @Test
    void theApiTokenComesFromTheOption() {
        AnalyticsApp app = new AnalyticsApp();
        new CommandLine(app).parseArgs("--api-token", "0123456789abcdef0123");
        assertThat(app.apiToken).isEqualTo("0123456789abcdef0123");
    }
}
