import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.producer.fleet.FleetSettings;
import dev.edgeinfer.producer.fleet.FleetSimulation;
import dev.edgeinfer.producer.fleet.FleetSummary;
import dev.edgeinfer.schemas.serde.AvroSerde;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.process.Machine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.BytesDeserializer;
import org.apache.kafka.common.utils.Bytes;

/**
 * The analytics app against a bare Kafka consumer on the same backlog of predictions, in one run: the bare consumer
 * only deserializes the predictions with the project's Avro serde; the analytics app (its own JVM, exactly-once, the
 * default views) counts them into its stores. Both read the whole backlog from the start; each rate is predictions over
 * the time from its first record (the bare consumer) or from RUNNING (the analytics) to its last. The analytics' rate
 * ends when its committed offsets reach the end of the predictions topic: exactly-once commits them with its state.
 *
 * <p>Options: {@code --predictions N} (200000), {@code --device-types N} (5), {@code --devices N} (100),
 * {@code --analytics-jvm "FLAGS"} (the analytics JVM's flags, default {@code -Xms192m -Xmx192m -XX:TrimNativeHeapInterval=5000}),
 * {@code --analytics-config FILE} (a client properties file for the analytics app), {@code --write-rate N} (the
 * planned rate of the backlog's writer, 40000 predictions/s), {@code --out FILE}
 * (the result as JSON). The analytics instance starts from its module's build output through the apps launcher.
 */
public final class AnalyticsThroughput {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchProcesses.options(args);
        if (options.containsKey("bare-consumer")) {
            bareConsumer(options);
            return;
        }
        long predictions = Long.parseLong(options.getOrDefault("predictions", "200000"));
        int deviceTypes = Integer.parseInt(options.getOrDefault("device-types", "5"));
        int devices = Integer.parseInt(options.getOrDefault("devices", "100"));
        String analyticsJvm = options.getOrDefault("analytics-jvm", "-Xms192m -Xmx192m -XX:TrimNativeHeapInterval=5000");
        String analyticsConfig = options.getOrDefault("analytics-config", "");
        double writeRate = Double.parseDouble(options.getOrDefault("write-rate", "40000"));
        Path out = Path.of(options.getOrDefault("out", "bench/analytics/target/analytics-throughput.json"));
        Path runDir = Files.createDirectories(out.toAbsolutePath().getParent().resolve("run-" + System.currentTimeMillis()));

