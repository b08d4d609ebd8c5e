import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.manifest.Precision;
import dev.edgeinfer.schemas.manifest.TargetRuntime;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Edge consumer throughput against OpenVINO's own {@code benchmark_app}, in one run on one machine:
 *
 * <ol>
 *   <li>starts the local stack (a Kafka broker in this JVM, the schema registry in a child JVM);</li>
 *   <li>pre-loads {@code --frames} CIFAR-10 test frames into the frames topic with the producer app;</li>
 *   <li>runs {@code benchmark_app} on the artifact's IR (throughput hint, batch {@code --max-batch}) and reads the
 *       streams and infer requests it chose;</li>
 *   <li>runs the edge consumer app in its own JVM, exactly-once, on the same IR, device, streams, requests in
 *       flight and batch, until it has committed a prediction for every pre-loaded frame, sampling its VmRSS;</li>
 *   <li>runs {@code benchmark_app} again (the machine may be shared: the reference is the mean of both runs);</li>
 *   <li>reads the committed predictions back and prints frames per second between the first and the last
 *       prediction, by the broker's LogAppendTime stamps, and the ratio to {@code benchmark_app}.</li>
 * </ol>
 *
 * <p>Run through {@code bench/edge/edge-throughput.sh}, which builds what is missing and sets the class path. Options
 * (all optional): {@code --artifact openvino-int8 --models-dir models --frames 40000 --max-batch 32
 * --requests-in-flight N --num-streams N --max-wait-ms 20 --flush-frames N --commit-interval-ms N --jvm-flags "-Xmx128m"
 * --consumer-config FILE
 * --consumer-env "NAME=VALUE ..." --benchmark-seconds 20 --sample-ms 0 --cpus 1 --warmup-seconds 1
 * --busy-other-cpus no --interleave 0 --window-seconds 15 --scheduling other}. The steady state, over which CPU time and memory are taken and the steady rate is computed,
 * starts {@code --warmup-seconds} after the consumer's first commit: a long warm-up leaves the JIT compiler's work on
 * the consumer's one-time start out of it. With {@code --cpus}, {@code benchmark_app} and the consumer run on those
 * CPUs only ({@code taskset -c}), and the script keeps the broker, the registry and the producer on the others: the
 * inference side gets the same cores in both runs, as on a device whose broker is elsewhere. With
 * {@code --interleave N}, {@code benchmark_app} also runs {@code N} times inside the consumer's steady state, the
 * consumer stopped meanwhile, and each consumer window between two of them is compared with those two (see
 * {@link Interleaving}).
 */
public final class EdgeThroughput {
    private static final Pattern THROUGHPUT = Pattern.compile("Throughput:\\s+([0-9.]+)\\s+FPS");
    private static final Pattern STREAMS = Pattern.compile("\\bNUM_STREAMS:\\s+(\\d+)");
    private static final Pattern REQUESTS = Pattern.compile("Start inference asynchronously, (\\d+) inference requests");
    private static final Pattern PRECISION = Pattern.compile("INFERENCE_PRECISION_HINT:\\s+(.+)");
    private static final Pattern THREADS = Pattern.compile("INFERENCE_NUM_THREADS:\\s+(\\d+)");

    private final Map<String, String> options;
    private final Path root = Path.of("").toAbsolutePath();
    private final Path work;

