package dev.edgeinfer.reliability.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.analytics.WindowStats;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.analytics.AnalyticsClient;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.apps.EdgeConsumerLaunch;
import dev.edgeinfer.testsupport.frames.Cifar10Frames;
import dev.edgeinfer.testsupport.process.Machine;
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
        assumeTrue(Cifar10Frames.dir().isPresent(), Cifar10Frames.missingReason());
        assertTopicLayout(Topics.FRAMES);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String deviceType = "fleet-" + run;
        String group = "edge-" + deviceType;
        Map<String, Object> client = LOCAL.stack().clientProperties();
        // The 15-minute view advances by a minute: this window holds every prediction of a run shorter than 14 minutes.
        long window = Math.floorDiv(System.currentTimeMillis(), 60_000L) * 60_000L;
        try (Apps apps = new Apps(Apps.repositoryRoot(), logs, client);
             Admin admin = LOCAL.stack().createAdmin()) {
            List<AnalyticsClient> instances = new ArrayList<>();
            List<AppProcess> analytics = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                int port = Apps.freePort();
                analytics.add(apps.analytics("analytics-" + i, "fleet-" + run, port, apps.logs().resolve("analytics-" + i + "-state"),
                        List.of("--no-create-topics")));
                instances.add(AnalyticsClient.onPort(port));
            }
            List<AppProcess> devices = startDevices(apps, deviceType, group, Topics.FRAMES, 3);
            Apps.awaitDevicesReady(devices, Duration.ofMinutes(4));
            for (int i = 0; i < instances.size(); i++) {
                instances.get(i).awaitHealthy(analytics.get(i), Duration.ofMinutes(4));
            }
            Map<String, Set<Integer>> assignment = ConsumerGroupView.awaitStable(admin, group, Topics.FRAMES, 3, PARTITIONS,
                    Duration.ofMinutes(3), apps::assertServicesAlive);
            assertThat(assignment.values()).as("partitions per consumer: %s", assignment).allSatisfy(owned -> assertThat(owned).hasSize(2));

            List<ImageFrame> frames = Cifar10Frames.frames(FRAMES, "fleet-" + run, "fleet-" + run + "-");
            FrameBacklog.publishInOneTransaction(client, Topics.FRAMES, frames);
            List<PredictionLog.Predicted> predicted = PredictionLog.await(client, deviceType, FRAMES, PREDICTIONS_TIMEOUT,
                    apps::assertServicesAlive);

            assertThat(predicted).extracting(PredictionLog.Predicted::frameId).as("every frame predicted exactly once")
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(frames.stream().map(ImageFrame::getFrameId).toList());
            Map<String, Long> byDevice = predicted.stream()
                    .collect(Collectors.groupingBy(PredictionLog.Predicted::deviceId, TreeMap::new, Collectors.counting()));
            assertThat(byDevice).as("frames predicted per device").hasSize(3).allSatisfy((device, count) -> assertThat(count).isPositive());
            System.out.printf(Locale.ROOT, "scale: %d frames over 3 consumers %s, partitions %s%n", FRAMES, byDevice, assignment);

            assertBothInstancesAnswer(instances, "device-type", deviceType, window, FRAMES);
            for (Map.Entry<String, Long> device : byDevice.entrySet()) {
                assertBothInstancesAnswer(instances, "device", device.getKey(), window,
                        device.getValue());
            }
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "scale.throughput.frames", matches = "\\d+")
    void throughputOfThreeConsumersAgainstOne() throws Exception {
        assumeTrue(Cifar10Frames.dir().isPresent(), Cifar10Frames.missingReason());
        int count = Integer.getInteger("scale.throughput.frames");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> client = LOCAL.stack().clientProperties();
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "Drain of a backlog of %d frames (published in one transaction) by edge consumers "
                + "of one group on %d brokers, %d partitions; cores %s, load average %.2f at the start%n",
                count, BROKERS, PARTITIONS, Machine.cores(), Machine.loadAverage()));
        double[] rates = new double[2];
        int[] fleetSizes = {1, 3};
        for (int i = 0; i < fleetSizes.length; i++) {
            int consumers = fleetSizes[i];
            String phase = "bench" + consumers + "-" + run;
            Phase result = drain(client, phase, consumers, Cifar10Frames.frames(count, phase, phase + "-"));
            rates[i] = result.rate();
            report.append(String.format(Locale.ROOT, "  %d consumer(s): %.1f frames/s in %.1f s; the consumers used %.1f s of CPU "
                    + "(%.2f cores over the drain; their idle polls just before and after included); frames per device %s; partitions %s; "
                    + "load average %.2f at the end%n", consumers, result.rate(), result.seconds(), result.cpuSeconds(),
                    result.cpuSeconds() / result.seconds(), result.byDevice(), result.assignment(), Machine.loadAverage()));
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
        try (Apps apps = new Apps(Apps.repositoryRoot(), phaseLogs, client);
             Admin admin = LOCAL.stack().createAdmin()) {
            List<AppProcess> devices = startDevices(apps, phase, "edge-" + phase, topic, consumers);
            Apps.awaitDevicesReady(devices, Duration.ofMinutes(4));
            Map<String, Set<Integer>> assignment = ConsumerGroupView.awaitStable(admin, "edge-" + phase, topic, consumers,
                    PARTITIONS, Duration.ofMinutes(3), apps::assertServicesAlive);
            double cpuBefore = cpuSeconds(devices);
            Instant visible = FrameBacklog.publishInOneTransaction(client, topic, frames);
            List<PredictionLog.Predicted> predicted = PredictionLog.await(client, phase, frames.size(), Duration.ofMinutes(20),
                    apps::assertServicesAlive);
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

    private static List<AppProcess> startDevices(Apps apps, String deviceType, String group, String topic, int count) {
        List<AppProcess> devices = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            devices.add(apps.edgeConsumer(EdgeConsumerLaunch.device(deviceType + "-device-" + i, deviceType)
                    .group(group).framesTopic(topic).metricsPort(0)));
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
    private static void assertBothInstancesAnswer(List<AnalyticsClient> instances, String dimension, String key, long window,
                                                  long frames)
            throws Exception {
        List<WindowCounts> answers = new ArrayList<>();
        for (AnalyticsClient instance : instances) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            Optional<WindowStats> answer = instance.stats(dimension, key, "15m", window);
            while (answer.map(WindowStats::frames).orElse(-1L) != frames) {
                assertThat(System.nanoTime()).as("%s %s/%s answering %d frames; last answer %s", instance.base(), dimension, key,
                        frames, answer).isLessThan(deadline);
                Thread.sleep(1000);
                answer = instance.stats(dimension, key, "15m", window);
            }
            WindowStats stats = answer.orElseThrow();
            answers.add(new WindowCounts(stats.frames(), stats.framesWithGroundTruth(), stats.correct(), stats.accuracy(),
                    stats.deadLetters()));
        }
        assertThat(answers.get(1)).as("figures of %s/%s from both instances", dimension, key).isEqualTo(answers.get(0));
    }

    /** What both instances must answer alike for one key and window. */
    private record WindowCounts(long frames, long framesWithGroundTruth, long correct, Double accuracy, long deadLetters) {
    }
}
