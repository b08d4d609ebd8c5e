package dev.edgeinfer.analytics.metrics;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The app's metrics in Prometheus form: Kafka Streams' own metrics (through Micrometer's binder), the JVM's, and
 * the HTTP API's request timings.
 */
public final class AnalyticsMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private KafkaStreamsMetrics streamsMetrics;
    private Supplier<Map<String, long[]>> liveness;
    private MultiGauge devices;

    public AnalyticsMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
    }

    /** Publishes the metrics of {@code streams} (records processed, lag, state store and task metrics, ...). */
    public void bind(KafkaStreams streams) {
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
    }

    /** Records one HTTP request. */
    public void recordRequest(String route, int status, Duration took) {
        Timer.builder("analytics.http.requests")
                .description("HTTP requests of the analytics API")
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(took);
    }

    /**
     * Publishes {@code analytics_devices{device_type, state="online"|"offline"}}, counted from the latest heartbeats when
     * the metrics are scraped (see {@code Liveness}).
     *
     * @param counts per device type, devices online and offline; empty while the heartbeats cannot be read
     */
    public void bindLiveness(Supplier<Map<String, long[]>> counts) {
        this.liveness = counts;
        this.devices = MultiGauge.builder("analytics.devices")
                .description("Devices of each device type by liveness: offline after three heartbeat periods without one")
                .register(registry);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        if (devices != null) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            liveness.get().forEach((type, count) -> {
                rows.add(MultiGauge.Row.of(Tags.of("device_type", type, "state", "online"), count[0]));
                rows.add(MultiGauge.Row.of(Tags.of("device_type", type, "state", "offline"), count[1]));
            });
            devices.register(rows, true);
        }
        return registry.scrape();
    }

    @Override
    public void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        gcMetrics.close();
        registry.close();
    }
}
