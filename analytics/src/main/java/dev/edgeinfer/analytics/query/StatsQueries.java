package dev.edgeinfer.analytics.query;

import dev.edgeinfer.analytics.agreement.AgreementCounts;
import dev.edgeinfer.analytics.config.LatencyBound;
import dev.edgeinfer.analytics.config.LatencyBounds;
import dev.edgeinfer.analytics.config.WindowView;
import dev.edgeinfer.analytics.stats.ConfusionMatrix;
import dev.edgeinfer.analytics.stats.LatencyHistogram;
import dev.edgeinfer.analytics.stats.SliceStats;
import dev.edgeinfer.analytics.topology.AnalyticsTopology.ViewStores;
import dev.edgeinfer.analytics.topology.Dimension;
import dev.edgeinfer.analytics.topology.StatsKey;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.schemas.analytics.ConfusionReport;
import dev.edgeinfer.schemas.analytics.DeviceTypeSummary;
import dev.edgeinfer.schemas.analytics.LatencyBoundCheck;
import dev.edgeinfer.schemas.analytics.LatencyBoundVerdict;
import dev.edgeinfer.schemas.analytics.LatencySummary;
import dev.edgeinfer.schemas.analytics.PairAgreement;
import dev.edgeinfer.schemas.analytics.PercentileRule;
import dev.edgeinfer.schemas.analytics.PercentileValue;
import dev.edgeinfer.schemas.analytics.TimeSeries;
import dev.edgeinfer.schemas.analytics.WindowStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Answers queries from slices merged over their parts ({@link SliceReader}): windows are assembled from the slices they
 * cover. Which parts are read (this instance's, or every instance's) is the reader's concern.
 *
 * <p>A window is named by its start, which must be a multiple of the view's advance; {@code latest} is the window
 * that ends with the key's newest slice, i.e. the last full window length up to the newest data.
 */
public final class StatsQueries {

    private final SliceReader slices;
    private final LocalStores stores;
    private final List<ViewStores> views;
    private final LatencyBounds bounds;
    private final Liveness liveness;

    /**
     * @param slices the slices to answer from
     * @param stores this instance's stores, for the heartbeats (a global store: every instance holds all of them)
     * @param views  the views, short first, as the slices' key index numbers them
     * @param bounds the end-to-end latency bounds the windows of device types (and devices) are judged against
     * @param liveness which devices are online
     */
    public StatsQueries(SliceReader slices, LocalStores stores, List<ViewStores> views, LatencyBounds bounds,
                        Liveness liveness) {
        this.slices = slices;
        this.stores = stores;
        this.views = views;
        this.bounds = bounds;
        this.liveness = liveness;
    }

    /**
     * Statistics of one key over one window.
     *
     * @param windowStart the window's start, or empty for the latest
     * @return empty when the key has no data in the view's retention
     */
    public Optional<WindowStats> stats(StatsKey key, ViewStores view, OptionalLong windowStart) {
        OptionalLong start = resolveStart(key, view, windowStart);
        if (start.isEmpty()) {
            return Optional.empty();
        }
        SliceStats window = window(key, view, start.getAsLong());
        return Optional.of(windowStats(key, view.view(), start.getAsLong(), window, bound(key)));
    }

    /**
     * The last {@code windows} windows of one key, oldest first, the last being the latest.
     *
     * @return empty when the key has no data in the view's retention
     */
    public Optional<TimeSeries> timeSeries(StatsKey key, ViewStores view, int windows) {
        OptionalLong latest = resolveStart(key, view, OptionalLong.empty());
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        long advance = view.view().advance().toMillis();
        long firstStart = latest.getAsLong() - (windows - 1L) * advance;
        NavigableMap<Long, SliceStats> covered = slices.slices(SliceKind.STATS, view.statsStore(), key.storeKey(), firstStart,
                lastSliceOf(view.view(), latest.getAsLong()));
        List<WindowStats> series = new ArrayList<>(windows);
        Optional<LatencyBound> bound = bound(key);
        for (long start = firstStart; start <= latest.getAsLong(); start += advance) {
            SliceStats window = merge(covered.subMap(start, true, lastSliceOf(view.view(), start), true).values(),
                    SliceStats::new, SliceStats::merge);
            series.add(windowStats(key, view.view(), start, window, bound));
        }
        return Optional.of(new TimeSeries(key.dimension().pathName(), key.value(), view.view().name(), series));
    }

