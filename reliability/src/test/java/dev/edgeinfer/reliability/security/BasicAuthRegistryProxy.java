package dev.edgeinfer.reliability.security;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reverse proxy in front of the local registry that, like a registry behind a company's gateway, answers only
 * requests with HTTP Basic credentials: 401 with a Confluent-style error otherwise. It counts both, so a test can
 * tell that the apps really went through it and sent their credentials.
 */
final class BasicAuthRegistryProxy implements AutoCloseable {

    /** Request headers not passed on: hop-by-hop ones, and those the JDK's client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("authorization", "host", "connection", "content-length",
            "transfer-encoding", "upgrade", "expect", "keep-alive");

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI target;
    private final byte[] expectedAuthorization;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger authorized = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    /**
     * @param registryUrl the registry's URL, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}
     */
    BasicAuthRegistryProxy(String registryUrl, String user, String password) {
        URI registry = URI.create(registryUrl);
        this.target = URI.create(registry.getScheme() + "://" + registry.getAuthority());
        this.expectedAuthorization = ("Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the registry proxy", e);
        }
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The proxy's URL for the same API path as the registry URL it fronts. */
    String url(String registryUrl) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + URI.create(registryUrl).getRawPath();
    }

    int authorizedRequests() {
        return authorized.get();
    }

    int refusedRequests() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !MessageDigest.isEqual(expectedAuthorization, authorization.getBytes(StandardCharsets.UTF_8))) {
                refused.incrementAndGet();
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"schema-registry\"");
                reply(exchange, 401, "application/json",
                        "{\"error_code\":401,\"message\":\"Unauthorized: the registry needs Basic credentials\"}"
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            authorized.incrementAndGet();
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            reply(exchange, response.statusCode(), response.headers().firstValue("Content-Type").orElse("application/json"),
                    response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while forwarding " + exchange.getRequestURI(), e);
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
