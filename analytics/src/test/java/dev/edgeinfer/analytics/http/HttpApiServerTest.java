package dev.edgeinfer.analytics.http;

import static dev.edgeinfer.analytics.topology.TestRecords.FP32;
import static dev.edgeinfer.analytics.topology.TestRecords.INT8;
import static dev.edgeinfer.analytics.topology.TestRecords.prediction;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.query.InstanceDirectory;
import dev.edgeinfer.analytics.query.SingleInstanceDirectory;
import dev.edgeinfer.analytics.topology.AnalyticsTestDriver;
import dev.edgeinfer.avro.Precision;
import dev.edgeinfer.schemas.analytics.LatencyBoundCheck;
import dev.edgeinfer.schemas.analytics.LatencyBoundVerdict;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API of one instance over hand-built predictions. */
class HttpApiServerTest {

    static final long BASE = 1_700_000_040_000L;

    private AnalyticsTestDriver driver;
    private ApiTestServer api;

    @BeforeEach
    void start() {
        driver = new AnalyticsTestDriver(AnalyticsSettings.defaults(), Instant.ofEpochMilli(BASE));
        // 40 FP32 frames, 30 right; inference 10..400 µs. 40 INT8 predictions of the same frames, 4 differing.
        for (int i = 1; i <= 40; i++) {
            driver.pipe(prediction("f" + i).predicted(3).truth(i <= 30 ? 3 : 5).inferenceMicros(i * 10L).build(), BASE + i);
            driver.pipe(prediction("f" + i).device("pi-2", INT8, Precision.INT8).predicted(i <= 4 ? 8 : 3).truth(i <= 30 ? 3 : 5)
                    .build(), BASE + 100 + i);
        }
        api = new ApiTestServer(driver, SingleInstanceDirectory::new);
    }

    @AfterEach
    void stop() {
        api.close();
        driver.close();
    }

    @Test
    void statsOfADeviceTypeAsJson() {
        JsonNode stats = api.json("/api/stats/device-type/" + FP32);
        assertThat(stats.get("frames").asLong()).isEqualTo(40);
        assertThat(stats.get("correct").asLong()).isEqualTo(30);
        assertThat(stats.get("accuracy").asDouble()).isEqualTo(0.75);
        assertThat(stats.get("windowStart").asLong()).isEqualTo(BASE - 50_000);
        assertThat(stats.get("view").asText()).isEqualTo("1m");
        JsonNode p50 = stats.get("inference").get("percentiles").get(0);
        assertThat(p50.get("name").asText()).isEqualTo("p50");
        assertThat(p50.get("micros").asLong()).isEqualTo(200);
        assertThat(p50.get("verdict").asText()).isEqualTo("ok");
        JsonNode p90 = stats.get("inference").get("percentiles").get(1);
        assertThat(p90.get("micros").isNull()).isTrue();
        assertThat(p90.get("verdict").asText()).isEqualTo("insufficient samples");
        assertThat(p90.get("samplesNeeded").asLong()).isEqualTo(100);
        assertThat(stats.get("inference").get("maxMicros").asLong()).isEqualTo(400);
        // The default bound, p99 end to end within 100 ms, which 40 frames cannot support.
        JsonNode bound = stats.get("latencyBound");
        List<String> fields = new ArrayList<>();
        bound.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("percentile", "boundMillis", "observedMillis", "samples", "samplesNeeded", "verdict");
        assertThat(bound.get("percentile").asDouble()).isEqualTo(99.0);
        assertThat(bound.get("boundMillis").asDouble()).isEqualTo(100.0);
        assertThat(bound.get("observedMillis").isNull()).isTrue();
        assertThat(bound.get("samples").asLong()).isEqualTo(40);
        assertThat(bound.get("samplesNeeded").asLong()).isEqualTo(1000);
        assertThat(bound.get("verdict").asText()).isEqualTo("INSUFFICIENT_SAMPLES");
        assertThat(api.json("/api/stats/precision/INT8").get("latencyBound").isNull()).isTrue();

        assertThat(api.json("/api/stats/device/pi-2?window=latest&view=1m").get("frames").asLong()).isEqualTo(40);
        assertThat(api.json("/api/stats/precision/INT8?view=15m").get("windowStart").asLong()).isEqualTo(BASE - 14 * 60_000);
        assertThat(api.json("/api/stats/device-type/" + FP32 + "?window=" + (BASE - 60_000)).get("frames").asLong()).isZero();
        assertThat(api.get("/api/stats/device-type/" + FP32).headers().firstValue(HttpApiServer.SERVED_BY_HEADER))
                .contains("127.0.0.1:" + api.host.port());
    }

