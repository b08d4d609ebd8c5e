package dev.edgeinfer.analytics;

import dev.edgeinfer.analytics.config.AnalyticsConfig;
import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.http.ApiToken;
import dev.edgeinfer.analytics.http.HttpApiServer;
import dev.edgeinfer.analytics.metrics.AnalyticsMetrics;
import dev.edgeinfer.analytics.query.Liveness;
import dev.edgeinfer.analytics.query.StreamsInstanceDirectory;
import dev.edgeinfer.analytics.query.StreamsLocalStores;
import dev.edgeinfer.analytics.topology.AnalyticsTopology;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running analytics instance: the Kafka Streams application, its HTTP API and its metrics, wired together.
 * The CLI and the integration tests start it the same way.
 */
public final class AnalyticsService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsService.class);

    private final KafkaStreams streams;
    private final HttpApiServer http;
    private final AnalyticsMetrics metrics;
    private final CountDownLatch running;
    private final CountDownLatch stopped;

    private AnalyticsService(KafkaStreams streams, HttpApiServer http, AnalyticsMetrics metrics,
                             CountDownLatch running, CountDownLatch stopped) {
        this.streams = streams;
        this.http = http;
        this.metrics = metrics;
        this.running = running;
        this.stopped = stopped;
    }

    /**
     * Builds the topology, starts Kafka Streams and the HTTP API.
     *
     * @param clientConfigs  client settings (bootstrap servers, registry URL, security, {@code analytics.*})
     * @param applicationId  application id, or null for the configured or default one
     * @param stateDir       state directory, or null for the configured or Kafka Streams' default
     * @param advertisedHost host name other instances reach this one at
     * @param httpPort       HTTP port, also advertised as {@code application.server}; must not be 0
     * @throws IllegalArgumentException if the settings are inconsistent
     */
    public static AnalyticsService start(Map<String, Object> clientConfigs, String applicationId, Path stateDir,
                                         String advertisedHost, int httpPort) {
        return start(clientConfigs, applicationId, stateDir, advertisedHost, httpPort, Optional.empty());
    }

    /**
     * As {@link #start(Map, String, Path, String, int)}, with an HTTP API that answers data only to requests carrying
     * the bearer token, when one is given.
     *
     * @param apiToken the token every instance of the application shares, or empty for an open API
     * @throws IllegalArgumentException if the settings are inconsistent
     */
    public static AnalyticsService start(Map<String, Object> clientConfigs, String applicationId, Path stateDir,
                                         String advertisedHost, int httpPort, Optional<ApiToken> apiToken) {
        if (httpPort <= 0) {
            throw new IllegalArgumentException("The HTTP port must be given: other instances are told it (application.server)");
        }
        AnalyticsSettings settings = AnalyticsConfig.settings(clientConfigs);
        HostInfo self = new HostInfo(advertisedHost, httpPort);
        Properties props = AnalyticsConfig.streamsConfig(clientConfigs, applicationId, stateDir, advertisedHost + ":" + httpPort);
        KafkaStreams streams = new KafkaStreams(AnalyticsTopology.buildTopology(settings, clientConfigs), props);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((newState, oldState) -> {
            log.info("Kafka Streams state {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
            if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(exception -> {
            log.error("Stream thread failed; replacing it", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        AnalyticsMetrics metrics = new AnalyticsMetrics();
        metrics.bind(streams);
        StreamsLocalStores localStores = new StreamsLocalStores(streams);
        Liveness liveness = new Liveness(Clock.systemUTC());
        metrics.bindLiveness(() -> {
            try {
                Map<String, long[]> counts = new TreeMap<>();
                liveness.countByType(localStores.heartbeats()).forEach((type, c) -> counts.put(type, new long[] {c.online(),
                        c.offline()}));
                return counts;
            } catch (InvalidStateStoreException e) {
                return Map.of(); // not queryable yet: a rebalance, or still starting
            }
        });
        HttpApiServer http = HttpApiServer.start(new InetSocketAddress(httpPort), settings, localStores,
                new StreamsInstanceDirectory(streams, self), metrics, () -> streams.state().name(), apiToken);
        try {
            streams.start();
        } catch (RuntimeException e) {
            http.close();
            metrics.close();
            throw e;
        }
        log.info("Analytics started: application.server {}:{}, reference device type {}, views {} and {}",
                advertisedHost, httpPort, settings.referenceDeviceType(), settings.shortView().name(), settings.longView().name());
        return new AnalyticsService(streams, http, metrics, running, stopped);
    }

    /** Waits until Kafka Streams first reaches RUNNING. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Blocks until Kafka Streams stops (closed, or failed for good). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public int httpPort() {
        return http.port();
    }

    /** Stops the HTTP API, then Kafka Streams, leaving the group so the other instances take over at once. */
    @Override
    public void close() {
        http.close();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        metrics.close();
    }
}
