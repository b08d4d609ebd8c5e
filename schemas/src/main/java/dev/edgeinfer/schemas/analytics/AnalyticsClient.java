package dev.edgeinfer.schemas.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The query API of one analytics instance, read as a dashboard or any HTTP client would, its answers parsed into the
 * API's own records ({@code dev.edgeinfer.schemas.analytics}). A field the API sends and the records lack fails the
 * parse: the records are the contract.
 *
 * <p>Each query returns empty while the API has no answer yet: 404 (no data for the key or window) and 503 (a
 * rebalance, or an instance warming up) are states callers wait out; any other status is an {@link IOException}
 * with the API's message.
 */
public class AnalyticsClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final String token;

    /** A client of the instance at {@code base}, e.g. {@code http://127.0.0.1:8090/}. */
    public AnalyticsClient(URI base) {
        this(base, null);
    }

    /**
     * A client of the instance at {@code base} that sends {@code token} as {@code Authorization: Bearer} (the API's
     * token, when it has one; null for none).
     */
    public AnalyticsClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** A client of the instance listening on {@code port} of the loopback interface. */
    public static AnalyticsClient onPort(int port) {
        return new AnalyticsClient(URI.create("http://127.0.0.1:" + port + "/"));
    }

    public URI base() {
        return base;
    }

    public int port() {
        return base.getPort();
    }

    /** Whether the instance says its Kafka Streams app is running. */
    public boolean healthy() {
        try {
            return send("/api/health").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The device types and their devices seen in the default view's latest window. */
    public Optional<DeviceTypes> deviceTypes() throws IOException {
        return get("/api/device-types", DeviceTypes.class);
    }

    /** The device types and their devices seen in the view's latest window. */
    public Optional<DeviceTypes> deviceTypes(String view) throws IOException {
        return get("/api/device-types?view=" + encode(view), DeviceTypes.class);
    }

    /**
     * Statistics of one key of a dimension ({@code device-type}, {@code device}, {@code precision}) in the view's
     * latest window.
     */
    public Optional<WindowStats> stats(String dimension, String key, String view) throws IOException {
        return get("/api/stats/" + dimension + "/" + encode(key) + "?view=" + encode(view), WindowStats.class);
    }

    /** Frames of the key in the view's latest window; 0 while the API has no answer for it. */
    public long frames(String dimension, String key, String view) throws IOException {
        return stats(dimension, key, view).map(WindowStats::frames).orElse(0L);
    }

    /** Statistics of one key in the window of the view that starts at {@code windowStart} (epoch milliseconds). */
    public Optional<WindowStats> stats(String dimension, String key, String view, long windowStart) throws IOException {
        return get("/api/stats/" + dimension + "/" + encode(key) + "?view=" + encode(view) + "&window=" + windowStart,
                WindowStats.class);
    }

    /** The key's last {@code windows} windows of the view, oldest first. */
    public List<WindowStats> windows(String dimension, String key, String view, int windows) throws IOException {
        return get("/api/timeseries/" + dimension + "/" + encode(key) + "?view=" + encode(view) + "&windows=" + windows,
                TimeSeries.class).map(TimeSeries::windows).orElse(List.of());
    }

    /** The confusion matrix of a device type in the view's latest window. */
    public Optional<ConfusionReport> confusion(String deviceType, String view) throws IOException {
        return get("/api/confusion/" + encode(deviceType) + "?view=" + encode(view), ConfusionReport.class);
    }

    /** Agreement between the device types in the view's latest window. */
    public Optional<AgreementReport> agreement(String view) throws IOException {
        return get("/api/agreement?view=" + encode(view), AgreementReport.class);
    }

    /** Agreement between the device types in the window of the view that starts at {@code windowStart}. */
    public Optional<AgreementReport> agreement(String view, long windowStart) throws IOException {
        return get("/api/agreement?view=" + encode(view) + "&window=" + windowStart, AgreementReport.class);
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
        return Math.round(response.body().lines()
                .filter(line -> line.startsWith("kafka_stream_task_dropped_records_total{")
                        || (line.contains("late_record_drop_total{") && !line.startsWith("#")))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum());
    }

    private <T> Optional<T> get(String pathAndQuery, Class<T> type) throws IOException {
        HttpResponse<String> response = send(pathAndQuery);
        int status = response.statusCode();
        if (status == 404 || status == 503) {
            return Optional.empty();
        }
        if (status != 200) {
            throw new IOException("GET " + base.resolve(pathAndQuery) + " answered " + status + ": " + response.body());
        }
        return Optional.of(JSON.readValue(response.body(), type));
    }

    /** Sends a GET of {@code pathAndQuery} (relative to the base), as every query here does. */
    protected HttpResponse<String> send(String pathAndQuery) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(REQUEST_TIMEOUT).GET();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = builder.build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while querying " + request.uri(), e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