    @Test
    void timeSeriesConfusionAgreementAndDeviceTypes() {
        JsonNode series = api.json("/api/timeseries/device-type/" + FP32 + "?windows=4");
        assertThat(series.get("windows")).hasSize(4);
        assertThat(series.get("windows").get(3).get("frames").asLong()).isEqualTo(40);
        assertThat(series.get("windows").get(0).get("windowStart").asLong()).isEqualTo(BASE - 80_000);
        List<String> verdicts = new ArrayList<>();
        series.get("windows").forEach(window -> verdicts.add(window.get("latencyBound").get("verdict").asText()));
        assertThat(verdicts).containsExactly("INSUFFICIENT_SAMPLES", "INSUFFICIENT_SAMPLES", "INSUFFICIENT_SAMPLES",
                "INSUFFICIENT_SAMPLES");

        JsonNode confusion = api.json("/api/confusion/" + INT8);
        assertThat(confusion.get("labels").get(3).asText()).isEqualTo("cat");
        assertThat(confusion.get("matrix").get(3).get(3).asLong()).isEqualTo(26);
        assertThat(confusion.get("matrix").get(3).get(8).asLong()).isEqualTo(4);
        assertThat(confusion.get("matrix").get(5).get(3).asLong()).isEqualTo(10);

        JsonNode agreement = api.json("/api/agreement");
        assertThat(agreement.get("referenceDeviceType").asText()).isEqualTo(FP32);
        JsonNode vsReference = agreement.get("againstReference").get(0);
        assertThat(vsReference.get("deviceType").asText()).isEqualTo(INT8);
        assertThat(vsReference.get("compared").asLong()).isEqualTo(40);
        assertThat(vsReference.get("differing").asLong()).isEqualTo(4);
        assertThat(vsReference.get("disagreement").asDouble()).isEqualTo(0.1);

        JsonNode types = api.json("/api/device-types");
        assertThat(types.get("deviceTypes").findValuesAsText("deviceType")).containsExactly(FP32, INT8);
        assertThat(types.get("instances").get(0).asText()).isEqualTo("127.0.0.1:" + api.host.port());
    }