    private EdgeThroughput(Map<String, String> options) throws IOException {
        this.options = options;
        this.work = Files.createDirectories(root.resolve("bench/edge/target/run-" + java.time.LocalDateTime.now()
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("options come as --name value pairs; got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("option " + args[args.length - 1] + " has no value");
        }
        new EdgeThroughput(options).run();
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private void run() throws Exception {
        String artifactId = option("artifact", "openvino-int8");
        Path modelsDir = root.resolve(option("models-dir", "models"));
        int frames = Integer.parseInt(option("frames", "40000"));
        int maxBatch = Integer.parseInt(option("max-batch", "32"));
        int seconds = Integer.parseInt(option("benchmark-seconds", "20"));
        ModelManifest manifest = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME));
        Artifact artifact = manifest.artifact(artifactId);
        if (artifact.runtime() != TargetRuntime.OPENVINO) {
            throw new IllegalArgumentException("benchmark_app runs OpenVINO IRs; " + artifactId + " is " + artifact.runtime());
        }
        Path ir = artifact.verifiedFiles(modelsDir).get(0);
        // The app runs FP32 artifacts at f32 by default (no silent bf16); benchmark_app must be told the same.
        boolean f32 = artifact.precision() == Precision.FP32;
        System.out.printf("edge throughput: %s (%s), %d frames, work folder %s%n", artifactId, ir, frames, work);

        try (LocalStack stack = LocalStack.builder().start()) {
            System.out.printf("local stack ready in %.1f s: %s, %s%n", stack.startupDuration().toMillis() / 1000.0,
                    stack.bootstrapServers(), stack.schemaRegistryUrl());
            produce(stack, frames);

            List<String> benchmarkCommand = new ArrayList<>(List.of(root.resolve(".venv/bin/benchmark_app").toString(),
                    "-m", ir.toString(), "-d", "CPU", "-hint", "throughput", "-t", Integer.toString(seconds),
                    "-shape", "[" + maxBatch + ",32,32,3]", "-ip", "u8"));
            if (f32) {
                benchmarkCommand.addAll(List.of("-infer_precision", "f32"));
            }
            List<Process> spinners = busyOtherCpus();
            BenchmarkApp before = benchmarkApp(benchmarkCommand, "before");
            int streams = Integer.parseInt(option("num-streams", Integer.toString(before.streams())));
            int requests = Integer.parseInt(option("requests-in-flight", Integer.toString(before.requests())));

            Interleaving interleaving = new Interleaving(benchmarkCommand);
            ConsumerRun consumer = runConsumer(stack, artifactId, modelsDir, frames, maxBatch, streams, requests,
                    interleaving);
            BenchmarkApp after = benchmarkApp(benchmarkCommand, "after");
            spinners.forEach(Process::destroy);
            Rates rates = readPredictions(stack, consumer.deviceType(), frames, consumer.steadyFromMillis(),
                    interleaving.windows());

            double reference = (before.fps() + after.fps()) / 2;
            System.out.printf(Locale.ROOT, "%n==== edge throughput: %s on CPU, batch %d, %d streams, %d requests in flight ====%n",
                    artifactId, maxBatch, streams, requests);
            System.out.printf(Locale.ROOT, "benchmark_app:   %.0f FPS before, %.0f FPS after, mean %.0f FPS "
                    + "(NUM_STREAMS %d, %d infer requests, %d threads, precision %s)%n", before.fps(), after.fps(), reference,
                    before.streams(), before.requests(), before.threads(), before.precision());
            System.out.printf("  command:       %s%n", String.join(" ", benchmarkCommand).replace(root + "/", ""));
            double spread = Math.abs(before.fps() - after.fps()) / reference;
            if (spread > 0.15) {
                System.out.printf(Locale.ROOT, "  warning:       benchmark_app moved by %.0f%% of the mean between its runs: the machine's"
                        + " speed changed during this run, so the ratio below is not a reliable figure%n", spread * 100);
            }
            System.out.printf(Locale.ROOT, "edge consumer:   %.0f FPS first to last committed prediction (%d predictions,"
                    + " %.2f s by broker LogAppendTime); %.0f FPS after the first 10%%%n", rates.firstToLast(),
                    rates.count(), rates.spanMillis() / 1000.0, rates.afterWarmUp());
            System.out.printf("  command:       %s%n", consumer.command());
            String paused = interleaving.runs() > 0 ? " (this span and the ratios on the next line include the consumer's pauses)" : "";
            System.out.printf(Locale.ROOT, "steady state:    %.0f FPS over the %d predictions appended from %s s after the"
                    + " first commit to the last%s%n", rates.steady(), rates.steadyCount(), option("warmup-seconds", "1"),
                    paused);
            System.out.printf(Locale.ROOT, "ratio:           %.3f of benchmark_app (target 0.9); %.3f after the first 10%%;"
                    + " %.3f at steady state%n", rates.firstToLast() / reference, rates.afterWarmUp() / reference,
                    rates.steady() / reference);
            if (interleaving.runs() > 0) {
                System.out.print(interleaving.report(rates.windowRates()));
            }
            System.out.printf(Locale.ROOT, "footprint:       VmRSS at steady state median %d MB, max %d MB (%d samples);"
                    + " VmHWM %d MB; %s; JVM flags: %s%s%n", consumer.rssMedianMb(), consumer.rssMaxMb(), consumer.rssSamples(),
                    consumer.hwmMb(), consumer.rssParts(), consumer.jvmFlags(),
                    options.containsKey("consumer-env") ? "; environment " + options.get("consumer-env") : "");
            System.out.printf("where time goes: %s%n", consumer.cpu());
            System.out.printf("inference:       %s%n", consumer.inference());
            System.out.printf("consumer loop:   %s%n", consumer.mainThread());
            if (!spinners.isEmpty()) {
                System.out.printf("other CPUs:      kept busy by %d lowest-priority spinner(s) (nice 19, yielding to the broker)"
                        + " through both benchmark_app runs and the consumer run%n", spinners.size());
            }
            System.out.printf("logs:            %s%n", root.relativize(work));
        }
    }

    /** Pre-loads the frames topic with the producer app, as fast as it goes. */
    private void produce(LocalStack stack, int frames) throws Exception {
        List<String> command = List.of(java(), "-Xmx256m", "dev.edgeinfer.producer.FrameProducerApp",
                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl(),
                "--source", "cifar10:test", "--count", Integer.toString(frames), "--loop", "--fps", "0",
                "--producer-id", "bench-camera");
        long start = System.nanoTime();
        Process process = start(command, classPath("producer"), work.resolve("producer.log"));
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the producer failed; see " + work.resolve("producer.log"));
        }
        System.out.printf(Locale.ROOT, "pre-loaded %d frames in %.1f s%n", frames, (System.nanoTime() - start) / 1e9);
    }