    /**
     * The confusion matrix of one device type over one window.
     *
     * @return empty when the device type has no data in the view's retention
     */
    public Optional<ConfusionReport> confusion(String deviceType, ViewStores view, OptionalLong windowStart) {
        StatsKey key = StatsKey.deviceType(deviceType);
        OptionalLong start = resolveStart(key, view, windowStart);
        if (start.isEmpty()) {
            return Optional.empty();
        }
        SliceStats window = window(key, view, start.getAsLong());
        ConfusionMatrix matrix = window.confusion();
        List<String> labels = new ArrayList<>();
        Map<Integer, String> names = window.labels();
        for (int index = 0; index < matrix.size(); index++) {
            labels.add(names.getOrDefault(index, Integer.toString(index)));
        }
        List<List<Long>> rows = new ArrayList<>();
        for (long[] row : matrix.rows()) {
            rows.add(Arrays.stream(row).boxed().toList());
        }
        return Optional.of(new ConfusionReport(deviceType, view.view().name(), start.getAsLong(),
                start.getAsLong() + view.view().size().toMillis(),
                labels, rows, window.framesWithGroundTruth(), window.correct(), ratio(window.correct(), window.framesWithGroundTruth())));
    }

    /** Agreement of every pair of device types, over the latest or a given window. */
    public List<PairAgreement> agreementPairs(ViewStores view, OptionalLong windowStart) {
        Map<String, NavigableMap<Long, AgreementCounts>> byPair = slices.allSlices(SliceKind.AGREEMENT, view.agreementStore());
        List<PairAgreement> pairs = new ArrayList<>();
        long size = view.view().size().toMillis();
        for (NavigableMap<Long, AgreementCounts> pairSlices : byPair.values()) {
            long start = windowStart.orElseGet(() -> latestWindowStart(pairSlices.lastKey(), view.view()));
            AgreementCounts counts = merge(pairSlices.subMap(start, true, lastSliceOf(view.view(), start), true).values(),
                    AgreementCounts::new, AgreementCounts::merge);
            if (counts.compared() > 0) {
                pairs.add(new PairAgreement(counts.firstType(), counts.secondType(), start, start + size,
                        counts.compared(), counts.differing(), ratio(counts.differing(), counts.compared())));
            }
        }
        pairs.sort(Comparator.comparing(PairAgreement::firstType).thenComparing(PairAgreement::secondType));
        return pairs;
    }

    /**
     * Device types with statistics (in the views' retention) or heartbeats, with the devices whose heartbeats name them.
     */
    public List<DeviceTypeSummary> deviceTypes() {
        Map<String, List<DeviceTypeSummary.Device>> types = new TreeMap<>();
        String prefix = Dimension.DEVICE_TYPE.pathName() + "/";
        // Keys sort as bytes; '0' is the character after '/', so this range is exactly the device-type keys.
        for (String key : slices.keys(prefix, Dimension.DEVICE_TYPE.pathName() + "0")) {
            if (key.startsWith(prefix)) {
                types.putIfAbsent(key.substring(prefix.length()), new ArrayList<>());
            }
        }
        try (KeyValueIterator<String, DeviceHeartbeat> heartbeats = stores.heartbeats().all()) {
            while (heartbeats.hasNext()) {
                DeviceHeartbeat heartbeat = heartbeats.next().value;
                if (heartbeat != null) {
                    types.computeIfAbsent(heartbeat.getDeviceType(), t -> new ArrayList<>()).add(device(heartbeat));
                }
            }
        }
        List<DeviceTypeSummary> summaries = new ArrayList<>();
        types.forEach((type, devices) -> summaries.add(new DeviceTypeSummary(type,
                devices.stream().sorted(Comparator.comparing(DeviceTypeSummary.Device::deviceId)).toList())));
        return summaries;
    }

    private DeviceTypeSummary.Device device(DeviceHeartbeat heartbeat) {
        return new DeviceTypeSummary.Device(heartbeat.getDeviceId(), heartbeat.getEngine(),
                heartbeat.getModel().getPrecision().name(), heartbeat.getSentTime().toEpochMilli(),
                heartbeat.getFramesProcessed(), heartbeat.getFramesFailed(), heartbeat.getConsumerLag(),
                liveness.intervalMillis(heartbeat), liveness.online(heartbeat));
    }

    private SliceStats window(StatsKey key, ViewStores view, long start) {
        return merge(slices.slices(SliceKind.STATS, view.statsStore(), key.storeKey(), start, lastSliceOf(view.view(), start)).values(),
                SliceStats::new, SliceStats::merge);
    }