    @Test
    void malformedRequestsGetJsonErrorsWithoutStackTraces() throws IOException {
        assertError("/api/stats/gpu/x", 400, "Unknown dimension 'gpu'");
        assertError("/api/stats/device-type/" + FP32 + "?window=yesterday", 400, "window must be 'latest'");
        assertError("/api/stats/device-type/" + FP32 + "?window=" + (BASE + 1), 400, "multiples of 10000 ms, e.g. " + BASE);
        assertError("/api/stats/device-type/" + FP32 + "?view=3h", 400, "Unknown view '3h'; use 1m or 15m");
        assertError("/api/timeseries/device-type/" + FP32 + "?windows=0", 400, "windows must be a whole number from 1 to 720");
        assertError("/api/timeseries/device-type/" + FP32 + "?windows=lots", 400, "windows must be a whole number");
        assertError("/api/stats/device-type/no-such-type", 404, "No statistics for device-type 'no-such-type'");
        assertError("/api/stats/device-type", 404, "expected /api/stats/{dimension}/{key}");
        assertError("/api/nothing", 404, "No such resource: /api/nothing");
        assertError("/nothing", 404, "No such page");

        HttpResponse<String> post = api.send(HttpRequest.newBuilder(URI.create(api.url("/api/agreement")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(ApiTestServer.MAPPER.readTree(post.body()).get("message").asText()).contains("read-only");
    }

    @Test
    void aDeviceIdWithAnEncodedSlashIsOneKey() {
        driver.pipe(prediction("s1").device("rack/3", FP32, Precision.FP32).build(), BASE + 500);
        assertThat(api.json("/api/stats/device/rack%2F3").get("key").asText()).isEqualTo("rack/3");
    }

    @Test
    void openApiDashboardAndMetrics() {
        JsonNode openApi = api.json("/api/openapi.json");
        assertThat(openApi.get("openapi").asText()).startsWith("3.");
        List<String> paths = new ArrayList<>();
        openApi.get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/api/device-types", "/api/stats/{dimension}/{key}", "/api/timeseries/{dimension}/{key}",
                "/api/confusion/{deviceType}", "/api/agreement", "/metrics");
        JsonNode schemas = openApi.get("components").get("schemas");
        assertThat(schemas.get("WindowStats").get("properties").get("latencyBound").get("allOf").get(0).get("$ref").asText())
                .isEqualTo("#/components/schemas/LatencyBoundCheck");
        List<String> boundFields = new ArrayList<>();
        schemas.get("LatencyBoundCheck").get("properties").fieldNames().forEachRemaining(boundFields::add);
        assertThat(boundFields).containsExactly(Arrays.stream(LatencyBoundCheck.class.getRecordComponents())
                .map(RecordComponent::getName).toArray(String[]::new));
        List<String> verdicts = new ArrayList<>();
        schemas.get("LatencyBoundCheck").get("properties").get("verdict").get("enum").forEach(v -> verdicts.add(v.asText()));
        assertThat(verdicts).containsExactly(Arrays.stream(LatencyBoundVerdict.values()).map(Enum::name).toArray(String[]::new));

        HttpResponse<String> dashboard = api.get("/");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(dashboard.body()).contains("<title>Edge inference analytics</title>");

        api.json("/api/agreement");
        HttpResponse<String> metrics = api.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("analytics_http_requests_seconds_count{route=\"agreement\",status=\"200\"}");
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    private void assertError(String pathAndQuery, int status, String messagePart) throws IOException {
        HttpResponse<String> response = api.get(pathAndQuery);
        assertThat(response.statusCode()).as(pathAndQuery).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode error = ApiTestServer.MAPPER.readTree(response.body());
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(error.get("message").asText()).as(pathAndQuery).contains(messagePart);
        assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    /** Two instances of one application, seen from {@code self}. */
    record SplitDirectory(HostInfo self, HostInfo first, HostInfo second) implements InstanceDirectory {
        @Override
        public List<HostInfo> allInstances() {
            return List.of(first, second);
        }
    }

    @Test
    void livenessFailsOnlyWhenKafkaStreamsStoppedForGoodAndReadinessWhenNotRunning() {
        AtomicReference<String> state = new AtomicReference<>("RUNNING");
        try (ApiTestServer probes = new ApiTestServer(driver, ApiTestServer.freePort(), SingleInstanceDirectory::new,
                Optional.empty(), state::get)) {
            for (String[] expected : new String[][] {
                    {"RUNNING", "200", "200"}, {"CREATED", "200", "503"}, {"REBALANCING", "200", "503"},
                    {"PENDING_SHUTDOWN", "503", "503"}, {"NOT_RUNNING", "503", "503"}, {"PENDING_ERROR", "503", "503"},
                    {"ERROR", "503", "503"}}) {
                state.set(expected[0]);
                HttpResponse<String> live = probes.get(HttpApiServer.LIVENESS_PATH);
                assertThat(live.statusCode()).as("liveness in %s", expected[0]).isEqualTo(Integer.parseInt(expected[1]));
                assertThat(live.body()).contains(expected[0]);
                assertThat(probes.get(HttpApiServer.READINESS_PATH).statusCode()).as("readiness in %s", expected[0])
                        .isEqualTo(Integer.parseInt(expected[2]));
                assertThat(probes.get("/api/health").statusCode()).as("/api/health in %s", expected[0])
                        .isEqualTo(Integer.parseInt(expected[2]));
            }
        }
    }
}
