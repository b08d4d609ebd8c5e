package dev.edgeinfer.reliability.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.demo.AppProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** The query API of one analytics instance, read as any HTTP client would. */
public final class AnalyticsApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public AnalyticsApi(int port) {
        this.base = URI.create("http://localhost:" + port + "/");
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

    /**
     * Waits until the instance is healthy.
     *
     * @throws IllegalStateException if its process exits or it is not healthy within the timeout, with its log's end
     */
    public void awaitHealthy(AppProcess analytics, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy()) {
            if (!analytics.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("analytics not healthy at " + base + " within " + timeout + ":\n" + analytics.tail());
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

    private HttpResponse<String> send(String pathAndQuery) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while querying " + request.uri(), e);
        }
    }
}
