package dev.edgeinfer.analytics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LatencyBoundsTest {

    @Test
    void theDefaultIsP99EndToEndWithinOneHundredMilliseconds() {
        LatencyBounds bounds = AnalyticsSettings.defaults().latencyBounds();
        assertThat(bounds.defaultBound()).isEqualTo(new LatencyBound(99.0, Duration.ofMillis(100)));
        assertThat(bounds.byDeviceType()).isEmpty();
        assertThat(bounds.forDeviceType("openvino-cpu-int8")).isEqualTo(bounds.defaultBound());
        assertThat(bounds.defaultBound().boundMillis()).isEqualTo(100.0);
        assertThat(bounds.defaultBound()).hasToString("p99:100ms");
    }

    @Test
    void boundsInEveryForm() {
        assertThat(LatencyBound.parse("p99:100ms")).isEqualTo(new LatencyBound(99, Duration.ofMillis(100)));
        assertThat(LatencyBound.parse(" P99.9 : 2s ")).isEqualTo(new LatencyBound(99.9, Duration.ofSeconds(2)));
        assertThat(LatencyBound.parse("p97:PT0.0005S").boundMillis()).isEqualTo(0.5);
        assertThat(LatencyBound.parse("p0.0001:1ms").percentile()).isEqualTo(0.0001);
        assertThat(LatencyBound.parse("p99.9999:1ms").percentileName()).isEqualTo("p99.9999");
        assertThat(LatencyBound.parse("p50:1m")).hasToString("p50:1m");
    }

    @Test
    void aDeviceTypeKeyOverridesTheDefaultForThatTypeOnly() {
        Properties properties = new Properties();
        properties.setProperty("analytics.latency.bound", "p95:200ms");
        properties.setProperty("analytics.latency.bound.openvino-cpu-int8", "p90:50ms");
        properties.setProperty("analytics.latency.bound.onnxruntime-cpu-fp32", "p99.9:1s");

        LatencyBounds bounds = AnalyticsSettings.fromProperties(properties).latencyBounds();
        assertThat(bounds.forDeviceType("openvino-cpu-int8")).isEqualTo(new LatencyBound(90, Duration.ofMillis(50)));
        assertThat(bounds.forDeviceType("onnxruntime-cpu-fp32")).isEqualTo(new LatencyBound(99.9, Duration.ofSeconds(1)));
        assertThat(bounds.forDeviceType("openvino-cpu-fp32")).isEqualTo(new LatencyBound(95, Duration.ofMillis(200)));
        assertThat(bounds.byDeviceType()).containsOnlyKeys("openvino-cpu-int8", "onnxruntime-cpu-fp32");
    }

    @Test
    void malformedBoundsNameTheirKeyAndValue() {
        assertMalformed("analytics.latency.bound", "99:100ms", "Not a latency bound: '99:100ms'");
        assertMalformed("analytics.latency.bound", "p99", "p<percentile>:<duration>");
        assertMalformed("analytics.latency.bound.openvino-cpu-int8", "p99:40", "Not a duration: '40'");
        assertMalformed("analytics.latency.bound.openvino-cpu-int8", "p100:40ms", "above 0 and below 100");
        assertMalformed("analytics.latency.bound", "p0:40ms", "above 0 and below 100");
        assertMalformed("analytics.latency.bound", "p99.99999:40ms", "at most four decimals");
        assertMalformed("analytics.latency.bound", "pNaN:40ms", "Not a latency bound");
        assertMalformed("analytics.latency.bound", "p99:0ms", "positive duration");
        assertMalformed("analytics.latency.bound", "p99:-5ms", "Not a duration: '-5ms'");
        assertMalformed("analytics.latency.bound.", "p99:40ms", "names no device type");
    }

    @Test
    void commandLineValuesSetTheDefaultOrOneType() {
        assertThat(LatencyBounds.property("p99:100ms")).isEqualTo(Map.entry("analytics.latency.bound", "p99:100ms"));
        assertThat(LatencyBounds.property("openvino-cpu-int8=p99:40ms"))
                .isEqualTo(Map.entry("analytics.latency.bound.openvino-cpu-int8", "p99:40ms"));
        assertThatThrownBy(() -> LatencyBounds.property("=p99:40ms")).hasMessageContaining("No device type before '='");
        assertThatThrownBy(() -> LatencyBounds.property("openvino-cpu-int8=fast"))
                .hasMessageContaining("Not a latency bound: 'fast'");
    }

    private static void assertMalformed(String key, String value, String messagePart) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        assertThatThrownBy(() -> AnalyticsSettings.fromProperties(properties)).as("%s=%s", key, value)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(key + ": ")
                .hasMessageContaining(value)
                .hasMessageContaining(messagePart);
    }
}
