package dev.edgeinfer.analytics.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.metrics.AnalyticsMetrics;
import dev.edgeinfer.analytics.query.InstanceDirectory;
import dev.edgeinfer.analytics.query.LocalStores;
import dev.edgeinfer.analytics.query.dto.ApiError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's HTTP server: the JSON API under {@code /api/}, its OpenAPI description at {@code /api/openapi.json},
 * the dashboard at {@code /}, Prometheus metrics at {@code /metrics} and {@code /api/health}. Read-only: only GET
 * and HEAD are answered. Errors are JSON {@link ApiError}s with a message; stack traces stay in the log.
 *
 * <p>With an {@link ApiToken}, the data ({@code /api/...} and {@code /metrics}) needs {@code Authorization: Bearer
 * <token>}; what holds no data stays open: the dashboard page (which asks for the token and keeps it for the
 * browser tab), {@code /api/health} for liveness probes and {@code /api/openapi.json}.
 */
public final class HttpApiServer implements AutoCloseable {

    /** Response header naming the instance that computed the answer, {@code host:port}. */
    public static final String SERVED_BY_HEADER = "X-Edgeinfer-Instance";

    private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);
    private static final String JSON = "application/json; charset=utf-8";
    private static final Map<String, String> STATIC_FILES = Map.of(
            "/", "/dashboard/index.html",
            "/index.html", "/dashboard/index.html",
            "/api/openapi.json", "/openapi.json");
    private static final Map<String, String> STATIC_TYPES = Map.of(
            "/dashboard/index.html", "text/html; charset=utf-8",
            "/openapi.json", JSON);
    /**
     * Liveness (Kubernetes' livenessProbe): 200 unless Kafka Streams has stopped for good, so only a broken instance is
     * restarted, never one that is rebalancing or restoring.
     */
    static final String LIVENESS_PATH = "/api/health/live";
    /**
     * Readiness (readinessProbe): 200 only while Kafka Streams is RUNNING, so queries go elsewhere during a rebalance.
     * {@code /api/health} answers the same, as it always did.
     */
    static final String READINESS_PATH = "/api/health/ready";
    private static final Set<String> HEALTH_PATHS = Set.of("/api/health", LIVENESS_PATH, READINESS_PATH);
    /** Kafka Streams states it does not leave by itself (the stream threads are replaced on errors, never lost). */
    private static final Set<String> DEAD_STATES = Set.of("PENDING_SHUTDOWN", "NOT_RUNNING", "PENDING_ERROR", "ERROR");
    /** Paths answered without the token: they hold no data. */
    private static final Set<String> OPEN_PATHS = Set.of("/", "/index.html", "/api/openapi.json", "/api/health",
            LIVENESS_PATH, READINESS_PATH);
    /** Longest path and query answered; longer ones are refused before they are parsed. */
    static final int MAX_URI_LENGTH = 2048;

    private final HttpServer server;
    private final ExecutorService executor;
    private final AnalyticsApi api;
    private final AnalyticsMetrics metrics;
    private final Supplier<String> state;
    private final ObjectMapper mapper;
    private final Optional<ApiToken> token;

    private HttpApiServer(HttpServer server, ExecutorService executor, AnalyticsApi api, AnalyticsMetrics metrics,
                          Supplier<String> state, ObjectMapper mapper, Optional<ApiToken> token) {
        this.server = server;
        this.executor = executor;
        this.api = api;
        this.metrics = metrics;
        this.state = state;
        this.mapper = mapper;
        this.token = token;
    }

    /**
     * Starts the server.
     *
     * @param bind      address and port to listen on (port 0 picks a free one)
     * @param settings  the analytics settings (views, reference device type)
     * @param stores    this instance's stores
     * @param directory which instance holds what
     * @param metrics   the registry served at {@code /metrics} and timing the requests
     * @param state     the Kafka Streams state, e.g. {@code RUNNING}, for {@code /api/health}
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static HttpApiServer start(InetSocketAddress bind, AnalyticsSettings settings, LocalStores stores,
                                      InstanceDirectory directory, AnalyticsMetrics metrics, Supplier<String> state) {
        return start(bind, settings, stores, directory, metrics, state, Optional.empty());
    }

    /**
     * Starts the server; with a token, the data is answered only to requests that carry it (see the class comment).
     * Every instance of one application must have the same token: they forward requests to each other with it.
     *
     * @param token the bearer token the API requires, or empty for an open API
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static HttpApiServer start(InetSocketAddress bind, AnalyticsSettings settings, LocalStores stores,
                                      InstanceDirectory directory, AnalyticsMetrics metrics, Supplier<String> state,
                                      Optional<ApiToken> token) {
        ObjectMapper mapper = new ObjectMapper();
        AnalyticsApi api = new AnalyticsApi(settings, stores, directory,
                new RemoteInstances(Duration.ofSeconds(10), token), mapper);
        HttpServer server;
        try {
            server = HttpServer.create(bind, 64);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + bind, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "analytics-http");
            thread.setDaemon(true);
            return thread;
        });
        HttpApiServer apiServer = new HttpApiServer(server, executor, api, metrics, state, mapper, token);
        server.createContext("/", apiServer::handle);
        server.setExecutor(executor);
        server.start();
        log.info("Analytics HTTP API listening on port {}{}", server.getAddress().getPort(),
                token.isPresent() ? ", bearer token required" : "");
        return apiServer;
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) {
        long startNanos = System.nanoTime();
        String route = "unknown";
        int status = 500;
        // Not try-with-resources: the exchange must stay open for the error answers of the catch blocks.
        try {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                throw new ApiException(405, "Method " + ApiRequest.abbreviate(method)
                        + " not allowed; this API is read-only (GET, HEAD)");
            }
            if (exchange.getRequestURI().toString().length() > MAX_URI_LENGTH) {
                throw new ApiException(414, "The request's path and query are longer than " + MAX_URI_LENGTH + " characters");
            }
            ApiRequest request = ApiRequest.parse(exchange.getRequestURI(),
                    exchange.getRequestHeaders().containsKey(ApiRequest.FORWARDED_HEADER));
            route = route(request.segments());
            String path = "/" + String.join("/", request.segments());
            authorize(exchange, path);
            status = 200;
            if (STATIC_FILES.containsKey(path)) {
                String resource = STATIC_FILES.get(path);
                send(exchange, 200, STATIC_TYPES.get(resource), readResource(resource), null);
            } else if (path.equals("/metrics")) {
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8), null);
            } else if (HEALTH_PATHS.contains(path)) {
                String current = state.get();
                boolean healthy = path.equals(LIVENESS_PATH) ? !DEAD_STATES.contains(current) : current.equals("RUNNING");
                status = healthy ? 200 : 503;
                send(exchange, status, JSON, mapper.writeValueAsBytes(Map.of("state", current)), null);
            } else if (path.startsWith("/api/")) {
                AnalyticsApi.Response response = api.handle(request);
                status = response.status();
                send(exchange, status, JSON, response.json().getBytes(StandardCharsets.UTF_8), response.servedBy());
            } else {
                throw ApiException.notFound("No such page: " + ApiRequest.abbreviate(path) + ". The API is under /api/ (see /api/openapi.json).");
            }
        } catch (ApiException e) {
            status = e.status();
            if (e.getCause() != null) {
                log.warn("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.getMessage(), e.getCause());
            }
            sendError(exchange, status, e.getMessage());
        } catch (InvalidStateStoreException e) {
            status = 503;
            log.info("Store not queryable for {}: {}", exchange.getRequestURI(), e.getMessage());
            sendError(exchange, status, "The analytics state is not queryable right now (starting or rebalancing); retry shortly");
        } catch (RuntimeException | IOException e) {
            status = 500;
            log.error("Failed to answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            sendError(exchange, status, "Internal error while answering this request; the analytics log has the details");
        } finally {
            exchange.close();
            metrics.recordRequest(route, status, Duration.ofNanos(System.nanoTime() - startNanos));
        }
    }

    /**
     * @throws ApiException 401 when a token is required for {@code path} and the request lacks it or carries another
     */
    private void authorize(HttpExchange exchange, String path) {
        if (token.isEmpty() || OPEN_PATHS.contains(path)) {
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (token.get().matches(authorization)) {
            return;
        }
        // RFC 6750: no error code when no credentials were sent, invalid_token when wrong ones were.
        exchange.getResponseHeaders().set("WWW-Authenticate", authorization == null
                ? "Bearer realm=\"edgeinfer-analytics\""
                : "Bearer realm=\"edgeinfer-analytics\", error=\"invalid_token\"");
        throw new ApiException(401, authorization == null
                ? "This API requires a bearer token: send the header 'Authorization: Bearer <token>'"
                : "The bearer token is not valid for this API");
    }

    private static String route(List<String> segments) {
        if (segments.isEmpty()) {
            return "dashboard";
        }
        if (segments.get(0).equals("api") && segments.size() > 1) {
            return switch (segments.get(1)) {
                case "device-types", "stats", "timeseries", "confusion", "agreement", "parts", "openapi.json", "health" -> segments.get(1);
                default -> "unknown";
            };
        }
        return segments.get(0).equals("metrics") ? "metrics" : "unknown";
    }

    private void sendError(HttpExchange exchange, int status, String message) {
        try {
            byte[] body = mapper.writeValueAsBytes(new ApiError(status, reason(status), message));
            send(exchange, status, JSON, body, null);
        } catch (IOException e) {
            log.debug("Could not send error {} to the client: {}", status, e.toString());
        }
    }

    private void send(HttpExchange exchange, int status, String contentType, byte[] body, String servedBy) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (servedBy != null) {
            exchange.getResponseHeaders().set(SERVED_BY_HEADER, servedBy);
        }
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : (body.length == 0 ? -1 : body.length));
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] readResource(String name) throws IOException {
        try (InputStream in = HttpApiServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("Resource " + name + " is missing from the application");
            }
            return in.readAllBytes();
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 414 -> "URI Too Long";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }

    /** Stops accepting requests, lets running ones finish for up to a second, and stops the threads. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
