package dev.edgeinfer.reliability;

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
import java.util.Optional;

/** The query API of one analytics instance, read as a dashboard or any HTTP client would. */
public final class AnalyticsApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /**
     * One window's counts of one key.
     *
     * @param windowStart epoch milliseconds
     */
    public record WindowCounts(long windowStart, long frames, long framesWithGroundTruth, long correct, long deadLetters) {
    }

    private final int port;
    private final URI base;

    public AnalyticsApi(int port) {
        this.port = port;
        this.base = URI.create("http://127.0.0.1:" + port + "/");
    }

    public int port() {
        return port;
    }

    public URI base() {
        return base;
    }

    /** Whether the instance says its Kafka Streams app is running. */
    public boolean healthy() {
        try {
            return send("/api/health").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@link #awaitHealthy(AppProcess, Duration)} with three minutes. */
    public void awaitHealthy(AppProcess analytics) throws InterruptedException {
        awaitHealthy(analytics, START_TIMEOUT);
    }

    /**
     * Waits until the instance is healthy.
     *
     * @throws IllegalStateException if its process exits or it is not healthy within the timeout, with its log's end
     */
    public void awaitHealthy(AppProcess analytics, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy()) {
            if (!analytics.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(analytics.name() + " not healthy at " + base + " within " + timeout
                        + (analytics.isAlive() ? "" : " (exited)") + ":\n" + analytics.tail());
            }
            Thread.sleep(500);
        }
    }

    /**
     * The JSON body of a 200 answer; empty for any other status (404 while a key has no data, 503 during a
     * rebalance), which callers retry.
     *
     * @throws IOException if the instance cannot be reached
     */
    public Optional<JsonNode> get(String pathAndQuery) throws IOException {
        HttpResponse<String> response = send(pathAndQuery);
        return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
    }

    /** Frames of the key's latest window of the view. */
    public long latestFrames(String dimension, String key, String view) throws IOException {
        return json("/api/stats/" + dimension + "/" + encode(key) + "?view=" + view).path("frames").asLong();
    }

    /** The key's last {@code windows} windows of the view, oldest first. */
    public List<WindowCounts> windows(String dimension, String key, String view, int windows) throws IOException {
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
    public long droppedRecords() {
        HttpResponse<String> response;
        try {
            response = send("/metrics");
        } catch (IOException e) {
            return -1;
        }
        if (response.statusCode() != 200) {
            return -1;
        }
        // Kafka Streams' own drops (undecodable records), and the analytics' drops of records later than the grace.
        return Math.round(response.body().lines().filter(line -> line.startsWith("kafka_stream_task_dropped_records_total{")
                        || (line.contains("late_record_drop_total{") && !line.startsWith("#")))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum());
    }

    private JsonNode json(String pathAndQuery) throws IOException {
        HttpResponse<String> response = send(pathAndQuery);
        assertThat(response.statusCode()).as("GET %s on port %d: %s", pathAndQuery, port, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String pathAndQuery) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(20)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while querying " + request.uri(), e);
        }
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
