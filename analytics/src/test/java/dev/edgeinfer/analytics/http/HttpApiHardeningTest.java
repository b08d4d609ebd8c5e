package dev.edgeinfer.analytics.http;

import static dev.edgeinfer.analytics.topology.TestRecords.FP32;
import static dev.edgeinfer.analytics.topology.TestRecords.prediction;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.query.SingleInstanceDirectory;
import dev.edgeinfer.analytics.topology.AnalyticsTestDriver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server against what a hostile or careless client sends: wrong methods, missing or wrong tokens, and
 * malformed paths and parameters, written byte for byte to a socket so that no client library tidies them up first.
 */
class HttpApiHardeningTest {

    static final long BASE = 1_700_000_040_000L;
    static final String TOKEN = "fleet-dashboard-token-0123456789";
    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");
    /** What a leaked stack trace or exception looks like in a body. */
    private static final Pattern LEAK = Pattern.compile("Exception|Error:|\\bat [a-z]+\\.[a-zA-Z.$]+\\(|\\.java:\\d+|dev\\.edgeinfer\\.");

    private AnalyticsTestDriver driver;
    private ApiTestServer api;

    @BeforeEach
    void start() {
        driver = new AnalyticsTestDriver(AnalyticsSettings.defaults(), Instant.ofEpochMilli(BASE));
        for (int i = 1; i <= 20; i++) {
            driver.pipe(prediction("f" + i).predicted(3).truth(3).build(), BASE + i);
        }
        api = new ApiTestServer(driver, ApiTestServer.freePort(), SingleInstanceDirectory::new, ApiToken.of(TOKEN));
    }

    @AfterEach
    void stop() {
        api.close();
        driver.close();
    }

    @Test
    void dataNeedsTheTokenAndPagesWithoutDataDoNot() throws IOException {
        String stats = "/api/stats/device-type/" + FP32;
        Answer missing = request("GET", stats, null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"edgeinfer-analytics\"");
        assertThat(missing.json().get("message").asText()).contains("Authorization: Bearer");

        Answer wrong = request("GET", stats, "Bearer " + TOKEN.replace('0', '1'));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(request("GET", stats, "Basic " + TOKEN).status()).isEqualTo(401);

        Answer right = request("GET", stats, "Bearer " + TOKEN);
        assertThat(right.status()).isEqualTo(200);
        assertThat(right.json().get("frames").asLong()).isEqualTo(20);

        for (String path : List.of("/metrics", "/api/device-types", "/api/agreement", "/api/confusion/" + FP32,
                "/api/timeseries/device-type/" + FP32, "/api/no-such-thing")) {
            assertThat(request("GET", path, null).status()).as(path).isEqualTo(401);
            assertThat(request("GET", path, "Bearer " + TOKEN).status()).as(path).isNotEqualTo(401);
        }
        // No data in these: the dashboard page asks for the token itself, probes and API readers need no secret.
        for (String path : List.of("/", "/index.html", "/api/health", "/api/health/live", "/api/health/ready", "/api/openapi.json")) {
            assertThat(request("GET", path, null).status()).as(path).isEqualTo(200);
        }
        assertThat(request("GET", "/", null).body()).contains("id=\"token-form\"");
    }

