import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.producer.source.Cifar10Source;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;

/**
 * The frame producer's throughput against Kafka's own producer benchmark ({@code kafka-producer-perf-test},
 * class {@code org.apache.kafka.tools.ProducerPerformance}), in one run each on the same local broker:
 *
 * <ol>
 *   <li>starts the local stack (the broker in this JVM, the registry in a child JVM);</li>
 *   <li>measures the serialized size of a CIFAR-10 frame, so the reference sends records of the same size;</li>
 *   <li>warms the broker up with a short ProducerPerformance run to a topic of its own;</li>
 *   <li>runs ProducerPerformance and the producer app (CIFAR-10 train split, unpaced, looping) in turn, {@code --rounds}
 *       times (ProducerPerformance first in odd rounds, the app first in even ones), each in its own JVM with the same
 *       JVM flags, to its own fresh topic with the frames topic's settings, with the same acks, batch.size, linger.ms
 *       and compression;</li>
 *   <li>prints both rates of each round (records acknowledged per second, the final flush included in both), their
 *       ratio, and the median of the rounds' ratios; writes them as JSON for {@code bench/results.py}
 *       ({@code --out}, bench "producer-throughput").</li>
 * </ol>
 *
 * Taking turns within one run keeps a change of the machine's load (other work on a shared machine) from landing on
 * one side only, as it would between two separate runs.
 *
 * Differences that remain, by design: the app reads, converts and Avro-serializes every frame and keys it by frame id;
 * ProducerPerformance sends pre-generated random bytes without a key.
 */
public class ProducerThroughput {

    private static final Pattern PERF_TOTAL = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency");
    private static final Pattern APP_RATE = Pattern.compile("([\\d.]+) frames/s acknowledged");
    private static final Pattern APP_ACKED = Pattern.compile("sent (\\d+), acknowledged (\\d+), failed (\\d+)");

