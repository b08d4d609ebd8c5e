package dev.edgeinfer.analytics.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.metrics.AnalyticsMetrics;
import dev.edgeinfer.analytics.query.InstanceDirectory;
import dev.edgeinfer.analytics.query.LocalStores;
import dev.edgeinfer.schemas.analytics.ApiError;
import dev.edgeinfer.schemas.config.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
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
 *
 * <p>Slow or stalled clients cost no thread: Jetty's connector reads request heads without one and hands a request to
 * the bounded pool only once its head is complete. A connection that sends or takes nothing for
 * {@link AnalyticsSettings#httpIdleTimeout()} is closed, whether it stalls in its request or stops reading its answer.
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

    private final Server server;
    private final ServerConnector connector;
    private final AnalyticsApi api;
    private final AnalyticsMetrics metrics;
    private final Supplier<String> state;
    private final ObjectMapper mapper;
    private final Optional<ApiToken> token;

    /** An answer ready to be written. */
    private record Answer(int status, String contentType, byte[] body, String servedBy) {
    }

    private HttpApiServer(Server server, ServerConnector connector, AnalyticsApi api, AnalyticsMetrics metrics,
                          Supplier<String> state, ObjectMapper mapper, Optional<ApiToken> token) {
        this.server = server;
        this.connector = connector;
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
     * @param settings  the analytics settings (views, reference device type, HTTP timeouts)
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
                new RemoteInstances(settings.httpForwardTimeout(), token), mapper);
        Server server = JettyServer.create(bind, settings.httpIdleTimeout());
        ServerConnector connector = JettyServer.connector(server);
        HttpApiServer apiServer = new HttpApiServer(server, connector, api, metrics, state, mapper, token);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                apiServer.handle(request, response, callback);
                return true;
            }
        });
        server.setErrorHandler(apiServer::handleRefusal);
        apiServer.startServer(bind);
        log.info("Analytics HTTP API listening on port {}{}; connections idle for {} are closed", apiServer.port(),
                token.isPresent() ? ", bearer token required" : "", Durations.format(settings.httpIdleTimeout()));
        return apiServer;
    }

    /**
     * @throws UncheckedIOException if the port cannot be bound
     */
    private void startServer(InetSocketAddress bind) {
        try {
            server.start();
        } catch (Exception e) {
            close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot listen on " + bind, io);
            }
            throw new IllegalStateException("Cannot start the HTTP server on " + bind, e);
        }
    }

    /** The port the server listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    private void handle(Request request, Response response, Callback callback) {
        long startNanos = System.nanoTime();
        String route = "unknown";
        Answer answer;
        try {
            ApiRequest apiRequest = parse(request, response);
            route = route(apiRequest.segments());
            answer = answer(request, response, apiRequest);
        } catch (ApiException e) {
            if (e.getCause() != null) {
                log.warn("{} {}: {}", request.getMethod(), target(request), e.getMessage(), e.getCause());
            }
            answer = error(e.status(), e.getMessage());
        } catch (InvalidStateStoreException e) {
            log.info("Store not queryable for {}: {}", target(request), e.getMessage());
            answer = error(503, "The analytics state is not queryable right now (starting or rebalancing); retry shortly");
        } catch (RuntimeException | IOException e) {
            log.error("Failed to answer {} {}", request.getMethod(), target(request), e);
            answer = error(500, "Internal error while answering this request; the analytics log has the details");
        }
        send(response, answer, timed(callback, route, answer.status(), startNanos));
    }

    /**
     * {@code callback}, timing the request once its answer is written (or the client is gone) and before Jetty
     * completes the exchange, so that the client's next request sees this one counted.
     */
    private Callback timed(Callback callback, String route, int status, long startNanos) {
        Runnable record = () -> metrics.recordRequest(route, status, Duration.ofNanos(System.nanoTime() - startNanos));
        return Callback.from(callback.getInvocationType(), () -> {
            record.run();
            callback.succeeded();
        }, failure -> {
            record.run();
            callback.failed(failure);
        });
    }

    /**
     * @throws ApiException 405 for a method other than GET and HEAD, 414 for an over-long target, 400 for one that is
     *                      no URI or malformed
     */
    private static ApiRequest parse(Request request, Response response) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put("Allow", "GET, HEAD");
            throw new ApiException(405, "Method " + ApiRequest.abbreviate(method)
                    + " not allowed; this API is read-only (GET, HEAD)");
        }
        String target = target(request);
        if (target.length() > MAX_URI_LENGTH) {
            throw new ApiException(414, "The request's path and query are longer than " + MAX_URI_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("The request's path and query are not a valid URI: "
                    + ApiRequest.abbreviate(e.getReason()));
        }
        return ApiRequest.parse(uri, request.getHeaders().contains(ApiRequest.FORWARDED_HEADER));
    }

    /** The path and query as sent, still percent-encoded. */
    private static String target(Request request) {
        return request.getHttpURI().getPathQuery();
    }

    private Answer answer(Request request, Response response, ApiRequest apiRequest) throws IOException {
        String path = "/" + String.join("/", apiRequest.segments());
        authorize(request, response, path);
        if (STATIC_FILES.containsKey(path)) {
            String resource = STATIC_FILES.get(path);
            return new Answer(200, STATIC_TYPES.get(resource), readResource(resource), null);
        }
        if (path.equals("/metrics")) {
            return new Answer(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8), null);
        }
        if (HEALTH_PATHS.contains(path)) {
            String current = state.get();
            boolean healthy = path.equals(LIVENESS_PATH) ? !DEAD_STATES.contains(current) : current.equals("RUNNING");
            return new Answer(healthy ? 200 : 503, JSON, mapper.writeValueAsBytes(Map.of("state", current)), null);
        }
        if (path.startsWith("/api/")) {
            AnalyticsApi.Response computed = api.handle(apiRequest);
            return new Answer(computed.status(), JSON, computed.json().getBytes(StandardCharsets.UTF_8), computed.servedBy());
        }
        throw ApiException.notFound("No such page: " + ApiRequest.abbreviate(path) + ". The API is under /api/ (see /api/openapi.json).");
    }

    /**
     * Jetty's error handler: what Jetty refuses before the API sees it (a malformed request line, a head over 8 KB, a
     * character no URI path may hold) is answered as a JSON {@link ApiError} as well, without Jetty's HTML page.
     */
    private boolean handleRefusal(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String text ? text : null;
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException refusal) {
            status = refusal.getCode();
            message = refusal.getReason();
        }
        // A 5xx here is Jetty's own failure: its text could name an exception, so it stays in Jetty's log.
        if (message == null || message.isBlank() || status >= 500) {
            message = reason(status);
        }
        send(response, error(status, "Refused by the HTTP server: " + ApiRequest.abbreviate(message)), callback);
        return true;
    }

    /**
     * @throws ApiException 401 when a token is required for {@code path} and the request lacks it or carries another
     */
    private void authorize(Request request, Response response, String path) {
        if (token.isEmpty() || OPEN_PATHS.contains(path)) {
            return;
        }
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (token.get().matches(authorization)) {
            return;
        }
        // RFC 6750: no error code when no credentials were sent, invalid_token when wrong ones were.
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, authorization == null
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

    private Answer error(int status, String message) {
        try {
            return new Answer(status, JSON, mapper.writeValueAsBytes(new ApiError(status, reason(status), message)), null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An ApiError of three plain fields always serializes", e);
        }
    }

    /** Writes the whole answer at once; HEAD gets the same headers, and Jetty leaves the body out. */
    private static void send(Response response, Answer answer, Callback callback) {
        response.setStatus(answer.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        if (answer.servedBy() != null) {
            headers.put(SERVED_BY_HEADER, answer.servedBy());
        }
        headers.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
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
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }

    /** Stops accepting connections, lets running requests finish for up to 5 seconds, and stops the threads. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while stopping the HTTP server");
        } catch (Exception e) {
            log.warn("Stopping the HTTP server failed", e);
        }
    }
}
