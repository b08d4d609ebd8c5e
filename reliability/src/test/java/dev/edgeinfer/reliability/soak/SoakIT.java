package dev.edgeinfer.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.reliability.scale.ConsumerGroupView;
import dev.edgeinfer.reliability.scale.FrameBacklog;
import dev.edgeinfer.reliability.scale.PredictionLog;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.analytics.AnalyticsClient;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import dev.edgeinfer.testsupport.apps.EdgeConsumerLaunch;
import dev.edgeinfer.testsupport.frames.Cifar10Frames;
import dev.edgeinfer.testsupport.process.Machine;
import dev.edgeinfer.testsupport.process.ProcessProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline under steady load for a while: one edge consumer and the analytics app, as processes, on the local
 * broker and registry. The consumer's maximum rate is measured first, on a backlog published in one transaction;
 * the producer then sends at a fraction of it (70% by default) for the run's duration while a sampler records,
 * every few seconds, the group's lag (from the brokers) and each process's heap after a full GC, open file
 * descriptors and resident memory.
 *
 * <p>Asserted: every frame is predicted exactly once; the lag stays bounded (never more than 30 s of frames behind,
 * and the last quarter no worse than the first by more than 10 s of frames); the apps' open file descriptors do not
 * grow. Heap and resident memory are recorded and summarised, not asserted: a run this short cannot tell a leak
 * from warm-up, the 20-minute run of {@code bench/soak/soak.sh} reads their slopes.
 *
 * <p>System properties: {@code soak.duration} (default 45s; e.g. 20m), {@code soak.load} (0.7), {@code soak.backlog}
 * (frames of the maximum-rate measurement, 1500), {@code soak.sample} (5s), {@code soak.out} (default
 * {@code target/soak/<time>}: {@code samples.csv}, {@code summary.md} and the apps' logs).
 */
class SoakIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static final int FD_MARGIN = 16;
    private static final Duration LAG_BOUND = Duration.ofSeconds(30);
    private static final Duration LAG_GROWTH_BOUND = Duration.ofSeconds(10);

    @Test
    void lagStaysBoundedAndDescriptorsFlatAtSeventyPercentOfTheMaximumRate() throws Exception {
        assumeTrue(Cifar10Frames.dir().isPresent(), Cifar10Frames.missingReason());
        Duration duration = duration(System.getProperty("soak.duration", "45s"));
        double load = Double.parseDouble(System.getProperty("soak.load", "0.7"));
        int backlog = Integer.getInteger("soak.backlog", 1500);
        Duration sampleEvery = duration(System.getProperty("soak.sample", "5s"));
        String started = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path out = Path.of(System.getProperty("soak.out", "target/soak/" + started)).toAbsolutePath();
        Files.createDirectories(out);

        String run = UUID.randomUUID().toString().substring(0, 8);
        String deviceType = "soak-" + run;
        String group = "edge-" + deviceType;
        Map<String, Object> client = LOCAL.stack().clientProperties();
        SoakRecord record = new SoakRecord(List.of("edge-consumer", "analytics", "broker"));
        Map<String, String> facts = new LinkedHashMap<>();
        try (Apps apps = new Apps(Apps.repositoryRoot(), out, client);
             Admin admin = LOCAL.stack().createAdmin()) {
            int httpPort = Apps.freePort();
            AppProcess analytics = apps.analytics("analytics", "soak-" + run, httpPort, out.resolve("analytics-state"),
                    List.of("--no-create-topics"));
            AppProcess consumer = apps.edgeConsumer(EdgeConsumerLaunch.device(deviceType + "-device", deviceType)
                    .group(group).framesTopic(Topics.FRAMES).metricsPort(0));
            Apps.awaitDevicesReady(List.of(consumer), Duration.ofMinutes(4));
            AnalyticsClient.onPort(httpPort).awaitHealthy(analytics, Duration.ofMinutes(4));
            ConsumerGroupView.awaitStable(admin, group, Topics.FRAMES, 1, Topics.DEFAULT_PARTITIONS, Duration.ofMinutes(2),
                    apps::assertServicesAlive);

            double maxRate = maximumRate(client, deviceType, backlog, "soak-max-" + run, apps);
            int fps = Math.max(1, (int) Math.round(maxRate * load));
            facts.put("maximum rate (backlog of " + backlog + " frames, one consumer)",
                    String.format(Locale.ROOT, "%.1f frames/s", maxRate));
            facts.put("load", String.format(Locale.ROOT, "%d frames/s (%.0f%% of the maximum) for %s", fps, load * 100, duration));
            facts.put("cores", Machine.cores());
            facts.put("load average at the start", String.format(Locale.ROOT, "%.2f", Machine.loadAverage()));
            System.out.printf(Locale.ROOT, "soak: maximum %.1f frames/s; load %d frames/s for %s; samples every %s to %s%n",
                    maxRate, fps, duration, sampleEvery, out);

            AppProcess producer = apps.producer("producer", List.of("--source", "cifar10:test", "--loop",
                    "--fps", Integer.toString(fps), "--duration", duration.toSeconds() + "s", "--producer-id", "soak-" + run));
            sample(record, out, admin, group, producer, consumer, analytics, sampleEvery);
            assertThat(producer.waitFor(Duration.ofMinutes(2))).as("producer status; its log:%n%s", producer.tail()).isZero();
            long acknowledged = Apps.acknowledged(producer);

            List<PredictionLog.Predicted> predicted = PredictionLog.await(client, deviceType, backlog + acknowledged,
                    Duration.ofMinutes(10), apps::assertServicesAlive);
            Set<String> distinct = new HashSet<>();
            predicted.forEach(p -> distinct.add(p.frameId()));
            long lost = backlog + acknowledged - distinct.size();
            long duplicates = predicted.size() - distinct.size();
            facts.put("frames sent under load (acknowledged)", Long.toString(acknowledged));
            facts.put("frames predicted (backlog included)",
                    distinct.size() + " distinct, " + duplicates + " duplicates, " + lost + " lost");
            facts.put("load average at the end", String.format(Locale.ROOT, "%.2f", Machine.loadAverage()));
            record.writeCsv(out);
            Path summary = record.writeSummary(out, facts);
            System.out.println(Files.readString(summary));

            assertThat(lost).as("frames lost").isZero();
            assertThat(duplicates).as("frames predicted twice").isZero();
            SoakRecord.Trend lag = record.lag();
            assertThat(record.maxLag())
                    .as("lag within %s of frames at %d frames/s", LAG_BOUND, fps)
                    .isLessThanOrEqualTo((long) fps * LAG_BOUND.toSeconds());
            assertThat(lag.lastQuarterMax()).as("lag of the last quarter against the first")
                    .isLessThanOrEqualTo(lag.firstQuarterMax() + (double) fps * LAG_GROWTH_BOUND.toSeconds());
            for (String process : List.of("edge-consumer", "analytics")) {
                SoakRecord.Trend fds = record.fileDescriptors(process);
                assertThat(fds.lastQuarterMax()).as("open file descriptors of %s, last quarter against the first", process)
                        .isLessThanOrEqualTo(fds.firstQuarterMax() + FD_MARGIN);
            }
        }
    }

    /**
     * The consumer's maximum rate: frames per second from the instant a backlog, published in one transaction,
     * became visible to the broker timestamp of its last prediction.
     */
    private static double maximumRate(Map<String, Object> client, String deviceType, int backlog, String prefix,
                                      Apps apps)
            throws IOException, InterruptedException {
        List<ImageFrame> frames = Cifar10Frames.frames(backlog, prefix, prefix + "-");
        Instant visible = FrameBacklog.publishInOneTransaction(client, Topics.FRAMES, frames);
        List<PredictionLog.Predicted> drained = PredictionLog.await(client, deviceType, backlog, Duration.ofMinutes(10),
                apps::assertServicesAlive);
        long lastPrediction = drained.stream().mapToLong(PredictionLog.Predicted::brokerTimestamp).max().orElseThrow();
        return backlog * 1000.0 / Math.max(1, lastPrediction - visible.toEpochMilli());
    }

    /** Samples until the producer has finished, then once more; the CSV is rewritten after each sample. */
    private static void sample(SoakRecord record, Path out, Admin admin, String group, AppProcess producer, AppProcess consumer,
                               AppProcess analytics, Duration every)
            throws Exception {
        List<ProcessProbe> probes = new ArrayList<>();
        try {
            probes.add(ProcessProbe.attach("edge-consumer", consumer.pid()));
            probes.add(ProcessProbe.attach("analytics", analytics.pid()));
            probes.add(ProcessProbe.self("broker"));
            long start = System.nanoTime();
            long next = start;
            boolean producing = true;
            while (producing) {
                producing = producer.isAlive();
                Map<String, ProcessProbe.Sample> figures = new LinkedHashMap<>();
                for (ProcessProbe probe : probes) {
                    figures.put(probe.name(), probe.sample());
                }
                record.add(new SoakRecord.Sample((System.nanoTime() - start) / 1e9, ConsumerLag.of(admin, group, Topics.FRAMES),
                        Machine.loadAverage(), figures));
                record.writeCsv(out);
                next += every.toNanos();
                long wait = next - System.nanoTime();
                if (producing && wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
            }
        } finally {
            for (ProcessProbe probe : probes) {
                probe.close();
            }
        }
    }

    /** {@code 20m}, {@code 90s}, {@code 1h} or ISO-8601 ({@code PT20M}). */
    static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("pt")) {
            return Duration.parse(value);
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("Not a duration (e.g. 90s, 20m, PT20M): " + text);
        };
    }
}
