import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.local.LocalStackBuilder;
import dev.edgeinfer.producer.fleet.FleetSettings;
import dev.edgeinfer.producer.fleet.FleetSimulation;
import dev.edgeinfer.producer.fleet.FleetSummary;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.process.Machine;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;

/**
 * A simulated fleet against running analytics instances: {@code --devices} devices of {@code --device-types} types at
 * {@code --rate} predictions per second each for {@code --duration}, with heartbeats and a share of dead letters, on a
 * local stack of {@code --brokers} brokers with {@code --instances} analytics instances (one application). While the
 * fleet writes, it samples every 5 s the instances' lag (predictions written, not yet committed by the analytics),
 * CPU and resident memory, and queries the API ({@code /api/stats/device-type/..}, {@code /api/stats/device/..},
 * {@code /api/device-types}, each instance in turn, {@code --query-rate} requests per second). At the end every
 * instance's totals per device type must equal what the fleet wrote. Writes the figures as JSON to {@code --out}.
 */
public final class FleetBench {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchProcesses.options(args);
        int devices = Integer.parseInt(options.getOrDefault("devices", "1000"));
        int deviceTypes = Integer.parseInt(options.getOrDefault("device-types", "5"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "10"));
        Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration-seconds", "600")));
        int instances = Integer.parseInt(options.getOrDefault("instances", "1"));
        int brokers = Integer.parseInt(options.getOrDefault("brokers", "1"));
        double queryRate = Double.parseDouble(options.getOrDefault("query-rate", "10"));
        String jvmFlags = options.getOrDefault("analytics-jvm", "-Xms192m -Xmx192m -XX:TrimNativeHeapInterval=5000");
        Path out = Path.of(options.getOrDefault("out", "bench/analytics/target/fleet.json"));
        Path runDir = Files.createDirectories(out.toAbsolutePath().getParent().resolve("run-" + System.currentTimeMillis()));

