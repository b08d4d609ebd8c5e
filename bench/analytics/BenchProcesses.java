import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What the analytics benches share: starting analytics instances, and reading their progress, CPU and memory. */
final class BenchProcesses {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private BenchProcesses() {
    }

    /** One analytics instance in a JVM of its own, its output in {@code <runDir>/<name>.log}. */
    static Process startAnalytics(String name, String bootstrapServers, String registryUrl, String applicationId, int port,
                                  String jvmFlags, String config, Path runDir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBin());
        command.addAll(List.of(jvmFlags.trim().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("analytics.classpath"), "dev.edgeinfer.analytics.AnalyticsApp",
                "--bootstrap-servers", bootstrapServers, "--schema-registry-url", registryUrl,
                "--http-port", Integer.toString(port), "--advertised-host", "127.0.0.1",
                "--state-dir", runDir.resolve(name + "-state").toString(), "--application-id", applicationId,
                "--no-create-topics"));
        if (!config.isEmpty()) {
            command.addAll(List.of("--config", config));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(runDir.resolve(name + ".log").toFile());
        // As docs/deployment.md recommends for analytics: RocksDB's allocations spread over fewer glibc arenas.
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        return builder.start();
    }

    static boolean healthy(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the instance answers its health check, failing when it exits or {@code timeout} passes. */
    static void awaitHealthy(Process process, int port, Duration timeout, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("The analytics instance on port " + port + " did not become healthy; see " + log);
            }
            Thread.sleep(100);
        }
    }

    /** Sum of the group's committed offsets on {@code topic}. */
    static long committedOffsets(Admin admin, String groupId, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /** Sum of the end offsets of {@code topic}'s partitions. */
    static long endOffsets(Admin admin, String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(request).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }

    /** User and system CPU time of a process, from {@code /proc/<pid>/stat}. */
    static double cpuSeconds(long pid) throws IOException {
        String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll("^.*\\) ", "").split(" ");
        // utime and stime, fields 14 and 15 of stat: indexes 11 and 12 once the command name is cut off; clock ticks.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** Resident memory of a process in KiB, from {@code /proc/<pid>/status}. */
    static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code --name value} pairs; a name followed by another name is a flag with the value "". */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + args[i]);
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(args[i].substring(2), flag ? "" : args[++i]);
        }
        return options;
    }
}