    private OptionalLong resolveStart(StatsKey key, ViewStores view, OptionalLong requested) {
        if (requested.isPresent()) {
            return requested;
        }
        OptionalLong newest = slices.newestSlice(views.indexOf(view), key.storeKey());
        return newest.isPresent() ? OptionalLong.of(latestWindowStart(newest.getAsLong(), view.view())) : OptionalLong.empty();
    }

    /** The window that ends with the slice starting at {@code newestSlice}. */
    static long latestWindowStart(long newestSlice, WindowView view) {
        return newestSlice - view.size().toMillis() + view.advance().toMillis();
    }

    private static long lastSliceOf(WindowView view, long windowStart) {
        return windowStart + view.size().toMillis() - view.advance().toMillis();
    }

    private static <V> V merge(Iterable<V> slices, Supplier<V> empty, BinaryOperator<V> merger) {
        V total = empty.get();
        for (V slice : slices) {
            total = merger.apply(total, slice);
        }
        return total;
    }

    /**
     * The bound a key's windows are judged against: a device type's own, a device's type's (from its latest heartbeat);
     * a model version's, its device type's; none for a precision or a camera, which span device types.
     */
    private Optional<LatencyBound> bound(StatsKey key) {
        return switch (key.dimension()) {
            case DEVICE_TYPE -> Optional.of(bounds.forDeviceType(key.value()));
            case DEVICE -> Optional.ofNullable(stores.heartbeats().get(key.value()))
                    .map(heartbeat -> bounds.forDeviceType(heartbeat.getDeviceType()));
            case PRECISION, CAMERA -> Optional.empty();
            case MODEL -> Optional.of(bounds.forDeviceType(StatsKey.deviceTypeOfModel(key.value())));
        };
    }

    private static WindowStats windowStats(StatsKey key, WindowView view, long start, SliceStats window,
                                           Optional<LatencyBound> bound) {
        double seconds = view.size().toMillis() / 1000.0;
        return new WindowStats(key.dimension().pathName(), key.value(), view.name(), start, start + view.size().toMillis(),
                window.frames(), window.framesWithGroundTruth(), window.correct(),
                ratio(window.correct(), window.framesWithGroundTruth()), window.frames() / seconds,
                window.deadLetters(), window.errors(), window.rejected(),
                latency(window.inference()), latency(window.onDevice()), latency(window.endToEnd()),
                bound.map(b -> latencyBound(b, window.endToEnd())).orElse(null));
    }

    /** Summary of a distribution, with each percentile reported only when the samples support it. */
    public static LatencySummary latency(LatencyHistogram histogram) {
        long samples = histogram.count();
        List<PercentileValue> percentiles = new ArrayList<>();
        for (double percentile : PercentileRule.REPORTED) {
            long needed = PercentileRule.samplesNeeded(percentile);
            boolean supported = samples >= needed;
            percentiles.add(new PercentileValue(percentileName(percentile), percentile,
                    supported ? histogram.valueAtPercentile(percentile) : null,
                    supported ? PercentileValue.OK : PercentileValue.INSUFFICIENT, needed));
        }
        return new LatencySummary(samples, histogram.min(), histogram.max(), percentiles);
    }

    /**
     * The end-to-end latency against a bound: judged only when the samples support the bound's percentile (the
     * percentile rule), on the value the API reports for it (HdrHistogram's bucket, exact below 2048 µs and within 0.1%
     * above).
     */
    public static LatencyBoundCheck latencyBound(LatencyBound bound, LatencyHistogram endToEnd) {
        long samples = endToEnd.count();
        long needed = PercentileRule.samplesNeeded(bound.percentile());
        if (samples < needed) {
            return new LatencyBoundCheck(bound.percentile(), bound.boundMillis(), null, samples, needed,
                    LatencyBoundVerdict.INSUFFICIENT_SAMPLES);
        }
        long observedMicros = endToEnd.valueAtPercentile(bound.percentile());
        // In nanoseconds, so that a bound with a fraction of a microsecond is compared exactly.
        boolean within = observedMicros * 1000L <= bound.bound().toNanos();
        return new LatencyBoundCheck(bound.percentile(), bound.boundMillis(), observedMicros / 1000.0, samples, needed,
                within ? LatencyBoundVerdict.VALID : LatencyBoundVerdict.INVALID);
    }

    private static String percentileName(double percentile) {
        return percentile == Math.rint(percentile) ? "p" + (long) percentile : "p" + percentile;
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
