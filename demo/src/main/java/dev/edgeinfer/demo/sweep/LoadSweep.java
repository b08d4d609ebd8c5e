package dev.edgeinfer.demo.sweep;

import dev.edgeinfer.schemas.analytics.PercentileRule;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Latency against offered load: the run's frames sent at one rate after another (the last point, {@code max}, as fast
 * as the producer goes), each point's predictions read as a {@code read_committed} subscriber reads them
 * ({@link PredictionLatencies}), and per device type its throughput and end-to-end percentiles at each point, and the
 * knee of the curve.
 */
public final class LoadSweep {

    /** Frames sent before the first point and not counted: the devices' compilers warm up on them. */
    static final int WARM_UP_FRAMES = 600;
    static final int WARM_UP_FPS = 200;
    /** Least share of the offered load a device type must predict for a point to count as sustained. */
    static final double SUSTAINED = 0.95;

    /** Sends {@code count} frames at {@code fps} (0: as fast as possible) and returns how many the broker acknowledged. */
    @FunctionalInterface
    public interface FrameSender {
        long send(String phase, int fps, String arrivals, int count) throws Exception;
    }

    /** One offered load: frames per second, or 0 for as fast as the producer goes. */
    public record Load(String label, int fps) {
        public static List<Load> parse(List<String> texts) {
            List<Load> loads = new ArrayList<>();
            for (String text : texts) {
                String trimmed = text.trim().toLowerCase(Locale.ROOT);
                if (trimmed.equals("max")) {
                    loads.add(new Load("max", 0));
                    continue;
                }
                int fps;
                try {
                    fps = Integer.parseInt(trimmed);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("a load is frames per second or max, is '" + text + "'", e);
                }
                if (fps < 1) {
                    throw new IllegalArgumentException("a load is at least 1 frame per second, is " + fps);
                }
                loads.add(new Load(trimmed, fps));
            }
            if (loads.isEmpty()) {
                throw new IllegalArgumentException("a sweep needs at least one load");
            }
            return loads;
        }
    }