    private record BenchmarkApp(double fps, int streams, int requests, int threads, String precision) {
    }

    private BenchmarkApp benchmarkApp(List<String> command, String name) throws Exception {
        Path log = work.resolve("benchmark_app-" + name + ".log");
        Process process = start(onInferenceCpus(command), null, log);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("benchmark_app failed; see " + log);
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        BenchmarkApp result = new BenchmarkApp(Double.parseDouble(find(THROUGHPUT, text, log)),
                Integer.parseInt(find(STREAMS, text, log)), Integer.parseInt(find(REQUESTS, text, log)),
                Integer.parseInt(find(THREADS, text, log)), find(PRECISION, text, log).trim());
        System.out.printf(Locale.ROOT, "benchmark_app (%s): %.0f FPS%n", name, result.fps());
        return result;
    }

    private record ConsumerRun(String deviceType, String command, String jvmFlags, long rssMedianMb, long rssMaxMb,
                               int rssSamples, long hwmMb, String rssParts, String cpu, String inference,
                               String mainThread, long steadyFromMillis) {
    }

    /** Runs the edge consumer until it has committed the offsets of every frame, sampling its resident memory. */
    private ConsumerRun runConsumer(LocalStack stack, String artifactId, Path modelsDir, int frames, int maxBatch,
                                    int streams, int requests, Interleaving interleaving)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String deviceType = "bench-" + run;
        String jvmFlags = option("jvm-flags", "-Xmx128m");
        List<String> appArgs = new ArrayList<>(List.of("--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl(),
                "--engine", "openvino", "--artifact", artifactId, "--device", "CPU", "--models-dir", modelsDir.toString(),
                "--performance-hint", "THROUGHPUT", "--num-streams", Integer.toString(streams),
                "--requests-in-flight", Integer.toString(requests), "--max-batch", Integer.toString(maxBatch),
                "--max-wait-ms", option("max-wait-ms", "20"), "--delivery", "exactly-once",
                "--device-type", deviceType, "--device-id", deviceType));
        for (String appOption : List.of("flush-frames", "commit-interval-ms")) {
            if (options.containsKey(appOption)) {
                appArgs.addAll(List.of("--" + appOption, options.get(appOption)));
            }
        }
        if (options.containsKey("consumer-config")) {
            appArgs.addAll(List.of("--config", root.resolve(options.get("consumer-config")).toString()));
        }
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(Arrays.asList(jvmFlags.trim().split("\\s+")));
        command.add("dev.edgeinfer.edge.EdgeConsumerApp");
        command.addAll(appArgs);
        Map<String, String> environment = new LinkedHashMap<>();
        for (String pair : option("consumer-env", "").split("\\s+")) {
            if (pair.contains("=")) {
                environment.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        Process process = start(onInferenceCpus(command), classPath("edge-consumer"), work.resolve("edge-consumer.log"), environment);
        String group = "edge-" + deviceType;
        List<Long> rss = new ArrayList<>();
        long hwm = 0;
        Map<String, Long> threadsAtSteady = Map.of();
        Map<String, Long> threadsAtEnd = Map.of();
        long steadyStartNanos = 0;
        long steadyStartMillis = Long.MAX_VALUE;
        long endNanos = 0;
        long brokerCpuAtSteady = 0;
        long brokerCpuAtEnd = 0;
        String inference = "not scraped";
        String rssParts = "";
        MainThreadSampler sampler = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long steadyFrom = Long.MAX_VALUE;
        try (Admin admin = stack.createAdmin()) {
            long committed = 0;
            while (committed < frames) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the edge consumer exited with " + process.exitValue() + "; see "
                            + work.resolve("edge-consumer.log"));
                }
                if (System.nanoTime() > deadline + interleaving.pausedNanos()) {
                    throw new IllegalStateException("the edge consumer committed " + committed + " of " + frames
                            + " frames in 10 minutes of running; see " + work.resolve("edge-consumer.log"));
                }
                Thread.sleep(500);
                committed = committedOffsets(admin, group);
                // Steady state: from --warmup-seconds after the first commit (engine compiled, JIT warm) to the end.
                if (committed > 0 && steadyFrom == Long.MAX_VALUE) {
                    steadyFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(option("warmup-seconds", "1")));
                }
                if (System.nanoTime() >= steadyFrom && committed < frames) {
                    if (rss.isEmpty()) {
                        // Each sample is a thread dump, a safepoint of the consumer's JVM: off unless asked for.
                        int sampleMillis = Integer.parseInt(option("sample-ms", "0"));
                        sampler = sampleMillis > 0 ? MainThreadSampler.start(process.pid(), sampleMillis) : null;
                        threadsAtSteady = threadCpuTicks(process.pid());
                        brokerCpuAtSteady = ownCpuNanos();
                        steadyStartNanos = System.nanoTime();
                        steadyStartMillis = System.currentTimeMillis();
                        interleaving.start(steadyStartMillis);
                    }
                    rss.add(statusKb(process.pid(), "VmRSS"));
                    interleaving.pauseIfDue(process);
                }
            }
            endNanos = System.nanoTime();
            if (sampler != null) {
                sampler.stop();
            }
            threadsAtEnd = threadCpuTicks(process.pid());
            brokerCpuAtEnd = ownCpuNanos();
            hwm = statusKb(process.pid(), "VmHWM");
            // Anonymous memory is the process's own; file pages (the natives' code) are shared and can be dropped.
            rssParts = String.format(Locale.ROOT, "at the end RssAnon %d MB, RssFile %d MB",
                    statusKb(process.pid(), "RssAnon") / 1024, statusKb(process.pid(), "RssFile") / 1024);
            inference = scrapeInference(work.resolve("edge-consumer.log"));
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        List<Long> sorted = rss.stream().sorted().toList();
        long median = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1024;
        long max = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1024;
        String shown = "java " + jvmFlags + " dev.edgeinfer.edge.EdgeConsumerApp "
                + String.join(" ", appArgs).replace(root + "/", "");
        String cpu = cpuReport(threadsAtSteady, threadsAtEnd, (endNanos - steadyStartNanos - interleaving.pausedNanos()) / 1e9,
                (brokerCpuAtEnd - brokerCpuAtSteady) / 1e9);
        return new ConsumerRun(deviceType, shown, jvmFlags, median, max, rss.size(), hwm / 1024, rssParts, cpu, inference,
                sampler == null ? "not sampled" : sampler.report(), steadyStartMillis);
    }

    /** CPU clock ticks per thread name of a process, threads of one pool (names ending in a number) together. */
    private static Map<String, Long> threadCpuTicks(long pid) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended between listing and reading
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                        .replaceAll("[-#_ ]?[0-9]+$", "");
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // Fields 14 and 15 of stat, utime and stime, are the 12th and 13th after the name.
                ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the threads of process " + pid, e);
        }
        return ticks;
    }

    /** CPU time of this JVM, which hosts the broker. */
    private static long ownCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** Where the consumer's CPU went during the steady state, by thread, and how much the broker's JVM used. */
    private static String cpuReport(Map<String, Long> before, Map<String, Long> after, double seconds,
                                    double brokerSeconds) {
        final double tick = 100.0; // USER_HZ on Linux
        Map<String, Double> used = new LinkedHashMap<>();
        after.forEach((name, t) -> used.put(name, (t - before.getOrDefault(name, 0L)) / tick));
        double total = used.values().stream().mapToDouble(Double::doubleValue).sum();
        String threads = used.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(6).map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
                .reduce((a, b) -> a + ", " + b).orElse("");
        return String.format(Locale.ROOT, "over %.1f s of steady state the consumer used %.1f CPU s (%s), the broker"
                + " and registry client side of this JVM %.1f CPU s; %d cores, load average %s", seconds, total, threads,
                brokerSeconds, Runtime.getRuntime().availableProcessors(), loadAverage());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static final Pattern METRICS_URL = Pattern.compile("Prometheus metrics at (http://\\S+)");
    private static final Pattern INFERENCE_SUM = Pattern.compile("(?m)^edge_inference_seconds_sum\\{[^}]*} ([0-9.eE+-]+)");
    private static final Pattern INFERENCE_COUNT = Pattern.compile("(?m)^edge_inference_seconds_count\\{[^}]*} ([0-9.eE+-]+)");

    /** The consumer's own inference timer, from its Prometheus endpoint (its address is in the log). */
    private static String scrapeInference(Path log) {
        try {
            Matcher url = METRICS_URL.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (!url.find()) {
                return "no metrics endpoint in the log";
            }
            var client = java.net.http.HttpClient.newHttpClient();
            String body = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.group(1))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            Matcher sum = INFERENCE_SUM.matcher(body);
            Matcher count = INFERENCE_COUNT.matcher(body);
            if (!sum.find() || !count.find()) {
                return "no edge_inference_seconds in the metrics";
            }
            double seconds = Double.parseDouble(sum.group(1));
            double batches = Double.parseDouble(count.group(1));
            return String.format(Locale.ROOT, "%.0f batches, %.1f ms mean inference per batch, %.1f s in all",
                    batches, 1000 * seconds / batches, seconds);
        } catch (IOException | RuntimeException e) {
            return "metrics unreadable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static long committedOffsets(Admin admin, String group) throws Exception {
        Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status of process " + pid, e);
        }
        throw new IllegalStateException("no " + field + " in the status of process " + pid);
    }

    private record Rates(int count, long spanMillis, double firstToLast, double afterWarmUp, int steadyCount, double steady,
                         List<Double> windowRates) {
    }

    /** Reads the device type's committed predictions and turns their broker timestamps into rates. */
    private Rates readPredictions(LocalStack stack, String deviceType, int frames, long steadyFromMillis,
                                  List<Window> windows) {
        Map<String, Object> configs = stack.clientProperties();
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroDeserializer<Prediction> deserializer = AvroDeserializer.forClass(Prediction.class);
        deserializer.configure(stack.clientProperties(), false);
        List<Long> stamps = new ArrayList<>(frames);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.PREDICTIONS));
            long quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < quietUntil) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (deserializer.deserialize(record).getDeviceType().equals(deviceType)) {
                        stamps.add(record.timestamp());
                    }
                }
            }
        }
        if (stamps.size() != frames) {
            throw new IllegalStateException("expected " + frames + " committed predictions, read " + stamps.size());
        }
        stamps.sort(null);
        int steadyFrom = 0;
        while (steadyFrom < stamps.size() - 1 && stamps.get(steadyFrom) < steadyFromMillis) {
            steadyFrom++;
        }
        List<Double> windowRates = windows.stream().map(w -> stamps.stream()
                .filter(t -> t >= w.fromMillis() && t < w.toMillis()).count() * 1000.0 / (w.toMillis() - w.fromMillis()))
                .toList();
        return new Rates(stamps.size(), stamps.get(stamps.size() - 1) - stamps.get(0), rate(stamps, 0),
                rate(stamps, stamps.size() / 10), stamps.size() - steadyFrom, rate(stamps, steadyFrom), windowRates);
    }

    /** Predictions after the one at {@code from}, per second of broker time after it. */
    private static double rate(List<Long> sorted, int from) {
        long start = sorted.get(from);
        long after = sorted.stream().filter(t -> t > start).count();
        return after * 1000.0 / (sorted.get(sorted.size() - 1) - start);
    }

    private static String find(Pattern pattern, String text, Path log) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("no '" + pattern + "' in " + log);
        }
        return matcher.group(1);
    }

    /** A module's class path, which the wrapper script passes as {@code <MODULE>_CLASSPATH}. */
    private static String classPath(String module) {
        String name = module.toUpperCase(Locale.ROOT).replace('-', '_') + "_CLASSPATH";
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set; run bench/edge/edge-throughput.sh");
        }
        return value;
    }

    /**
     * With {@code --busy-other-cpus yes}, one spinning process at the lowest priority per CPU of this JVM (the CPUs
     * {@code --cpus} leaves to the broker). Virtual CPUs can be hyperthreads of one core: then inference on one runs
     * slower while its sibling is busy, and the broker keeps the sibling busy during the consumer's run only. Keeping
     * the other CPUs busy through every run gives {@code benchmark_app} and the consumer the same neighbour; the
     * spinners yield to the broker, which runs at normal priority.
     */
    private List<Process> busyOtherCpus() throws IOException {
        if (!option("busy-other-cpus", "no").equals("yes")) {
            return List.of();
        }
        List<Process> spinners = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            spinners.add(new ProcessBuilder("nice", "-n", "19", "sh", "-c", "while :; do :; done")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> spinners.forEach(Process::destroy)));
        return spinners;
    }

    /**
     * The command run on the {@code --cpus} list when one is given, and under the {@code --scheduling} policy:
     * {@code batch} is Linux's SCHED_BATCH ({@code chrt --batch 0}), whose threads do not preempt a running one when
     * they wake. Both apply to {@code benchmark_app} and the consumer alike; {@code taskset} and {@code chrt} exec the
     * command, so the pid stays the same.
     */
    private List<String> onInferenceCpus(List<String> command) {
        List<String> wrapped = new ArrayList<>();
        String scheduling = option("scheduling", "other");
        if (scheduling.equals("batch")) {
            wrapped.addAll(List.of("chrt", "--batch", "0"));
        } else if (!scheduling.equals("other")) {
            throw new IllegalArgumentException("--scheduling is other or batch, not " + scheduling);
        }
        if (options.containsKey("cpus")) {
            wrapped.addAll(List.of("taskset", "-c", options.get("cpus")));
        }
        wrapped.addAll(command);
        return wrapped;
    }

    private Process start(List<String> command, String classPath, Path log) throws IOException {
        return start(command, classPath, log, Map.of());
    }

    private Process start(List<String> command, String classPath, Path log, Map<String, String> environment)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().remove("CLASSPATH");
        if (classPath != null) {
            // Through the environment, not -cp: ONNX Runtime's native start-up fails on command lines of about 4 KB.
            builder.environment().put("CLASSPATH", classPath);
        }
        return builder.start();
    }

    /** A span of the consumer's steady state between two {@code benchmark_app} runs, in broker (wall clock) time. */
    private record Window(long fromMillis, long toMillis) {
    }

    /**
     * With {@code --interleave N}: {@code N} runs of {@code benchmark_app} inside the consumer's steady state, the
     * consumer stopped (SIGSTOP) through each and let go (SIGCONT) after it, {@code --window-seconds} of consumer work
     * between two runs. This VM's speed drifts from minute to minute; a consumer window compared with the two
     * {@code benchmark_app} runs just before and just after it sees the same phase of the machine, where the runs
     * before and after the whole consumer run can be minutes away. The first {@value #SETTLE_MILLIS} ms after each
     * restart (timers and fetches that were due during the stop) are left out of the window.
     */
    private final class Interleaving {
        private static final long SETTLE_MILLIS = 2_000;

        private final List<String> benchmarkCommand;
        private final int runs = Integer.parseInt(option("interleave", "0"));
        private final long windowMillis = 1000L * Integer.parseInt(option("window-seconds", "15"));
        private final List<BenchmarkApp> inside = new ArrayList<>();
        private final List<Window> windows = new ArrayList<>();
        private long windowFromMillis;
        private long pausedNanos;

        Interleaving(List<String> benchmarkCommand) {
            this.benchmarkCommand = benchmarkCommand;
            if (runs > 0 && Integer.parseInt(option("sample-ms", "0")) > 0) {
                throw new IllegalArgumentException("--interleave stops the consumer, which a thread-dump sampler cannot"
                        + " attach to; leave --sample-ms at 0");
            }
        }

        int runs() {
            return runs;
        }

        List<Window> windows() {
            return windows;
        }

        long pausedNanos() {
            return pausedNanos;
        }

        void start(long nowMillis) {
            windowFromMillis = nowMillis;
        }

        /** When the current window is over and runs are left: stops the consumer, runs benchmark_app, restarts it. */
        void pauseIfDue(Process consumer) throws Exception {
            long now = System.currentTimeMillis();
            if (inside.size() >= runs || now < windowFromMillis + windowMillis) {
                return;
            }
            if (!inside.isEmpty()) {
                windows.add(new Window(windowFromMillis, now));
            }
            long stoppedAt = System.nanoTime();
            signal(consumer, "STOP");
            try {
                inside.add(benchmarkApp(benchmarkCommand, "inside-" + (inside.size() + 1)));
            } finally {
                signal(consumer, "CONT");
            }
            pausedNanos += System.nanoTime() - stoppedAt;
            windowFromMillis = System.currentTimeMillis() + SETTLE_MILLIS;
        }

        /** Each window's consumer rate against the mean of the benchmark_app runs around it, then all together. */
        String report(List<Double> windowRates) {
            StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "interleaved:     %d consumer windows"
                    + " of %d s, each between two of %d benchmark_app runs made with the consumer stopped (SIGSTOP)%n",
                    windows.size(), windowMillis / 1000, inside.size()));
            if (windows.size() < runs - 1) {
                report.append(String.format(Locale.ROOT, "  warning:       %d of %d runs fitted in the consumer's run;"
                        + " pre-load more --frames%n", inside.size(), runs));
            }
            List<Double> ratios = new ArrayList<>();
            double consumerFps = 0;
            double referenceFps = 0;
            for (int i = 0; i < windows.size(); i++) {
                double reference = (inside.get(i).fps() + inside.get(i + 1).fps()) / 2;
                ratios.add(windowRates.get(i) / reference);
                consumerFps += windowRates.get(i);
                referenceFps += reference;
                report.append(String.format(Locale.ROOT, "  window %d:      consumer %.0f FPS, benchmark_app %.0f and"
                        + " %.0f FPS around it: %.3f%n", i + 1, windowRates.get(i), inside.get(i).fps(),
                        inside.get(i + 1).fps(), ratios.get(i)));
            }
            if (!ratios.isEmpty()) {
                List<Double> sorted = ratios.stream().sorted().toList();
                report.append(String.format(Locale.ROOT, "interleaved ratio: %.3f of benchmark_app (target 0.9): mean"
                        + " consumer %.0f FPS against mean benchmark_app %.0f FPS over the windows; per window median"
                        + " %.3f, lowest %.3f, highest %.3f%n", consumerFps / referenceFps, consumerFps / ratios.size(),
                        referenceFps / ratios.size(), sorted.get(sorted.size() / 2), sorted.get(0),
                        sorted.get(sorted.size() - 1)));
            }
            return report.toString();
        }

        private static void signal(Process process, String signal) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