    public static void main(String[] args) {
        try {
            run(Options.parse(args), args);
        } catch (Exception e) {
            // Printed here: the single-file launcher can fail while trimming the stack trace of an escaping exception.
            System.err.println("producer-throughput failed:");
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(Options options, String[] args) throws Exception {
        // Other work on the machine shares its cores with the broker and both producers: recorded with the result.
        String loadAtStart = loadAverage();
        String cifar = System.getenv("CIFAR10_DIR");
        if (cifar == null || !Cifar10Source.isComplete(Path.of(cifar))) {
            System.err.println("producer-throughput: set CIFAR10_DIR to the folder holding the CIFAR-10 binary batches");
            System.exit(2);
        }
        Path runDir = Files.createDirectories(Path.of("bench", "producer", "target",
                "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        try (LocalStack stack = LocalStack.builder().start()) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            String warmupTopic = "bench.warmup." + id;
            List<String> topics = new ArrayList<>(List.of(warmupTopic));
            for (int round = 1; round <= options.rounds; round++) {
                topics.add("bench.reference." + id + "." + round);
                topics.add("bench.frames." + id + "." + round);
            }
            createTopics(stack, topics);
            int recordSize = frameSize(stack, Path.of(cifar));
            System.out.printf(Locale.ROOT, "Frame record size: %d bytes (CIFAR-10 frame, Avro in the Confluent wire format)%n", recordSize);

            List<String> producerProps = List.of("bootstrap.servers=" + stack.bootstrapServers(), "acks=all",
                    "batch.size=" + options.batchSize, "linger.ms=" + options.lingerMs, "compression.type=" + options.compression);

            System.out.println("Warming up the broker with " + options.warmupRecords + " records...");
            run(options, runDir.resolve("warmup.log"), perfTestCommand(warmupTopic, options.warmupRecords, recordSize, producerProps));

            Path clientProperties = runDir.resolve("app-client.properties");
            Files.writeString(clientProperties, String.join("\n",
                    "batch.size=" + options.batchSize, "linger.ms=" + options.lingerMs), StandardCharsets.UTF_8);
            List<Map<String, Object>> rounds = new ArrayList<>();
            StringBuilder lines = new StringBuilder();
            for (int round = 1; round <= options.rounds; round++) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("round", round);
                figures.put("first", round % 2 == 1 ? "ProducerPerformance" : "app");
                figures.put("loadAverageAtStart", loadAverage());
                for (String side : round % 2 == 1 ? List.of("perf", "app") : List.of("app", "perf")) {
                    if (side.equals("perf")) {
                        System.out.printf(Locale.ROOT, "Round %d: ProducerPerformance, %d records...%n", round, options.records);
                        Path log = runDir.resolve("producer-performance-" + round + ".log");
                        String perfOut = run(options, log, perfTestCommand("bench.reference." + id + "." + round,
                                options.records, recordSize, producerProps));
                        Matcher perf = lastMatch(PERF_TOTAL, perfOut, "ProducerPerformance's total line", log);
                        figures.put("producerPerformanceRecordsPerSecond", Double.parseDouble(perf.group(2)));
                        figures.put("producerPerformanceMegabytesPerSecond", Double.parseDouble(perf.group(3)));
                        figures.put("producerPerformanceAvgLatencyMillis", Double.parseDouble(perf.group(4)));
                        figures.put("producerPerformanceMaxLatencyMillis", Double.parseDouble(perf.group(5)));
                    } else {
                        System.out.printf(Locale.ROOT, "Round %d: the producer app, %d frames...%n", round, options.records);
                        Path log = runDir.resolve("producer-app-" + round + ".log");
                        List<String> app = new ArrayList<>(javaCommand(options));
                        app.addAll(List.of("dev.edgeinfer.producer.FrameProducerApp",
                                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl(),
                                "--config", clientProperties.toString(), "--compression", options.compression,
                                "--producer-id", "bench", "--source", "cifar10:train", "--loop", "--count", Long.toString(options.records),
                                "--topic", "bench.frames." + id + "." + round, "--no-create-topics"));
                        String appOut = run(options, log, app);
                        Matcher appRate = lastMatch(APP_RATE, appOut, "the app's summary", log);
                        Matcher appAcked = lastMatch(APP_ACKED, appOut, "the app's summary", log);
                        figures.put("appFramesPerSecond", Double.parseDouble(appRate.group(1)));
                        figures.put("appSent", Long.parseLong(appAcked.group(1)));
                        figures.put("appAcknowledged", Long.parseLong(appAcked.group(2)));
                        figures.put("appFailed", Long.parseLong(appAcked.group(3)));
                    }
                }
                double ratio = (double) figures.get("appFramesPerSecond") / (double) figures.get("producerPerformanceRecordsPerSecond");
                figures.put("ratio", ratio);
                rounds.add(figures);
                lines.append(String.format(Locale.ROOT,
                        "  round %d (%s first): ProducerPerformance %.0f records/s (%s MB/s, avg latency %s ms, max %s ms), "
                                + "app %.0f frames/s (acknowledged %s of %s, failed %s): ratio %.2f%n",
                        round, figures.get("first"), figures.get("producerPerformanceRecordsPerSecond"),
                        figures.get("producerPerformanceMegabytesPerSecond"), figures.get("producerPerformanceAvgLatencyMillis"),
                        figures.get("producerPerformanceMaxLatencyMillis"), figures.get("appFramesPerSecond"),
                        figures.get("appAcknowledged"), figures.get("appSent"), figures.get("appFailed"), ratio));
            }
            double medianRatio = median(rounds.stream().mapToDouble(r -> (double) r.get("ratio")).toArray());
            String loadAtEnd = loadAverage();

            String report = String.format(Locale.ROOT, String.join("%n",
                    "",
                    "Producer throughput, %d round(s) taking turns, local broker, %d records of %d bytes per run, acks=all, "
                            + "batch.size=%d, linger.ms=%d, compression=%s, JVM flags: %s, ProducerPerformance of kafka-tools %s",
                    "%s  ratio app / ProducerPerformance, median of the rounds: %.2f (target: at least 0.80)",
                    "  machine: %d CPU(s) seen by the JVM, load average %s at the start, %s at the end",
                    "  logs: %s", ""),
                    options.rounds, options.records, recordSize, options.batchSize, options.lingerMs, options.compression,
                    options.jvmFlags, kafkaToolsVersion(), lines, medianRatio,
                    Runtime.getRuntime().availableProcessors(), loadAtStart, loadAtEnd, runDir);
            System.out.print(report);
            Files.writeString(runDir.resolve("result.txt"), report, StandardCharsets.UTF_8);

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("bench", "producer-throughput");
            result.put("date", Instant.now().toString());
            result.put("cpu", cpuModel());
            result.put("cores", Runtime.getRuntime().availableProcessors());
            Map<String, Object> load = new LinkedHashMap<>();
            load.put("start", parseLoad(loadAtStart));
            load.put("end", parseLoad(loadAtEnd));
            result.put("loadAverage", load);
            result.put("command", ("bench/producer/producer-throughput.sh " + String.join(" ", args)).trim());
            result.put("records", options.records);
            result.put("recordBytes", recordSize);
            result.put("acks", "all");
            result.put("batchSize", options.batchSize);
            result.put("lingerMs", options.lingerMs);
            result.put("compression", options.compression);
            result.put("jvmFlags", options.jvmFlags);
            result.put("kafkaTools", kafkaToolsVersion());
            result.put("rounds", rounds);
            result.put("ratioMedian", medianRatio);
            result.put("ratioMin", rounds.stream().mapToDouble(r -> (double) r.get("ratio")).min().orElseThrow());
            result.put("ratioMax", rounds.stream().mapToDouble(r -> (double) r.get("ratio")).max().orElseThrow());
            result.put("target", 0.8);
            Path out = Path.of(options.out);
            Files.createDirectories(out.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
            System.out.println("JSON: " + out);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Double parseLoad(String load) {
        try {
            return Double.parseDouble(load);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String cpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void createTopics(LocalStack stack, List<String> names) throws InterruptedException {
        TopicSpec frames = Topics.all().stream().filter(s -> s.name().equals(Topics.FRAMES)).findFirst().orElseThrow();
        List<TopicSpec> specs = names.stream()
                .map(name -> new TopicSpec(name, frames.partitions(), frames.replicationFactor(), frames.configs())).toList();
        try (Admin admin = stack.createAdmin()) {
            // Waits until every partition answers listOffsets: producing earlier can spin forever (KAFKA-15591).
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(specs);
        }
    }

    /** Serialized size of CIFAR-10 test image 0 as the app sends it; the id and capture time are of typical length. */
    private static int frameSize(LocalStack stack, Path cifar) throws Exception {
        try (Cifar10Source source = Cifar10Source.open(cifar, Cifar10Source.Split.TRAIN);
             AvroSerializer<ImageFrame> serializer = new AvroSerializer<>()) {
            serializer.configure(stack.clientProperties(), false);
            var image = source.read(0);
            ImageFrame frame = ImageFrame.newBuilder()
                    .setFrameId("bench-0123456789ab-12345").setProducerId("bench")
                    .setSource(new FrameSource(image.dataset(), image.index(), image.fileName()))
                    .setCaptureTime(Instant.now()).setWidth(image.width()).setHeight(image.height())
                    .setChannels(image.channels()).setEncoding(image.encoding()).setPixels(ByteBuffer.wrap(image.pixels()))
                    .setGroundTruth(image.groundTruth()).setLabelSet(image.labelSet()).build();
            return serializer.serialize(Topics.FRAMES, frame).length;
        }
    }

    /** The 1-minute load average (Linux), or "unknown". */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    /** The version in the kafka-tools jar's name on the class path. */
    private static String kafkaToolsVersion() {
        Matcher matcher = Pattern.compile("kafka-tools-(\\d[^/:]*?)\\.jar").matcher(System.getProperty("java.class.path"));
        return matcher.find() ? matcher.group(1) : "unknown version";
    }

    private static List<String> perfTestCommand(String topic, long records, int recordSize, List<String> producerProps) {
        List<String> command = new ArrayList<>(List.of("org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic, "--num-records", Long.toString(records), "--record-size", Integer.toString(recordSize),
                "--throughput", "-1", "--command-property"));
        command.addAll(producerProps);
        return command;
    }

    private static List<String> javaCommand(Options options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options.jvmFlags.trim().split("\\s+")));
        command.add("-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener");
        command.add("-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile"));
        return command;
    }

    /** Runs a child JVM with this JVM's class path (from CLASSPATH), its output teed to {@code log}; returns the output. */
    private static String run(Options options, Path log, List<String> command) throws IOException, InterruptedException {
        List<String> full = command.get(0).endsWith("java") ? command : concat(javaCommand(options), command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        Process process = builder.start();
        if (!process.waitFor(options.timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Timed out after " + options.timeout + ": " + String.join(" ", full) + "; see " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("Exit code " + process.exitValue() + " from " + String.join(" ", full)
                    + "; see " + log + ":\n" + tail(output));
        }
        return output;
    }

    private static Matcher lastMatch(Pattern pattern, String output, String what, Path log) {
        Matcher matcher = pattern.matcher(output);
        Matcher last = null;
        while (matcher.find()) {
            last = pattern.matcher(output);
            last.find(matcher.start());
        }
        if (last == null) {
            throw new IllegalStateException("No " + what + " in " + log + ":\n" + tail(output));
        }
        return last;
    }

    private static String tail(String text) {
        return text.length() <= 3000 ? text : text.substring(text.length() - 3000);
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Command-line options; see producer-throughput.sh. */
    private record Options(long records, long warmupRecords, int batchSize, int lingerMs, String compression,
                           String jvmFlags, Duration timeout, int rounds, String out) {
        static Options parse(String[] args) {
            Map<String, String> values = new java.util.HashMap<>(Map.of(
                    "--records", "300000", "--warmup-records", "30000", "--batch-size", Integer.toString(256 * 1024),
                    "--linger-ms", "5", "--compression", "none", "--jvm-flags", "-Xmx512m", "--timeout-seconds", "600",
                    "--rounds", "3", "--out", "bench/producer/target/producer-throughput.json"));
            for (int i = 0; i < args.length; i += 2) {
                if (!values.containsKey(args[i]) || i + 1 >= args.length) {
                    System.err.println("producer-throughput: unknown option or missing value: " + args[i]
                            + "; options: " + new java.util.TreeSet<>(values.keySet()));
                    System.exit(2);
                }
                values.put(args[i], args[i + 1]);
            }
            return new Options(Long.parseLong(values.get("--records")), Long.parseLong(values.get("--warmup-records")),
                    Integer.parseInt(values.get("--batch-size")), Integer.parseInt(values.get("--linger-ms")),
                    values.get("--compression"), values.get("--jvm-flags"),
                    Duration.ofSeconds(Long.parseLong(values.get("--timeout-seconds"))),
                    Integer.parseInt(values.get("--rounds")), values.get("--out"));
        }
    }
}
