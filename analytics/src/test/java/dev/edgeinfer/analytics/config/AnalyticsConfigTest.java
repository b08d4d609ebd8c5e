package dev.edgeinfer.analytics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.schemas.config.ClientConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyticsConfigTest {

    @TempDir
    Path dir;

    @Test
    void fileSettingsWinOverDefaultsAndCommandLineAddressesWinOverTheFile() throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, String.join("\n",
                "bootstrap.servers=file:9092",
                "num.standby.replicas=0",
                "security.protocol=SASL_SSL",
                "analytics.reference.device.type=onnxruntime-cpu-fp32",
                "analytics.window.short.size=2m",
                "analytics.window.short.advance=30s",
                "analytics.window.grace=PT1M",
                "analytics.latency.bound.openvino-cpu-int8=p90:50ms"));
        Map<String, Object> client = ClientConfig.load(file, "cli:9092", "http://registry:8081");

        Properties props = AnalyticsConfig.streamsConfig(client, null, dir.resolve("state"), "host-a:7070");
        assertThat(props.get("bootstrap.servers")).isEqualTo("cli:9092");
        assertThat(props.get("num.standby.replicas")).isEqualTo("0");
        assertThat(props.get("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo(AnalyticsConfig.DEFAULT_APPLICATION_ID);
        assertThat(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("host-a:7070");
        assertThat(props.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(dir.resolve("state").toString());
        assertThat(props.get("schema.registry.url")).isEqualTo("http://registry:8081");
        assertThat(props.stringPropertyNames()).noneMatch(key -> key.startsWith("analytics."));

        AnalyticsSettings settings = AnalyticsConfig.settings(client);
        assertThat(settings.referenceDeviceType()).isEqualTo("onnxruntime-cpu-fp32");
        assertThat(settings.shortView())
                .isEqualTo(new WindowView("2m", Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofHours(2)));
        assertThat(settings.grace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.longView().name()).isEqualTo("15m");
        assertThat(settings.latencyBounds().forDeviceType("openvino-cpu-int8")).isEqualTo(new LatencyBound(90, Duration.ofMillis(50)));
        assertThat(settings.latencyBounds().forDeviceType("openvino-cpu-fp32")).isEqualTo(new LatencyBound(99, Duration.ofMillis(100)));
    }

    @Test
    void defaults() {
        Properties props = AnalyticsConfig.streamsConfig(Map.of("bootstrap.servers", "b:9092"), "my-app", null, null);
        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("my-app");
        assertThat(props.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(1);
        assertThat(props).doesNotContainKey(StreamsConfig.APPLICATION_SERVER_CONFIG);

        AnalyticsSettings settings = AnalyticsSettings.defaults();
        assertThat(settings.shortView())
                .isEqualTo(new WindowView("1m", Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofHours(2)));
        assertThat(settings.longView()).isEqualTo(new WindowView("15m", Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofDays(1)));
        assertThat(settings.grace()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.referenceDeviceType()).isEqualTo("openvino-cpu-fp32");
        assertThat(settings.agreementJoinWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.maxClasses()).isEqualTo(1000);
        assertThat(settings.httpIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.httpForwardTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void httpTimeoutsFromTheFileAndTheIdleTimeoutOutlastsTheForwardTimeout() {
        AnalyticsSettings settings = AnalyticsConfig.settings(Map.of("bootstrap.servers", "b:9092",
                AnalyticsSettings.HTTP_IDLE_TIMEOUT, "2m", AnalyticsSettings.HTTP_FORWARD_TIMEOUT, "1500ms"));
        assertThat(settings.httpIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.httpForwardTimeout()).isEqualTo(Duration.ofMillis(1500));

        Properties shortIdle = new Properties();
        shortIdle.setProperty(AnalyticsSettings.HTTP_IDLE_TIMEOUT, "10s");
        assertThatThrownBy(() -> AnalyticsSettings.fromProperties(shortIdle))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(AnalyticsSettings.HTTP_IDLE_TIMEOUT).hasMessageContaining("longer than");

        Properties noForward = new Properties();
        noForward.setProperty(AnalyticsSettings.HTTP_FORWARD_TIMEOUT, "0s");
        assertThatThrownBy(() -> AnalyticsSettings.fromProperties(noForward)).hasMessageContaining("must be positive");
    }

    @Test
    void malformedSettingsNameTheirKey() {
        Properties bad = new Properties();
        bad.setProperty(AnalyticsSettings.SHORT_ADVANCE, "7x");
        assertThatThrownBy(() -> AnalyticsSettings.fromProperties(bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(AnalyticsSettings.SHORT_ADVANCE);

        Properties notMultiple = new Properties();
        notMultiple.setProperty(AnalyticsSettings.SHORT_ADVANCE, "7s");
        assertThatThrownBy(() -> AnalyticsSettings.fromProperties(notMultiple)).hasMessageContaining("multiple of its advance");

        Properties shortRetention = new Properties();
        shortRetention.setProperty(AnalyticsSettings.SHORT_RETENTION, "1m");
        assertThatThrownBy(() -> AnalyticsSettings.fromProperties(shortRetention)).hasMessageContaining("grace");
    }
}