/**
 * Samples the stack of the consumer's loop thread ({@code main}) through the attach API, which needs no JVM per
 * sample, and counts what the loop was doing: the share of samples per activity is the share of the loop's time.
 */
final class MainThreadSampler {
    /** Markers, looked for from the top of the stack down; the first frame that matches names the activity. */
    private static final List<Map.Entry<String, String>> ACTIVITIES = List.of(
            Map.entry("KafkaProducer.commitTransaction", "commit transaction"),
            Map.entry("KafkaProducer.sendOffsetsToTransaction", "send offsets to transaction"),
            Map.entry("KafkaProducer.beginTransaction", "begin transaction"),
            Map.entry("AvroSerializer", "serialize predictions"),
            Map.entry("KafkaProducer.doSend", "send predictions"),
            Map.entry("SlotPool.acquire", "wait for a free infer request"),
            Map.entry("OpenVinoEngine.acquire", "wait for a free infer request"),
            Map.entry("RequestSlot.load", "copy a batch into its request"),
            Map.entry("OpenVinoEngine.submit", "start a batch"),
            Map.entry("AvroDeserializer", "deserialize frames"),
            Map.entry("FrameDecoder", "decode pixels"),
            Map.entry("EdgeConsumer.prediction", "build predictions"),
            Map.entry("KafkaConsumer.poll", "poll frames"),
            Map.entry("CompletableFuture.join", "wait for inference results"),
            Map.entry("EdgeConsumer", "other loop work"));