        try (LocalStack stack = LocalStack.builder().runParent(runDir).startupTimeout(Duration.ofMinutes(4)).start()) {
            Map<String, Object> client = new HashMap<>(stack.clientProperties());
            System.out.printf("Writing %,d predictions of %d device types from %d devices...%n", predictions, deviceTypes, devices);
            // A rate the simulator keeps up with, so end-to-end latencies are a fleet's (4-40 ms of transport plus the
            // devices' own), not a backlog that grows while it is written; no dead letters, so both readers see the same records.
            FleetSettings fleet = FleetSettings.defaults(devices, deviceTypes, 42)
                    .withPredictionRate(writeRate).withLimits(null, predictions).withShares(0, 1.0)
                    .withHeartbeatInterval(Duration.ofHours(1));
            FleetSummary written = FleetSimulation.run(client, fleet);
            long end;
            try (Admin admin = Admin.create(client)) {
                end = BenchProcesses.endOffsets(admin, Topics.PREDICTIONS);
            }
            System.out.printf("Backlog: %,d predictions on %s (end offsets sum %,d), written at %.0f/s%n",
                    written.predictions(), Topics.PREDICTIONS, end, written.achievedPredictionRate());

            Map<String, Object> bare = runBareConsumer(stack, end, runDir);
            System.out.printf("Bare consumer: %,.0f predictions/s%n", (double) bare.get("predictionsPerSecond"));
            Map<String, Object> analytics = runAnalytics(stack, client, end, written, analyticsJvm, analyticsConfig, runDir);
            System.out.printf("Analytics: %,.0f predictions/s%n", (double) analytics.get("predictionsPerSecond"));

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("bench", "analytics-throughput");
            result.put("date", Instant.now().toString());
            result.put("cpu", Machine.cpuModel());
            result.put("cores", Runtime.getRuntime().availableProcessors());
            result.put("command", "bench/analytics/analytics-throughput.sh " + String.join(" ", args));
            result.put("predictions", end);
            result.put("deviceTypes", deviceTypes);
            result.put("devices", devices);
            result.put("bareConsumer", bare);
            result.put("analytics", analytics);
            result.put("ratio", (double) analytics.get("predictionsPerSecond") / (double) bare.get("predictionsPerSecond"));
            Files.createDirectories(out.toAbsolutePath().getParent());
            JSON.writeValue(out.toFile(), result);
            System.out.printf("Analytics / bare consumer: %.3f; written to %s%n", (double) result.get("ratio"), out);
        }
    }

    /** The bare consumer in a JVM of its own (this file again, in its consumer mode), so neither reader warms the other. */
    private static Map<String, Object> runBareConsumer(LocalStack stack, long expected, Path runDir) throws Exception {
        Path result = runDir.resolve("bare-consumer.json");
        List<String> command = new ArrayList<>(List.of(BenchProcesses.javaBin(), "-Xmx256m",
                "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                "-cp", System.getProperty("java.class.path"), "AnalyticsThroughput", "--bare-consumer",
                "--bootstrap", stack.bootstrapServers(), "--registry", stack.schemaRegistryUrl(),
                "--expected", Long.toString(expected), "--result", result.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(runDir.resolve("bare-consumer.log").toFile()).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("The bare consumer failed; see " + runDir.resolve("bare-consumer.log"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> measured = JSON.readValue(result.toFile(), Map.class);
        return measured;
    }

    private static void bareConsumer(Map<String, String> options) throws IOException {
        long expected = Long.parseLong(options.get("expected"));
        Map<String, Object> configs = new HashMap<>();
        configs.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.get("bootstrap"));
        configs.put("schema.registry.url", options.get("registry"));
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-bare-" + UUID.randomUUID());
        try (KafkaConsumer<Bytes, Prediction> consumer = new KafkaConsumer<>(configs, new BytesDeserializer(),
                AvroSerde.specific(Prediction.class, configs, false).deserializer())) {
            consumer.subscribe(List.of(Topics.PREDICTIONS));
            long count = 0;
            long firstNanos = 0;
            long lastNanos = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            long checksum = 0;
            while (count < expected && System.nanoTime() < deadline) {
                ConsumerRecords<Bytes, Prediction> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty() && firstNanos == 0) {
                    firstNanos = System.nanoTime();
                }
                for (var record : records) {
                    checksum += record.value().getPredictedClass();
                    count++;
                }
                lastNanos = System.nanoTime();
            }
            double seconds = (lastNanos - firstNanos) / 1e9;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("records", count);
            result.put("seconds", seconds);
            result.put("predictionsPerSecond", count / seconds);
            result.put("cpuSeconds", ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(-1.0));
            result.put("checksum", checksum);
            JSON.writeValue(Path.of(options.get("result")).toFile(), result);
            if (count < expected) {
                throw new IllegalStateException("Read " + count + " of " + expected + " predictions in 10 minutes");
            }
        }
    }

    private static Map<String, Object> runAnalytics(LocalStack stack, Map<String, Object> client, long end, FleetSummary written,
                                                    String jvmFlags, String config, Path runDir)
            throws Exception {
        String applicationId = "bench-analytics-" + UUID.randomUUID();
        int port = Apps.freePort();
        AppProcess process = BenchProcesses.startAnalytics("analytics", stack.bootstrapServers(), stack.schemaRegistryUrl(),
                applicationId, port, jvmFlags, config, runDir);
        try (Admin admin = Admin.create(client)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            long startNanos = System.nanoTime();
            double cpuAtStart = BenchProcesses.cpuSeconds(process.pid());
            long peakRss = 0;
            List<Long> rssSamples = new ArrayList<>();
            long committed = 0;
            while (committed < end) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "The analytics app exited or took over 15 minutes; see " + runDir.resolve("analytics.log"));
                }
                Thread.sleep(200);
                committed = BenchProcesses.committedOffsets(admin, applicationId, Topics.PREDICTIONS);
                long rss = BenchProcesses.rssKiB(process.pid());
                rssSamples.add(rss);
                peakRss = Math.max(peakRss, rss);
            }
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            double cpu = BenchProcesses.cpuSeconds(process.pid()) - cpuAtStart;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("records", committed);
            result.put("seconds", seconds);
            result.put("predictionsPerSecond", committed / seconds);
            result.put("cpuSeconds", cpu);
            result.put("predictionsPerCpuSecond", committed / cpu);
            result.put("jvmFlags", jvmFlags);
            result.put("config", config.isEmpty() ? "defaults" : Files.readString(Path.of(config)).trim());
            result.put("rssKiBPeak", peakRss);
            result.put("rssKiBMedian", rssSamples.stream().sorted().toList().get(rssSamples.size() / 2));
            result.put("framesMatchWritten", framesMatch(port, written));
            return result;
        } finally {
            process.close();
        }
    }

    /** Whether the API's frames per device type (long view, latest window) equal what the simulator wrote. */
    private static Map<String, Object> framesMatch(int port, FleetSummary written) throws Exception {
        Map<String, Object> check = new LinkedHashMap<>();
        boolean all = true;
        for (FleetSummary.DeviceTypeTotals type : written.deviceTypes()) {
            String body = BenchProcesses.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/stats/device-type/" + type.deviceType() + "?view=long")).build(), HttpResponse.BodyHandlers.ofString()).body();
            long frames = JSON.readTree(body).path("frames").asLong(-1);
            check.put(type.deviceType(), frames + " of " + type.predictions());
            all &= frames == type.predictions();
        }
        check.put("all", all);
        return check;
    }
}
