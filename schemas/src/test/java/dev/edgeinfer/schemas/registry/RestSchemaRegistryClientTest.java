package dev.edgeinfer.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.edgeinfer.avro.ImageFrame;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's side of the REST contract, against a scripted HTTP server: paths, headers, bodies and the mapping of
 * Confluent error codes to exceptions. The same client runs against the real registry in the integration tests.
 */
class RestSchemaRegistryClientTest {

    private record Exchange(String method, String path, String contentType, String authorization, String body) {
    }

    private HttpServer server;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String response = "{}";

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        exchanges.add(new Exchange(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("Authorization"), body));
        byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
    }

    private RestSchemaRegistryClient client(Map<String, String> extra) {
        Map<String, String> configs = new java.util.HashMap<>(extra);
        configs.putIfAbsent(RegistryClientConfig.URL, url());
        return new RestSchemaRegistryClient(RegistryClientConfig.from(configs));
    }

    @Test
    void registerPostsCanonicalSchemaWithConfluentContentType() {
        response = "{\"id\":21}";
        Schema pretty = new Schema.Parser().parse(ImageFrame.getClassSchema().toString(true));
        assertThat(client(Map.of()).register("edge.frames.v1-value", pretty)).isEqualTo(21);
        Exchange exchange = exchanges.get(0);
        assertThat(exchange.method()).isEqualTo("POST");
        assertThat(exchange.path()).isEqualTo("/apis/ccompat/v7/subjects/edge.frames.v1-value/versions");
        assertThat(exchange.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(exchange.body()).isEqualTo("{\"schema\":" + quote(ImageFrame.getClassSchema().toString()) + "}");
    }

    @Test
    void lookupLatestAndByIdReadConfluentBodies() {
        String schemaJson = quote(ImageFrame.getClassSchema().toString());
        response = "{\"subject\":\"s\",\"id\":3,\"version\":2,\"schema\":" + schemaJson + "}";
        RestSchemaRegistryClient client = client(Map.of());
        assertThat(client.lookup("s", ImageFrame.getClassSchema())).isEqualTo(new RegisteredSchema("s", 3, 2, ImageFrame.getClassSchema()));
        assertThat(client.latest("s").version()).isEqualTo(2);
        response = "{\"schema\":" + schemaJson + "}";
        assertThat(client.schemaById(3)).isEqualTo(ImageFrame.getClassSchema());
        assertThat(exchanges).extracting(Exchange::method, Exchange::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POST", "/apis/ccompat/v7/subjects/s"),
                org.assertj.core.groups.Tuple.tuple("GET", "/apis/ccompat/v7/subjects/s/versions/latest"),
                org.assertj.core.groups.Tuple.tuple("GET", "/apis/ccompat/v7/schemas/ids/3"));
    }

    @Test
    void compatibilityCheckReadsIsCompatible() {
        response = "{\"is_compatible\":false}";
        assertThat(client(Map.of()).isCompatible("s", ImageFrame.getClassSchema())).isFalse();
        assertThat(exchanges.get(0).path()).isEqualTo("/apis/ccompat/v7/compatibility/subjects/s/versions/latest");
    }

    @Test
    void errorCodesBecomeTypedExceptions() {
        RestSchemaRegistryClient client = client(Map.of());
        assertError(client, 404, 40401, SchemaRegistryException.SubjectNotFoundException.class);
        assertError(client, 404, 40402, SchemaRegistryException.VersionNotFoundException.class);
        assertError(client, 404, 40403, SchemaRegistryException.SchemaNotFoundException.class);
        assertError(client, 409, 409, SchemaRegistryException.IncompatibleSchemaException.class);
        assertError(client, 422, 42201, SchemaRegistryException.InvalidSchemaException.class);
        status = 500;
        response = "<html>boom</html>";
        assertThatThrownBy(() -> client.schemaById(1)).isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 500").hasMessageContaining("boom");
    }

    @Test
    void basicAndBearerAuthAreSent() {
        response = "{\"id\":1}";
        client(Map.of("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "alice:secret"))
                .register("s", ImageFrame.getClassSchema());
        client(Map.of("bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "t0k3n"))
                .register("s", ImageFrame.getClassSchema());
        assertThat(exchanges.get(0).authorization()).isEqualTo("Basic YWxpY2U6c2VjcmV0");
        assertThat(exchanges.get(1).authorization()).isEqualTo("Bearer t0k3n");
    }

    @Test
    void unreachableUrlFailsOverToTheNextOne() throws IOException {
        response = "{\"id\":5}";
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        RestSchemaRegistryClient client = client(Map.of(RegistryClientConfig.URL, "http://127.0.0.1:" + deadPort + "," + url()));
        assertThat(client.register("s", ImageFrame.getClassSchema())).isEqualTo(5);
    }

    @Test
    void unreachableRegistryIsRetriableError() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        RestSchemaRegistryClient client = client(Map.of(RegistryClientConfig.URL, "http://127.0.0.1:" + deadPort));
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(SchemaRegistryException.RegistryUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + deadPort);
    }

    @Test
    void cachedSchemasSurviveAnOutage() {
        String schemaJson = quote(ImageFrame.getClassSchema().toString());
        response = "{\"schema\":" + schemaJson + "}";
        CachingSchemaRegistryClient cached = new CachingSchemaRegistryClient(client(Map.of()));
        cached.schemaById(8);
        server.stop(0);
        assertThat(cached.schemaById(8)).isEqualTo(ImageFrame.getClassSchema());
        assertThat(exchanges).hasSize(1);
    }

    private void assertError(RestSchemaRegistryClient client, int httpStatus, int errorCode,
                             Class<? extends SchemaRegistryException> type) {
        status = httpStatus;
        response = "{\"error_code\":" + errorCode + ",\"message\":\"from the registry\"}";
        assertThatThrownBy(() -> client.register("s", ImageFrame.getClassSchema()))
                .isInstanceOfSatisfying(type, e -> assertThat(e.errorCode()).isEqualTo(errorCode))
                .hasMessageContaining("from the registry");
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
