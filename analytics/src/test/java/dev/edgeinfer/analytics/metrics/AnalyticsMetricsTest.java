package dev.edgeinfer.analytics.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AnalyticsMetricsTest {

    @Test
    void theDevicesGaugeCountsEachTypesDevicesByLivenessAtEveryScrape() {
        AtomicReference<Map<String, long[]>> counts = new AtomicReference<>(Map.of("rpi5-int8", new long[] {3, 1}));
        try (AnalyticsMetrics metrics = new AnalyticsMetrics()) {
            metrics.bindLiveness(counts::get);
            assertThat(metrics.scrape()).contains("analytics_devices{device_type=\"rpi5-int8\",state=\"online\"} 3")
                    .contains("analytics_devices{device_type=\"rpi5-int8\",state=\"offline\"} 1");
            counts.set(Map.of("rpi5-int8", new long[] {0, 4}));
            assertThat(metrics.scrape()).contains("analytics_devices{device_type=\"rpi5-int8\",state=\"offline\"} 4");
        }
    }
}
