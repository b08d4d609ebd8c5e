import dev.edgeinfer.testsupport.analytics.AnalyticsClient;
import dev.edgeinfer.testsupport.apps.App;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.process.ResidentMemory;
import java.io.IOException;
import java.net.http.HttpClient;
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

    /**
     * One analytics instance in a JVM of its own, started by the project's apps launcher, its output in
     * {@code <runDir>/<name>.log}; returns once it answers its health check.
     */
    static AppProcess startAnalytics(String name, String bootstrapServers, String registryUrl, String applicationId, int port,
                                     String jvmFlags, String config, Path runDir)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", bootstrapServers, "--schema-registry-url", registryUrl,
                "--http-port", Integer.toString(port), "--advertised-host", "127.0.0.1",
                "--state-dir", runDir.resolve(name + "-state").toString(), "--application-id", applicationId,
                "--no-create-topics"));
        if (!config.isEmpty()) {
            args.addAll(List.of("--config", config));
        }
        // As docs/deployment.md recommends for analytics: RocksDB's allocations spread over fewer glibc arenas.
        AppProcess process = new Apps(Apps.repositoryRoot(), runDir).startWithOwnSettings(App.ANALYTICS, name,
                List.of(jvmFlags.trim().split("\\s+")), Map.of("MALLOC_ARENA_MAX", "2"), args);
        AnalyticsClient.onPort(port).awaitHealthy(process, Duration.ofMinutes(3));
        return process;
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

    /** Resident memory of a process in KiB; -1 once it is gone. */
    static long rssKiB(long pid) {
        return ResidentMemory.of(pid).map(bytes -> bytes / 1024).orElse(-1L);
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