    @Test
    void everyMethodButGetAndHeadIsRefusedAsReadOnly() throws IOException {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "FOO")) {
            for (String authorization : new String[] {null, "Bearer " + TOKEN}) {
                Answer answer = request(method, "/api/stats/device-type/" + FP32, authorization);
                assertThat(answer.status()).as(method).isEqualTo(405);
                assertThat(answer.header("Allow")).isEqualTo("GET, HEAD");
                assertThat(answer.json().get("message").asText()).as(method).contains("read-only");
            }
        }
        Answer head = request("HEAD", "/api/stats/device-type/" + FP32, "Bearer " + TOKEN);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void malformedPathsAndParametersGet4xxWithAMessageAndNoStackTrace() throws IOException {
        String stats = "/api/stats/device-type/" + FP32;
        String series = "/api/timeseries/device-type/" + FP32;
        List<String> malformed = new ArrayList<>(List.of(
                // unknown paths and resources
                "/nothing", "/api", "/api/", "/api/nothing", "/api/stats", "/api/stats/device-type", stats + "/extra",
                "/api/confusion", "/metrics/extra", "/dashboard/index.html", "/openapi.json", "/index.html/..",
                // path traversal, plain and encoded
                "/api/../../etc/passwd", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/api/%2e%2e/openapi.json",
                "/..%2f..%2fetc%2fpasswd", "/api/stats/device-type/..%2f..%2f..%2fetc%2fpasswd", "/%c0%ae%c0%ae/etc/passwd",
                "/api/stats/..%5c..%5cwindows/x",
                // unknown names
                "/api/stats/gpu/x", "/api/stats/%c0%ae%c0%ae/x", "/api/timeseries/ALL/x", stats + "?view=3h",
                stats + "?view=SHORT", stats + "?view=%00", stats + "?unknown=1", stats + "?scope=remote&callback=x",
                // bad numbers
                stats + "?window=yesterday", stats + "?window=-10000", stats + "?window=1e3", stats + "?window=0x10",
                stats + "?window=99999999999999999999999999", stats + "?window=" + (BASE + 1), stats + "?window=%20",
                series + "?windows=0", series + "?windows=-1", series + "?windows=100000", series + "?windows=1.5",
                series + "?windows=2147483648", series + "?windows=NaN",
                // percent-encoding junk the URI syntax allows
                stats + "?view=%e0%80", stats + "?view=%c0", stats + "?window=%2B1",
                "/api/stats/device-type/%00", "/api/stats/device-type/a%0d%0aSet-Cookie:%20x=1", "/api/stats/device/%ff%fe",
                "/%0a", "/api/stats/device-type/%7f",
                // over-long strings
                "/api/stats/device-type/" + "x".repeat(300), stats + "?view=" + "v".repeat(3000), "/" + "a/".repeat(1500),
                stats + "?" + "view=short&".repeat(20)));
        List<String> failures = new ArrayList<>();
        for (String target : malformed) {
            Answer answer = request("GET", target, "Bearer " + TOKEN);
            String problem = problem(answer);
            if (problem != null) {
                failures.add("GET " + abbreviate(target) + " -> " + answer.status() + " " + abbreviate(answer.body()) + ": " + problem);
            }
        }
        assertThat(failures).as("requests answered without a 4xx JSON message, or with an exception in the body").isEmpty();
    }

    /**
     * Request lines that are not valid URIs: Jetty refuses those whose path holds a character no URI path may hold, the
     * API those that {@link java.net.URI} cannot parse. Either way the answer is a JSON 400, without a stack trace.
     */
    @Test
    void requestLinesThatAreNotUrisAreRefusedByTheServerItself() throws IOException {
        String stats = "/api/stats/device-type/" + FP32;
        for (String target : List.of("/api/stats/device-type/%zz", "/api/stats/device-type/a|b", "/api/<script>", "/api/{x}",
                "/api/stats/device-type/%", "/api/stats/device-type/%u2215", stats + "?window=%zz", stats + "?window=%",
                stats + "?%=1")) {
            Answer answer = request("GET", target, "Bearer " + TOKEN);
            assertThat(answer.status()).as(target).isEqualTo(400);
            assertThat(answer.body()).as(target).doesNotContain("\tat ", ".java:", "dev.edgeinfer");
            assertThat(problem(answer)).as(target).isNull();
        }
    }

    /** Why an answer to a malformed request is wrong, or null when it is right. */
    private static String problem(Answer answer) {
        if (answer.status() < 400 || answer.status() >= 500) {
            return "status is not 4xx";
        }
        if (LEAK.matcher(answer.body()).find()) {
            return "the body names an exception or code";
        }
        try {
            JsonNode json = answer.json();
            if (json.get("status").asInt() != answer.status() || json.get("message").asText().isBlank()) {
                return "the JSON has no message";
            }
        } catch (IOException | RuntimeException e) {
            return "the body is not a JSON error";
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }

    /** Writes the request exactly as given and reads the whole answer. */
    private Answer request(String method, String target, String authorization) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.host.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + (method.equals("POST") || method.equals("PUT") || method.equals("PATCH") ? "Content-Length: 2\r\n\r\n{}" : "\r\n");
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            try (InputStream in = socket.getInputStream()) {
                return Answer.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    private record Answer(int status, String headers, String body) {

        static Answer parse(String response) {
            Matcher status = STATUS_LINE.matcher(response);
            if (!status.find()) {
                throw new AssertionError("Not an HTTP/1.1 answer: " + abbreviate(response));
            }
            int split = response.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(status.group(1)), response.substring(0, split), response.substring(split + 4));
        }

        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        JsonNode json() throws IOException {
            return ApiTestServer.MAPPER.readTree(body);
        }
    }
}
