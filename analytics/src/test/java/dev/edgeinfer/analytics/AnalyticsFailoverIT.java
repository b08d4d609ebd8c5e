package dev.edgeinfer.analytics;

import static dev.edgeinfer.analytics.topology.TestRecords.FP32;
import static dev.edgeinfer.analytics.topology.TestRecords.INT8;
import static dev.edgeinfer.analytics.topology.TestRecords.ORT_FP32;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.analytics.http.HttpApiServer;
import dev.edgeinfer.analytics.topology.AnalyticsTopology;
import dev.edgeinfer.analytics.topology.TestRecords;
import dev.edgeinfer.avro.Precision;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.serde.AvroSerde;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two analytics instances on a real broker and registry, each holding the parts of its partitions: each answers every
 * key whole; when one dies (stops without
 * leaving the group, so its partitions move only after its session times out), the other
 * serves every key with nothing lost or counted twice; a third instance started with an empty state directory
 * restores its share from the changelogs and serves the same totals.
 *
 * <p>Frames f0..f29 are classified by three device types on six devices; ground truth is the frame index mod 10.
 * FP32 is always right, INT8 wrong on every fifth frame (f0, f5, ...), ONNX Runtime wrong on f3, f13, f23.
 */
class AnalyticsFailoverIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension(LocalStack.builder().startupTimeout(Duration.ofMinutes(4)));

    /** Generous: on a loaded machine a rebalance with exactly-once producers can take a minute or more. */
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateA;
    @TempDir
    Path stateB;
    @TempDir
    Path stateC;

    private final String applicationId = "analytics-it-" + UUID.randomUUID();
    private AnalyticsService a;
    private AnalyticsService b;
    private AnalyticsService c;

    @AfterEach
    void stop() {
        for (AnalyticsService service : new AnalyticsService[] {c, b, a}) {
            if (service != null) {
                service.close();
            }
        }
    }

    @Test
    void twoInstancesAnswerEachOthersKeysAndSurviveALoss() throws Exception {
        a = start(stateA);
        b = start(stateB);
        awaitBothRunningAndSharing(a, b);

        produce(0, 20);
        Map<String, long[]> afterFirst = expected(20);
        // Each instance holds the parts of its partitions; each answers every key whole by merging the other's parts.
        assertThat(awaitTotals(a, afterFirst)).as("instances that answered requests sent to A").containsExactly(a.httpPort());
        assertThat(awaitTotals(b, afterFirst)).as("instances that answered requests sent to B").containsExactly(b.httpPort());
        JsonNode types = getJson(b, "/api/device-types?view=15m");
        assertThat(types.get("deviceTypes").findValuesAsText("deviceType")).containsExactly(ORT_FP32, FP32, INT8);
        assertThat(types.get("instances")).hasSize(2);
        HttpResponse<String> metrics = get(a, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).as("Kafka Streams metrics are published").contains("kafka_stream_thread_process_total");

        // B dies: it stops without leaving the group, so A takes B's tasks only when B's session times out.
        b.streams().close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        b.close();
        b = null;
        assertThat(awaitTotals(a, afterFirst)).containsExactly(a.httpPort());

        produce(20, 30);
        Map<String, long[]> afterSecond = expected(30);
        awaitTotals(a, afterSecond);
        // Several commit intervals later the totals have not grown: nothing was counted twice.
        Thread.sleep(3000);
        assertTotals(a, afterSecond);

        JsonNode agreement = getJson(a, "/api/agreement?view=15m");
        assertThat(pair(agreement, ORT_FP32, FP32)).containsExactly(30, 3);
        assertThat(pair(agreement, ORT_FP32, INT8)).containsExactly(30, 9);
        assertThat(pair(agreement, FP32, INT8)).containsExactly(30, 6);
        assertThat(agreement.get("referenceDeviceType").asText()).isEqualTo(FP32);

        c = start(stateC);
        awaitBothRunningAndSharing(a, c);
        assertThat(awaitTotals(c, afterSecond)).as("the new instance serves its parts restored from the changelogs")
                .containsExactly(c.httpPort());
        assertThat(awaitTotals(a, afterSecond)).containsExactly(a.httpPort());
    }

    private AnalyticsService start(Path stateDir) throws InterruptedException {
        Map<String, Object> client = new HashMap<>(LOCAL.stack().clientProperties());
        // A dead instance is noticed after this long (the default is 45 s); not much shorter, or a busy machine's
        // late heartbeats alone would start rebalances.
        client.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 20_000);
        AnalyticsService service = AnalyticsService.start(client, applicationId, stateDir, "127.0.0.1", freePort());
        assertThat(service.awaitRunning(TIMEOUT)).as("instance on port %d reached RUNNING", service.httpPort()).isTrue();
        return service;
    }

    /** Both RUNNING after the rebalance that the second one's arrival started, and both hosting statistics. */
    private static void awaitBothRunningAndSharing(AnalyticsService first, AnalyticsService second) throws InterruptedException {
        eventually(() -> {
            assertThat(first.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(second.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(first.streams().streamsMetadataForStore(AnalyticsTopology.STATS_LONG_STORE)).hasSize(2);
        });
    }

    /** Predictions of frames [from, to) by the three device types. */
    private static void produce(int from, int to) {
        Map<String, Object> configs = new HashMap<>(LOCAL.stack().clientProperties());
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Prediction> producer = new KafkaProducer<>(configs, new StringSerializer(),
                AvroSerde.specific(Prediction.class, configs, false).serializer())) {
            for (int i = from; i < to; i++) {
                int truth = i % 10;
                send(producer, TestRecords.prediction("f" + i).device("pi-" + (1 + i % 2), FP32, Precision.FP32)
                        .predicted(truth).truth(truth).frameTimestamp(System.currentTimeMillis()).build());
                send(producer, TestRecords.prediction("f" + i).device("pi-" + (3 + i % 2), INT8, Precision.INT8)
                        .predicted(i % 5 == 0 ? (truth + 1) % 10 : truth).truth(truth).frameTimestamp(System.currentTimeMillis()).build());
                send(producer, TestRecords.prediction("f" + i).device("pi-" + (5 + i % 2), ORT_FP32, Precision.FP32)
                        .predicted(i % 10 == 3 ? (truth + 1) % 10 : truth).truth(truth).frameTimestamp(System.currentTimeMillis()).build());
            }
            producer.flush();
        }
    }

    private static void send(KafkaProducer<String, Prediction> producer, Prediction prediction) {
        producer.send(new ProducerRecord<>(Topics.PREDICTIONS, prediction.getFrameId(), prediction));
    }

    /** Expected {frames, correct} of every key after frames f0..f(n-1). */
    private static Map<String, long[]> expected(int n) {
        long int8Wrong = (n + 4) / 5;
        long ortWrong = n > 23 ? 3 : n > 13 ? 2 : n > 3 ? 1 : 0;
        Map<String, long[]> totals = new LinkedHashMap<>();
        totals.put("device-type/" + FP32, new long[] {n, n});
        totals.put("device-type/" + INT8, new long[] {n, n - int8Wrong});
        totals.put("device-type/" + ORT_FP32, new long[] {n, n - ortWrong});
        totals.put("precision/FP32", new long[] {2L * n, 2L * n - ortWrong});
        totals.put("precision/INT8", new long[] {n, n - int8Wrong});
        for (int device = 1; device <= 6; device++) {
            long frames = 0;
            long correct = 0;
            for (int i = device % 2 == 1 ? 0 : 1; i < n; i += 2) {
                frames++;
                boolean wrong = device >= 5 ? i % 10 == 3 : device >= 3 && i % 5 == 0;
                correct += wrong ? 0 : 1;
            }
            totals.put("device/pi-" + device, new long[] {frames, correct});
        }
        return totals;
    }

    /** Waits until every key has its expected totals through {@code service}; returns the ports of the instances that answered. */
    private static Set<Integer> awaitTotals(AnalyticsService service, Map<String, long[]> expected) throws InterruptedException {
        Set<Integer> servedBy = new HashSet<>();
        eventually(() -> {
            servedBy.clear();
            servedBy.addAll(assertTotals(service, expected));
        });
        return servedBy;
    }

    private static Set<Integer> assertTotals(AnalyticsService service, Map<String, long[]> expected)
            throws IOException, InterruptedException {
        Set<Integer> servedBy = new HashSet<>();
        for (Map.Entry<String, long[]> key : expected.entrySet()) {
            HttpResponse<String> response = get(service, "/api/stats/" + key.getKey() + "?view=15m");
            assertThat(response.statusCode()).as("%s: %s", key.getKey(), response.body()).isEqualTo(200);
            JsonNode stats = JSON.readTree(response.body());
            assertThat(new long[] {stats.get("frames").asLong(), stats.get("correct").asLong()})
                    .as("frames and correct of %s", key.getKey()).containsExactly(key.getValue());
            String instance = response.headers().firstValue(HttpApiServer.SERVED_BY_HEADER).orElseThrow();
            servedBy.add(Integer.parseInt(instance.substring(instance.lastIndexOf(':') + 1)));
        }
        return servedBy;
    }

    private static long[] pair(JsonNode agreement, String firstType, String secondType) {
        for (JsonNode pair : agreement.get("pairs")) {
            if (pair.get("firstType").asText().equals(firstType) && pair.get("secondType").asText().equals(secondType)) {
                return new long[] {pair.get("compared").asLong(), pair.get("differing").asLong()};
            }
        }
        throw new AssertionError("No pair " + firstType + ", " + secondType + " in " + agreement);
    }

    private static JsonNode getJson(AnalyticsService service, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = get(service, pathAndQuery);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(AnalyticsService service, String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }

    /** Retries {@code check} until it passes or {@link #TIMEOUT} runs out, then throws its last failure. */
    private static void eventually(Check check) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (Exception | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Still failing after " + TIMEOUT + ": " + e.getMessage(), e);
                }
                Thread.sleep(500);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
