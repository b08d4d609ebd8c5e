package dev.edgeinfer.reliability.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.demo.AppProcess;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.reliability.AnalyticsApi;
import dev.edgeinfer.reliability.apps.AppLaunch;
import dev.edgeinfer.reliability.frames.Cifar10TestFrames;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline scaled out on a three-broker cluster started like the local broker: topics of six partitions,
 * replicated three times with {@code min.insync.replicas} 2; edge consumers of one device type in one group (fleet
 * mode) and analytics instances sharing one application id, every app a process of its own.
 *
 * <p>{@link #workSpreadsOverThreeConsumersAndEitherAnalyticsInstanceAnswers} runs in the build. The throughput of
 * three consumers against one, {@link #throughputOfThreeConsumersAgainstOne}, runs only when
 * {@code scale.throughput.frames} is set: {@code bench/scale/scale-throughput.sh} sets it and prints the figures.
 */
class ScaleIT {

    private static final int BROKERS = 3;
    private static final int PARTITIONS = 6;
    private static final int FRAMES = 1200;
    private static final Duration PREDICTIONS_TIMEOUT = Duration.ofMinutes(8);

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension(LocalStack.builder().brokers(BROKERS).partitions(PARTITIONS));

    @TempDir
    Path logs;

    @Test
    void workSpreadsOverThreeConsumersAndEitherAnalyticsInstanceAnswers() throws Exception {
        Cifar10TestFrames.dir();
        assertTopicLayout(Topics.FRAMES);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String deviceType = "fleet-" + run;
        String group = "edge-" + deviceType;
        Map<String, Object> client = LOCAL.stack().clientProperties();
        // The 15-minute view advances by a minute: this window holds every prediction of a run shorter than 14 minutes.
        long window = Math.floorDiv(System.currentTimeMillis(), 60_000L) * 60_000L;
        try (PipelineApps apps = new PipelineApps(AppLaunch.repositoryRoot(), logs, client);
             Admin admin = LOCAL.stack().createAdmin()) {
            List<AnalyticsApi> instances = new ArrayList<>();
            List<AppProcess> analytics = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                int port = AppLaunch.freePort();
                analytics.add(apps.startAnalytics("analytics-" + i, "fleet-" + run, port));
                instances.add(new AnalyticsApi(port));
            }
            List<AppProcess> devices = startDevices(apps, deviceType, group, Topics.FRAMES, 3);
            PipelineApps.awaitReady(devices);
            for (int i = 0; i < instances.size(); i++) {
                instances.get(i).awaitHealthy(analytics.get(i), Duration.ofMinutes(4));
            }
            Map<String, Set<Integer>> assignment = ConsumerGroupView.awaitStable(admin, group, Topics.FRAMES, 3, PARTITIONS,
                    Duration.ofMinutes(3), apps::assertAllAlive);
            assertThat(assignment.values()).as("partitions per consumer: %s", assignment).allSatisfy(owned -> assertThat(owned).hasSize(2));

            List<ImageFrame> frames = Cifar10TestFrames.frames(FRAMES, "fleet-" + run, "fleet-" + run + "-");
            FrameBacklog.publishInOneTransaction(client, Topics.FRAMES, frames);
            List<PredictionLog.Predicted> predicted = PredictionLog.await(client, deviceType, FRAMES, PREDICTIONS_TIMEOUT,
                    apps::assertAllAlive);

            assertThat(predicted).extracting(PredictionLog.Predicted::frameId).as("every frame predicted exactly once")
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(frames.stream().map(ImageFrame::getFrameId).toList());
            Map<String, Long> byDevice = predicted.stream()
                    .collect(Collectors.groupingBy(PredictionLog.Predicted::deviceId, TreeMap::new, Collectors.counting()));
            assertThat(byDevice).as("frames predicted per device").hasSize(3).allSatisfy((device, count) -> assertThat(count).isPositive());
            System.out.printf(Locale.ROOT, "scale: %d frames over 3 consumers %s, partitions %s%n", FRAMES, byDevice, assignment);

            assertBothInstancesAnswer(instances, "/api/stats/device-type/" + deviceType + "?view=15m&window=" + window, FRAMES);
            for (Map.Entry<String, Long> device : byDevice.entrySet()) {
                assertBothInstancesAnswer(instances, "/api/stats/device/" + device.getKey() + "?view=15m&window=" + window,
                        device.getValue());
            }
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "scale.throughput.frames", matches = "\\d+")
    void throughputOfThreeConsumersAgainstOne() throws Exception {
        Cifar10TestFrames.dir();
        int count = Integer.getInteger("scale.throughput.frames");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> client = LOCAL.stack().clientProperties();
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "Drain of a backlog of %d frames (published in one transaction) by edge consumers "
                + "of one group on %d brokers, %d partitions; cores %s, load average %.2f at the start%n",
                count, BROKERS, PARTITIONS, PipelineApps.cores(), PipelineApps.loadAverage()));
        double[] rates = new double[2];
        int[] fleetSizes = {1, 3};
        for (int i = 0; i < fleetSizes.length; i++) {
            int consumers = fleetSizes[i];
            String phase = "bench" + consumers + "-" + run;
            Phase result = drain(client, phase, consumers, Cifar10TestFrames.frames(count, phase, phase + "-"));
            rates[i] = result.rate();
            report.append(String.format(Locale.ROOT, "  %d consumer(s): %.1f frames/s in %.1f s; the consumers used %.1f s of CPU "
                    + "(%.2f cores over the drain; their idle polls just before and after included); frames per device %s; partitions %s; "
                    + "load average %.2f at the end%n", consumers, result.rate(), result.seconds(), result.cpuSeconds(),
                    result.cpuSeconds() / result.seconds(), result.byDevice(), result.assignment(), PipelineApps.loadAverage()));
        }
        report.append(String.format(Locale.ROOT, "  ratio 3 consumers / 1 consumer: %.2f%n", rates[1] / rates[0]));
        Path file = Path.of(System.getProperty("scale.throughput.out", "target/scale-throughput.txt")).toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
        System.out.print(report);
    }

    private record Phase(double rate, double seconds, double cpuSeconds, Map<String, Long> byDevice,
                         Map<String, Set<Integer>> assignment) {
    }

    /** One fleet size: its own frames topic and group, the backlog made visible at once, drained exactly once. */
    private Phase drain(Map<String, Object> client, String phase, int consumers, List<ImageFrame> frames) throws Exception {
        String topic = "frames-" + phase;
        TopicSpec layout = LOCAL.stack().topics().stream().filter(t -> t.name().equals(Topics.FRAMES)).findFirst().orElseThrow();
        try (Admin admin = LOCAL.stack().createAdmin()) {
            new TopicCreator(admin, Duration.ofMinutes(1)).ensureTopics(List.of(
                    new TopicSpec(topic, layout.partitions(), layout.replicationFactor(), layout.configs())));
        }
        Path phaseLogs = Files.createDirectories(logs.resolve(phase));
        try (PipelineApps apps = new PipelineApps(AppLaunch.repositoryRoot(), phaseLogs, client);
             Admin admin = LOCAL.stack().createAdmin()) {
            List<AppProcess> devices = startDevices(apps, phase, "edge-" + phase, topic, consumers);
            PipelineApps.awaitReady(devices);
            Map<String, Set<Integer>> assignment = ConsumerGroupView.awaitStable(admin, "edge-" + phase, topic, consumers,
                    PARTITIONS, Duration.ofMinutes(3), apps::assertAllAlive);
            double cpuBefore = cpuSeconds(devices);
            Instant visible = FrameBacklog.publishInOneTransaction(client, topic, frames);
            List<PredictionLog.Predicted> predicted = PredictionLog.await(client, phase, frames.size(), Duration.ofMinutes(20),
                    apps::assertAllAlive);
            double cpu = cpuSeconds(devices) - cpuBefore;
            assertThat(predicted).extracting(PredictionLog.Predicted::frameId).as("every frame predicted exactly once")
                    .doesNotHaveDuplicates().hasSize(frames.size());
            Map<String, Long> byDevice = predicted.stream()
                    .collect(Collectors.groupingBy(PredictionLog.Predicted::deviceId, TreeMap::new, Collectors.counting()));
            assertThat(byDevice).as("every consumer took part").hasSize(consumers);
            long last = predicted.stream().mapToLong(PredictionLog.Predicted::brokerTimestamp).max().orElseThrow();
            double seconds = Math.max(1, last - visible.toEpochMilli()) / 1000.0;
            return new Phase(frames.size() / seconds, seconds, cpu, byDevice, assignment);
        }
    }

    /** CPU time the processes have used so far, user and system, as the operating system counts it. */
    private static double cpuSeconds(List<AppProcess> processes) {
        return processes.stream().mapToDouble(process -> ProcessHandle.of(process.pid())
                .flatMap(handle -> handle.info().totalCpuDuration())
                .orElseThrow(() -> new IllegalStateException("No CPU time for " + process.name() + " (pid " + process.pid() + ")"))
                .toNanos() / 1e9).sum();
    }

    private static List<AppProcess> startDevices(PipelineApps apps, String deviceType, String group, String topic, int count) {
        List<AppProcess> devices = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            devices.add(apps.startEdgeConsumer(deviceType + "-device-" + i, deviceType, group, topic));
        }
        return devices;
    }

    /** Six partitions on three replicas, two of which must acknowledge a write. */
    private static void assertTopicLayout(String topic) throws Exception {
        try (Admin admin = LOCAL.stack().createAdmin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).hasSize(PARTITIONS)
                    .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(BROKERS));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("2");
        }
    }

    /**
     * Asks both instances until each answers with {@code frames} frames (the instances catch up independently, and
     * during a rebalance an instance may answer 503), then checks they give the same figures.
     */
    private static void assertBothInstancesAnswer(List<AnalyticsApi> instances, String query, long frames) throws Exception {
        List<JsonNode> answers = new ArrayList<>();
        for (AnalyticsApi instance : instances) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            Optional<JsonNode> answer = instance.get(query);
            while (answer.map(a -> a.path("frames").asLong()).orElse(-1L) != frames) {
                assertThat(System.nanoTime()).as("%s%s answering %d frames; last answer %s", instance.base(), query, frames, answer)
                        .isLessThan(deadline);
                Thread.sleep(1000);
                answer = instance.get(query);
            }
            answers.add(answer.orElseThrow());
        }
        for (String field : List.of("frames", "framesWithGroundTruth", "correct", "accuracy", "deadLetters")) {
            assertThat(answers.get(1).path(field)).as("%s of %s from both instances", field, query).isEqualTo(answers.get(0).path(field));
        }
    }
}