    /**
     * What one device type did at one load; latencies in milliseconds, null where the samples do not support the
     * percentile (the analytics' rule: at least 10 samples at or beyond it, so p99 needs 1,000).
     */
    public record DevicePoint(long frames, Double framesPerSecond, double meanBatch, Double endToEndP50, Double endToEndP99,
                              Double receiptP50, Double receiptP99, Double inferenceP50, Double inferenceP99,
                              Double fetchP50, Double queueP50, Double onDeviceP50, Double writeP50) {

        static DevicePoint of(PredictionLatencies.Tally tally) {
            return new DevicePoint(tally.frames(), tally.framesPerSecond(), tally.meanBatch(),
                    millis(tally.appendToAppend(), 50), millis(tally.appendToAppend(), 99),
                    millis(tally.receipt(), 50), millis(tally.receipt(), 99),
                    millis(tally.inference(), 50), millis(tally.inference(), 99),
                    millis(tally.fetch(), 50), millis(tally.queue(), 50), millis(tally.onDevice(), 50), millis(tally.write(), 50));
        }

        static Double millis(Histogram histogram, double percentile) {
            if (!PercentileRule.supports(histogram.getTotalCount(), percentile)) {
                return null;
            }
            return histogram.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /**
     * One load's figures: frames sent and how long sending took, one Kafka hop (frame append to a bare reader's receipt,
     * milliseconds, p50 and p99 under the same rule), and each device type's.
     */
    public record Point(Load load, long sent, Duration sending, Double kafkaHopP50, Double kafkaHopP99,
                        Map<String, DevicePoint> deviceTypes) {
        /** Frames per second the producer actually sent at. */
        public Double offeredPerSecond() {
            return sending.isZero() ? null : sent * 1000.0 / sending.toMillis();
        }
    }

    /** The whole sweep. */
    public record Result(String arrivals, double boundMillis, List<Point> points) {

        /**
         * A device type's knee: the highest paced load it sustained (predicted at least 95% of it) with its p99 end to
         * end within the bound; null if none. A lower load over the bound (a slow start, a noisy minute) does not hide
         * a higher one within it.
         */
        public Load knee(String deviceType) {
            Load knee = null;
            for (Point point : points) {
                DevicePoint device = point.deviceTypes().get(deviceType);
                if (point.load().fps() == 0 || device == null || device.framesPerSecond() == null) {
                    continue;
                }
                boolean sustained = device.framesPerSecond() >= SUSTAINED * point.load().fps();
                boolean bounded = device.endToEndP99() != null && device.endToEndP99() <= boundMillis;
                if (sustained && bounded && (knee == null || point.load().fps() > knee.fps())) {
                    knee = point.load();
                }
            }
            return knee;
        }

        public List<String> deviceTypes() {
            List<String> types = new ArrayList<>();
            points.forEach(point -> point.deviceTypes().keySet().stream().filter(t -> !types.contains(t)).forEach(types::add));
            return types;
        }
    }

    private final PredictionLatencies latencies;
    private final FrameSender sender;
    private final List<String> deviceTypes;
    private final PrintStream out;

    public LoadSweep(PredictionLatencies latencies, FrameSender sender, List<String> deviceTypes, PrintStream out) {
        this.latencies = latencies;
        this.sender = sender;
        this.deviceTypes = List.copyOf(deviceTypes);
        this.out = out;
    }

    /**
     * Runs every load in turn, each with at least {@code frames} frames (and at least {@code minSeconds} of sending at
     * a paced rate), waiting between loads until every device type predicted every frame of the one before, or
     * {@code settle} passed.
     */
    public Result run(List<Load> loads, String arrivals, int frames, int minSeconds, Duration settle, double boundMillis)
            throws Exception {
        phase("warm-up", new Load("warm-up", WARM_UP_FPS), "constant", WARM_UP_FRAMES, settle);
        List<Point> points = new ArrayList<>();
        for (Load load : loads) {
            int count = load.fps() == 0 ? frames : Math.max(frames, load.fps() * minSeconds);
            String pointArrivals = load.fps() == 0 ? "constant" : arrivals;
            Sent sent = phase(load.label(), load, pointArrivals, count, settle);
            Map<String, DevicePoint> devices = new LinkedHashMap<>();
            latencies.tallies(load.label()).forEach((type, tally) -> devices.put(type, DevicePoint.of(tally)));
            Histogram hop = latencies.kafkaHop(load.label());
            Point point = new Point(load, sent.frames(), sent.took(), DevicePoint.millis(hop, 50), DevicePoint.millis(hop, 99),
                    devices);
            out.printf(Locale.ROOT, "  %-6s one Kafka hop (frame append to a bare reader's receipt) p50 %s p99 %s ms%n", load.label(),
                    text(point.kafkaHopP50()), text(point.kafkaHopP99()));
            points.add(point);
            devices.forEach((type, d) -> out.printf(Locale.ROOT, "  %-6s %-22s %6d frames %8.1f fps  end to end p50 %s p99 %s ms,"
                    + " read_committed receipt p50 %s ms, inference p50 %s ms, batch %.1f; p50 fetch %s, on device %s, write %s ms%n",
                    load.label(), type, d.frames(),
                    d.framesPerSecond() == null ? 0 : d.framesPerSecond(), text(d.endToEndP50()), text(d.endToEndP99()),
                    text(d.receiptP50()), text(d.inferenceP50()), d.meanBatch(), text(d.fetchP50()), text(d.onDeviceP50()),
                    text(d.writeP50())));
        }
        return new Result(arrivals, boundMillis, points);
    }

    private record Sent(long frames, Duration took) {
    }

    /** Sends one load's frames and waits until every device type predicted them. */
    private Sent phase(String name, Load load, String arrivals, int count, Duration settle) throws Exception {
        out.printf(Locale.ROOT, "Load %s: %d frames%s%n", name, count, load.fps() == 0 ? " as fast as the producer goes"
                : String.format(Locale.ROOT, " at %d frames/s (%s)", load.fps(), arrivals));
        Instant start = Instant.now();
        latencies.beginPhase(name, start.minusMillis(1));
        long sent = sender.send(name, load.fps(), arrivals, count);
        Duration took = Duration.between(start, Instant.now());
        long deadline = System.nanoTime() + settle.toNanos();
        while (true) {
            latencies.check();
            Map<String, Long> predicted = latencies.frames(name);
            if (deviceTypes.stream().allMatch(type -> predicted.getOrDefault(type, 0L) >= sent)) {
                return new Sent(sent, took);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("load " + name + ": not every device type predicted the " + sent
                        + " frames sent within " + settle + ": " + predicted);
            }
            Thread.sleep(200);
        }
    }

    static String text(Double millis) {
        return millis == null ? "n/a" : String.format(Locale.ROOT, millis >= 100 ? "%.0f" : "%.1f", millis);
    }
}
