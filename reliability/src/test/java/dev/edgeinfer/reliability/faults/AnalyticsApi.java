package dev.edgeinfer.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.demo.AppProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The analytics app's HTTP API on one port, as a dashboard would query it. */
final class AnalyticsApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /**
     * One window's counts of one key.
     *
     * @param windowStart epoch milliseconds
     */
    record WindowCounts(long windowStart, long frames, long framesWithGroundTruth, long correct, long deadLetters) {
    }

    private final int port;

    AnalyticsApi(int port) {
        this.port = port;
    }

    int port() {
        return port;
    }

    /** Waits until the instance answers its health check (Kafka Streams RUNNING); fails early if it exits. */
    void awaitHealthy(AppProcess analytics) throws InterruptedException {
        Eventually.await(analytics.name() + " healthy on port " + port, START_TIMEOUT, () -> {
            Pipeline.assertAlive(analytics);
            assertThat(get("/api/health").statusCode()).isEqualTo(200);
        });
    }

    /** Frames of the key's latest window of the view. */
    long latestFrames(String dimension, String key, String view) throws IOException, InterruptedException {
        return json("/api/stats/" + dimension + "/" + encode(key) + "?view=" + view).path("frames").asLong();
    }

    /** The key's last {@code windows} windows of the view, oldest first. */
    List<WindowCounts> windows(String dimension, String key, String view, int windows) throws IOException, InterruptedException {
        JsonNode series = json("/api/timeseries/" + dimension + "/" + encode(key) + "?view=" + view + "&windows=" + windows);
        List<WindowCounts> counts = new ArrayList<>();
        for (JsonNode window : series.path("windows")) {
            counts.add(new WindowCounts(window.path("windowStart").asLong(), window.path("frames").asLong(),
                    window.path("framesWithGroundTruth").asLong(), window.path("correct").asLong(),
                    window.path("deadLetters").asLong()));
        }
        return counts;
    }

    /**
     * Records Kafka Streams dropped in this instance since it started (too late for their window's grace, or
     * undecodable), from its Prometheus endpoint; -1 when the instance does not answer.
     */
    long droppedRecords() throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = get("/metrics");
        } catch (IOException e) {
            return -1;
        }
        if (response.statusCode() != 200) {
            return -1;
        }
        return Math.round(response.body().lines().filter(line -> line.startsWith("kafka_stream_task_dropped_records_total{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum());
    }

    private JsonNode json(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = get(pathAndQuery);
        assertThat(response.statusCode()).as("GET %s on port %d: %s", pathAndQuery, port, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
