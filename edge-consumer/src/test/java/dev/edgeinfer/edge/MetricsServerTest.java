package dev.edgeinfer.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The device's {@code /metrics} endpoint under clients that connect, send one byte and stall: scrapes are still
 * answered within a second, and the stalled connections are closed once idle for the timeout.
 */
class MetricsServerTest {

    private static final int STALLED = 100;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    /** Generous, for a busy two-core machine. */
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(2);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Socket> stalled = new ArrayList<>();
    private MetricsServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void stalledConnectionsStarveNoScrapeAndAreClosedAfterTheIdleTimeout() throws Exception {
        registry.counter("edge_frames_predicted").increment(42);
        server = MetricsServer.start(0, registry, IDLE_TIMEOUT);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        assertThat(client.send(scrape, HttpResponse.BodyHandlers.ofString()).body()).contains("edge_frames_predicted_total 42.0");

        long stalledAt = System.nanoTime();
        for (int i = 0; i < STALLED; i++) {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
            socket.getOutputStream().write('G');
            socket.getOutputStream().flush();
            socket.setSoTimeout((int) IDLE_TIMEOUT.plus(CLOSE_MARGIN).toMillis());
            stalled.add(socket);
        }
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long begin = System.nanoTime();
            HttpResponse<String> response = client.send(scrape, HttpResponse.BodyHandlers.ofString());
            Duration latency = Duration.ofNanos(System.nanoTime() - begin);
            latencies.add(latency.toMillis());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(latency).as("scrape while %d connections stall", STALLED).isLessThan(Duration.ofSeconds(1));
        }

        // Each stalled connection sees the server close it (end of stream or reset) within the timeout and the margin;
        // a read timeout here means it was still open.
        List<Long> closedAfter = new ArrayList<>();
        for (Socket socket : stalled) {
            try (InputStream in = socket.getInputStream()) {
                in.readAllBytes();
            } catch (SocketException reset) {
                // Closed with a reset: closed all the same.
            }
            closedAfter.add(Duration.ofNanos(System.nanoTime() - stalledAt).toMillis());
        }
        System.out.printf("metrics endpoint: %d stalled connections; scrapes answered in %s ms; stalled ones closed %d to %d ms"
                + " after they stalled (idle timeout %d ms)%n", STALLED, latencies, closedAfter.get(0),
                closedAfter.get(closedAfter.size() - 1), IDLE_TIMEOUT.toMillis());
        assertThat(closedAfter).allSatisfy(ms -> assertThat(ms).isBetween(IDLE_TIMEOUT.toMillis() - 250,
                IDLE_TIMEOUT.plus(CLOSE_MARGIN).toMillis()));
    }
}
