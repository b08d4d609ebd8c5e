package dev.edgeinfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import dev.edgeinfer.avro.ClassScore;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.analytics.WindowStats;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.serde.SampleRecords;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.analytics.AnalyticsClient;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics API's OpenAPI description (analytics/src/main/resources/openapi.json) against real answers of the
 * analytics app, run as a process on the local stack with predictions, heartbeats and dead letters of two device types:
 * every documented path is called, the status must be documented, and a JSON body must match its documented schema
 * read strictly (every documented field present, no undocumented field). Then the typed Python client of the docs
 * (docs/examples/analytics_client.py) reads the same answers.
 */
class AnalyticsOpenApiIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String DOCUMENT = "https://edgeinfer.dev/analytics/openapi.json";
    private static final String INT8 = "rpi5-openvino-cpu-int8";
    private static final String FP32 = "x86-onnxruntime-cpu-fp32";
    private static final int FRAMES = 40;
    /** Internal, between instances of the app, and documented as such without a body schema. */
    private static final Set<String> NOT_CALLED = Set.of("/api/parts/{operation}");

    @TempDir
    static Path dir;

    private static Apps apps;
    private static AnalyticsClient client;
    private static JsonNode document;
    private static JsonSchemaFactory schemas;
    private final Set<String> called = new HashSet<>();

    @BeforeAll
    static void startAnalytics() throws Exception {
        apps = new Apps(Apps.repositoryRoot(), dir.resolve("logs"), LOCAL.stack().clientProperties());
        int port = Apps.freePort();
        AppProcess analytics = apps.analytics("analytics", "openapi-" + UUID.randomUUID(), port, dir.resolve("state"),
                List.of("--no-create-topics"));
        client = AnalyticsClient.onPort(port);
        client.awaitHealthy(analytics, Duration.ofMinutes(3));
        writeRecords();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while ((client.frames("device-type", INT8, "short") < FRAMES || client.frames("device-type", FP32, "short") < FRAMES)
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(client.frames("device-type", FP32, "short")).as("frames counted by the analytics").isEqualTo(FRAMES);
        try (InputStream in = AnalyticsOpenApiIT.class.getResourceAsStream("/openapi.json")) {
            document = JSON.readTree(in);
        }
        String strict = JSON.writeValueAsString(strict(document.deepCopy()));
        schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, builder -> builder
                .metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri())
                .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT, strict))));
    }

    @AfterAll
    static void stop() {
        if (apps != null) {
            apps.close();
        }
    }

    @Test
    void everyDocumentedPathAnswersAsDocumented() throws Exception {
        check("/api/device-types", "/api/device-types", 200);
        check("/api/device-types", "/api/device-types?view=long", 200);
        check("/api/device-types", "/api/device-types?view=no-such-view", 400);
        check("/api/stats/{dimension}/{key}", "/api/stats/device-type/" + INT8, 200);
        check("/api/stats/{dimension}/{key}", "/api/stats/device/pi-int8?view=long", 200);
        check("/api/stats/{dimension}/{key}", "/api/stats/precision/INT8", 200);
        check("/api/stats/{dimension}/{key}", "/api/stats/device-type/no-such-type", 404);
        check("/api/stats/{dimension}/{key}", "/api/stats/colour/red", 400);
        check("/api/timeseries/{dimension}/{key}", "/api/timeseries/device-type/" + FP32 + "?windows=3", 200);
        check("/api/confusion/{deviceType}", "/api/confusion/" + INT8, 200);
        check("/api/agreement", "/api/agreement", 200);
        check("/api/agreement", "/api/agreement?window=12345", 400);
        check("/api/health/live", "/api/health/live", 200);
        check("/api/health/ready", "/api/health/ready", 200);
        check("/api/health", "/api/health", 200);
        check("/api/openapi.json", "/api/openapi.json", 200);
        check("/metrics", "/metrics", 200);
        check("/", "/", 200);

        // The check itself can fail: an answer with a field left out and one added does not match.
        String stats = "/paths/~1api~1stats~1{dimension}~1{key}/get/responses/200/content/application~1json/schema";
        ObjectNode altered = (ObjectNode) JSON.readTree(HTTP.send(HttpRequest.newBuilder(client.base()
                .resolve("/api/stats/device-type/" + INT8)).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(validate(stats, altered)).isEmpty();
        altered.remove("frames");
        altered.put("undocumented", 1);
        assertThat(validate(stats, altered)).hasSize(2);

        Set<String> documented = new HashSet<>();
        document.get("paths").fieldNames().forEachRemaining(documented::add);
        documented.removeAll(NOT_CALLED);
        assertThat(called).as("documented paths this test calls").isEqualTo(documented);
    }

    @Test
    void thePythonTypedClientReadsTheSameAnswers() throws Exception {
        List<String> command = ExampleRun.python("analytics_client.py");
        command.addAll(List.of("--url", client.base().toString()));
        List<String> lines = ExampleRun.run(command, dir, 60);
        assertThat(lines).hasSize(2);
        for (String deviceType : List.of(INT8, FP32)) {
            WindowStats stats = client.stats("device-type", deviceType, "short").orElseThrow();
            String device = deviceType.equals(INT8) ? "pi-int8" : "x86-fp32";
            assertThat(lines).contains(String.format(Locale.ROOT, "%s: %d frames, accuracy %.3f, p99 end to end %s, devices %s",
                    deviceType, stats.frames(), stats.accuracy(), p99(stats), device));
        }
    }

    private static String p99(WindowStats stats) {
        return stats.endToEnd().percentiles().stream().filter(p -> p.name().equals("p99")).findFirst()
                .map(p -> p.micros() == null ? "n/a" : p.micros() + " us").orElse("n/a");
    }

    /** Calls the API and checks the answer against the description of the path's GET. */
    private void check(String path, String request, int expectedStatus) throws Exception {
        called.add(path);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(client.base().resolve(request))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("status of %s: %s", request, response.body()).isEqualTo(expectedStatus);
        JsonNode operation = document.get("paths").get(path).get("get");
        String status = Integer.toString(response.statusCode());
        assertThat(operation.get("responses").has(status)).as("status %s of GET %s is documented", status, path).isTrue();
        String pointer = "/paths/" + escape(path) + "/get/responses/" + status;
        JsonNode documentedResponse = operation.get("responses").get(status);
        if (documentedResponse.has("$ref")) {
            pointer = documentedResponse.get("$ref").asText().substring(1);
            documentedResponse = document.at(pointer);
        }
        JsonNode content = documentedResponse.get("content");
        if (content == null) {
            return;
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        assertThat(content.has(contentType)).as("content type %s of %s is documented: %s", contentType, request, content).isTrue();
        if (contentType.equals("application/json") && content.get(contentType).has("schema")) {
            Set<ValidationMessage> errors = validate(pointer + "/content/application~1json/schema", JSON.readTree(response.body()));
            assertThat(errors).as("%s against %s: %s", request, pointer, response.body()).isEmpty();
        }
    }

    /** The errors of a JSON value against the schema at a pointer into the strict document. */
    private static Set<ValidationMessage> validate(String schemaPointer, JsonNode value) {
        JsonSchema schema = schemas.getSchema(SchemaLocation.of(DOCUMENT + "#" + schemaPointer), SchemaValidatorsConfig.builder().build());
        return schema.validate(value);
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }

    /** The document with every object schema closed: all its properties required, no other property allowed. */
    private static JsonNode strict(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && object.get("properties").isObject() && !object.has("additionalProperties")) {
                ArrayNode required = object.putArray("required");
                object.get("properties").fieldNames().forEachRemaining(required::add);
                object.put("additionalProperties", false);
            }
            object.elements().forEachRemaining(AnalyticsOpenApiIT::strict);
        } else if (node instanceof ArrayNode array) {
            array.elements().forEachRemaining(AnalyticsOpenApiIT::strict);
        }
        return node;
    }

    /** Predictions of two device types (INT8 wrong on every fifth frame), their devices' heartbeats, a dead letter. */
    private static void writeRecords() throws Exception {
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(LOCAL.stack().clientProperties(), false);
        String[] labels = {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(LOCAL.stack().clientProperties(),
                new StringSerializer(), serializer)) {
            Instant now = Instant.now();
            for (String deviceType : List.of(INT8, FP32)) {
                String device = deviceType.equals(INT8) ? "pi-int8" : "x86-fp32";
                for (int i = 0; i < FRAMES; i++) {
                    int truth = i % 10;
                    int predicted = deviceType.equals(INT8) && i % 5 == 0 ? (truth + 1) % 10 : truth;
                    Instant sent = now.plusMillis(i);
                    Prediction prediction = Prediction.newBuilder(SampleRecords.prediction("f" + i)).setDeviceId(device)
                            .setDeviceType(deviceType).setGroundTruth(truth).setPredictedClass(predicted)
                            .setPredictedLabel(labels[predicted]).setTopK(List.of(new ClassScore(predicted, labels[predicted], 0.9f)))
                            .setFrameCaptureTime(sent.minusMillis(5)).setFrameTimestamp(sent).setReceivedTime(sent.plusMillis(1))
                            .setPublishTime(sent.plusMillis(3)).build();
                    producer.send(new ProducerRecord<>(Topics.PREDICTIONS, "f" + i, prediction));
                }
                DeviceHeartbeat heartbeat = DeviceHeartbeat.newBuilder(SampleRecords.heartbeat()).setDeviceId(device)
                        .setDeviceType(deviceType).setSentTime(now).build();
                producer.send(new ProducerRecord<>(Topics.HEARTBEATS, device, heartbeat));
            }
            producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS, "f-dead", SampleRecords.deadLetter()));
            producer.flush();
        }
    }
}