    private final Map<String, Integer> counts = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String failure;

    private MainThreadSampler(long pid, int periodMillis) {
        thread = new Thread(() -> sample(pid, periodMillis), "main-thread-sampler");
        thread.setDaemon(true);
    }

    static MainThreadSampler start(long pid, int periodMillis) {
        MainThreadSampler sampler = new MainThreadSampler(pid, periodMillis);
        sampler.thread.start();
        return sampler;
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }

    String report() {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (total == 0) {
            return "no samples" + (failure == null ? "" : ": " + failure);
        }
        return total + " samples of the loop thread: " + counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / total))
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    private void sample(long pid, int periodMillis) {
        try {
            var vm = (sun.tools.attach.HotSpotVirtualMachine) com.sun.tools.attach.VirtualMachine.attach(Long.toString(pid));
            try {
                while (running) {
                    String dump;
                    try (var in = vm.remoteDataDump()) {
                        dump = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                    counts.merge(activity(dump), 1, Integer::sum);
                    Thread.sleep(periodMillis);
                }
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            failure = e.toString();
        }
    }

    private static String activity(String dump) {
        int start = dump.indexOf("\n\"main\"");
        if (start < 0) {
            return "main thread not found";
        }
        int end = dump.indexOf("\n\n", start + 1);
        String[] frames = dump.substring(start, end < 0 ? dump.length() : end).split("\n");
        for (String frame : frames) {
            for (Map.Entry<String, String> marker : ACTIVITIES) {
                if (frame.contains(marker.getKey())) {
                    return marker.getValue();
                }
            }
        }
        return "outside the loop";
    }
}
