package dev.edgeinfer.analytics.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.analytics.metrics.AnalyticsMetrics;
import dev.edgeinfer.analytics.query.InstanceDirectory;
import dev.edgeinfer.analytics.topology.AnalyticsTestDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;

/** An {@link HttpApiServer} over the stores of an {@link AnalyticsTestDriver}, on a free loopback port. */
final class ApiTestServer implements AutoCloseable {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    final HostInfo host;
    final HttpApiServer server;
    final AnalyticsMetrics metrics = new AnalyticsMetrics();

    ApiTestServer(AnalyticsTestDriver driver, Function<HostInfo, InstanceDirectory> directory) {
        this(driver, freePort(), directory);
    }

    ApiTestServer(AnalyticsTestDriver driver, int port, Function<HostInfo, InstanceDirectory> directory) {
        this(driver, port, directory, Optional.empty());
    }

    ApiTestServer(AnalyticsTestDriver driver, int port, Function<HostInfo, InstanceDirectory> directory, Optional<ApiToken> token) {
        this(driver, port, directory, token, () -> "RUNNING");
    }

    /** With {@code state} as the Kafka Streams state the health endpoints see. */
    ApiTestServer(AnalyticsTestDriver driver, int port, Function<HostInfo, InstanceDirectory> directory, Optional<ApiToken> token,
                  Supplier<String> state) {
        host = new HostInfo("127.0.0.1", port);
        server = HttpApiServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), driver.settings(), driver,
                directory.apply(host), metrics, state, token);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + host.port() + pathAndQuery;
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        metrics.close();
    }
}