        LocalStackBuilder builder = LocalStack.builder().runParent(runDir).startupTimeout(Duration.ofMinutes(4));
        if (brokers > 1) {
            builder.brokers(brokers).partitions(6);
        }
        try (LocalStack stack = builder.start(); Admin admin = Admin.create(stack.clientProperties())) {
            String applicationId = "bench-fleet-" + UUID.randomUUID();
            List<AppProcess> processes = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            try {
                for (int i = 0; i < instances; i++) {
                    int port = Apps.freePort();
                    processes.add(BenchProcesses.startAnalytics("analytics-" + i, stack.bootstrapServers(), stack.schemaRegistryUrl(),
                            applicationId, port, jvmFlags, "", runDir));
                    ports.add(port);
                }
                Map<String, Object> result = run(stack, admin, applicationId, processes, ports, devices, deviceTypes, rate,
                        duration, queryRate);
                result.put("command", "bench/analytics/fleet-bench.sh " + String.join(" ", args));
                result.put("brokers", brokers);
                result.put("jvmFlags", jvmFlags);
                Files.createDirectories(out.toAbsolutePath().getParent());
                JSON.writeValue(out.toFile(), result);
                System.out.println(JSON.writeValueAsString(result));
            } finally {
                processes.forEach(AppProcess::close);
            }
        }
    }

    private static Map<String, Object> run(LocalStack stack, Admin admin, String applicationId, List<AppProcess> processes,
                                           List<Integer> ports, int devices, int deviceTypes, double rate, Duration duration,
                                           double queryRate)
            throws Exception {
        FleetSettings fleet = FleetSettings.defaults(devices, deviceTypes, 11).withPredictionRate(devices * rate)
                .withLimits(duration, 0);
        Map<String, Object> client = new HashMap<>(stack.clientProperties());
        double[] cpuAtStart = new double[processes.size()];
        for (int i = 0; i < processes.size(); i++) {
            cpuAtStart[i] = BenchProcesses.cpuSeconds(processes.get(i).pid());
        }
        long startNanos = System.nanoTime();
        CompletableFuture<FleetSummary> simulation = CompletableFuture.supplyAsync(() -> {
            try {
                return FleetSimulation.run(client, fleet);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        AtomicBoolean querying = new AtomicBoolean(true);
        List<String> typeNames = fleet.types().stream().map(t -> t.name()).toList();
        Map<String, Histogram> queryLatencies = new LinkedHashMap<>();
        CompletableFuture<Void> queries =
                CompletableFuture.runAsync(() -> queryLoop(ports, typeNames, devices, queryRate, querying, queryLatencies));

        List<Map<String, Object>> samples = new ArrayList<>();
        while (!simulation.isDone()) {
            Thread.sleep(SAMPLE_EVERY.toMillis());
            samples.add(sample(admin, applicationId, processes, startNanos));
        }
        FleetSummary written = simulation.get();
        querying.set(false);
        queries.get();
        long writtenEnd = BenchProcesses.endOffsets(admin, Topics.PREDICTIONS);
        long caughtUpNanos = System.nanoTime();
        while (BenchProcesses.committedOffsets(admin, applicationId, Topics.PREDICTIONS) < writtenEnd) {
            Thread.sleep(200);
        }
        double catchUpSeconds = (System.nanoTime() - caughtUpNanos) / 1e9;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bench", "analytics-fleet");
        result.put("date", Instant.now().toString());
        result.put("cpu", Machine.cpuModel());
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("devices", devices);
        result.put("deviceTypes", deviceTypes);
        result.put("instances", processes.size());
        result.put("plannedPredictionsPerSecond", devices * rate);
        result.put("written", Map.of("predictions", written.predictions(), "deadLetters", written.deadLetters(),
                "heartbeats", written.heartbeats(), "achievedPredictionsPerSecond", written.achievedPredictionRate(),
                "sendErrors", written.sendErrors()));
        result.put("lag", lagFigures(samples));
        result.put("catchUpSecondsAfterFleetStopped", catchUpSeconds);
        List<Map<String, Object>> perInstance = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            Map<String, Object> instance = new LinkedHashMap<>();
            double cpu = BenchProcesses.cpuSeconds(processes.get(i).pid()) - cpuAtStart[i];
            instance.put("cpuSeconds", cpu);
            instance.put("coresUsed", cpu / elapsed);
            int index = i;
            List<Long> rss = samples.stream().map(s -> ((List<Long>) s.get("rssKiB")).get(index)).sorted().toList();
            instance.put("rssKiBMedian", rss.get(rss.size() / 2));
            instance.put("rssKiBMax", rss.get(rss.size() - 1));
            instance.put("totals", totals(ports.get(i), written));
            perInstance.add(instance);
        }
        result.put("perInstance", perInstance);
        double analyticsCpu = perInstance.stream().mapToDouble(m -> (double) m.get("cpuSeconds")).sum();
        result.put("predictionsPerAnalyticsCpuSecond", written.predictions() / analyticsCpu);
        result.put("predictionsPerSecondPerInstance", written.predictions() / elapsed / processes.size());
        Map<String, Object> latencies = new LinkedHashMap<>();
        queryLatencies.forEach((route, histogram) -> latencies.put(route, Map.of(
                "requests", histogram.getTotalCount(),
                "p50Millis", histogram.getValueAtPercentile(50) / 1000.0,
                "p99Millis", histogram.getValueAtPercentile(99) / 1000.0,
                "maxMillis", histogram.getMaxValue() / 1000.0)));
        result.put("queryLatencies", latencies);
        result.put("samples", samples);
        return result;
    }

    /** Lag over the whole run, and over its last quarter (steady state). */
    private static Map<String, Object> lagFigures(List<Map<String, Object>> samples) {
        List<Long> lags = samples.stream().map(s -> (Long) s.get("lag")).toList();
        List<Long> lastQuarter = lags.subList(lags.size() * 3 / 4, lags.size());
        return Map.of("max", lags.stream().mapToLong(Long::longValue).max().orElse(0),
                "lastQuarterMax", lastQuarter.stream().mapToLong(Long::longValue).max().orElse(0),
                "lastQuarterMean", lastQuarter.stream().mapToLong(Long::longValue).average().orElse(0));
    }

    private static Map<String, Object> sample(Admin admin, String applicationId, List<AppProcess> processes, long startNanos)
            throws Exception {
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("seconds", Math.round((System.nanoTime() - startNanos) / 1e9));
        long end = BenchProcesses.endOffsets(admin, Topics.PREDICTIONS);
        sample.put("lag", end - BenchProcesses.committedOffsets(admin, applicationId, Topics.PREDICTIONS));
        List<Long> rss = new ArrayList<>();
        for (AppProcess process : processes) {
            rss.add(BenchProcesses.rssKiB(process.pid()));
        }
        sample.put("rssKiB", rss);
        return sample;
    }

    /** Each instance in turn: a device type's statistics, a device's, the device types; latencies by route. */
    private static void queryLoop(List<Integer> ports, List<String> types, int devices, double rate, AtomicBoolean running,
                                  Map<String, Histogram> latencies) {
        long pauseNanos = (long) (1e9 / rate);
        long next = System.nanoTime();
        int request = 0;
        while (running.get()) {
            int port = ports.get(request % ports.size());
            String type = types.get(ThreadLocalRandom.current().nextInt(types.size()));
            String route;
            String path;
            switch (request % 3) {
                case 0 -> { route = "/api/stats/device-type/{type}"; path = "/api/stats/device-type/" + type; }
                case 1 -> {
                    route = "/api/stats/device/{id}";
                    path = "/api/stats/device/sim-" + String.format("%03d", firstDeviceOf(type, types, devices)) + "-" + type;
                }
                default -> { route = "/api/device-types"; path = "/api/device-types"; }
            }
            long start = System.nanoTime();
            try {
                BenchProcesses.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                // A failed request counts at its full time; the bench is about latency under load, not availability.
            }
            latencies.computeIfAbsent(route, r -> new Histogram(3)).recordValue((System.nanoTime() - start) / 1000);
            request++;
            next += pauseNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Index of the first device of a type: the simulator numbers the devices type by type. */
    private static int firstDeviceOf(String type, List<String> types, int devices) {
        int index = types.indexOf(type);
        int perType = devices / types.size();
        int extra = devices % types.size();
        return index * perType + Math.min(index, extra);
    }

    /**
     * Frames and dead letters per device type in the instance's long view, against what the fleet wrote. An answer
     * other than 200 (an instance restoring a task after a rebalance answers 503) is asked again, for up to 3 minutes.
     */
    private static Map<String, Object> totals(int port, FleetSummary written) throws Exception {
        Map<String, Object> totals = new LinkedHashMap<>();
        boolean all = true;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (FleetSummary.DeviceTypeTotals type : written.deviceTypes()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/stats/device-type/" + type.deviceType() + "?view=long")).timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> response = BenchProcesses.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            while (response.statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                response = BenchProcesses.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            }
            JsonNode stats = JSON.readTree(response.body());
            long frames = stats.path("frames").asLong(-1);
            long deadLetters = stats.path("deadLetters").asLong(-1);
            totals.put(type.deviceType(), response.statusCode() != 200 ? "answered " + response.statusCode() + ": " + response.body()
                    : frames + " of " + type.predictions() + " predictions, " + deadLetters + " of " + type.deadLetters()
                            + " dead letters");
            all &= frames == type.predictions() && deadLetters == type.deadLetters();
        }
        totals.put("allEqual", all);
        return totals;
    }
}
