package dev.edgeinfer.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Reads the analytics app's query API; every figure of the live table and the report comes from here. */
final class AnalyticsClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AnalyticsClient(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    /** Whether the API answers its health check. */
    boolean healthy() {
        try {
            return get("/api/health").isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** Statistics of one device type in one window of a view; empty while the type has none. */
    Optional<JsonNode> deviceTypeStats(String deviceType, String view, long windowStart) throws IOException {
        return get("/api/stats/device-type/" + encode(deviceType) + "?view=" + view + "&window=" + windowStart);
    }

    /** Agreement of every device type with the reference type in one window of a view. */
    Optional<JsonNode> agreement(String view, long windowStart) throws IOException {
        return get("/api/agreement?view=" + view + "&window=" + windowStart);
    }

    /** The JSON body of a GET, empty on 404; any other failure is an IOException with the API's message. */
    Optional<JsonNode> get(String pathAndQuery) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while querying " + request.uri(), e);
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return Optional.of(JSON.readTree(response.body()));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
