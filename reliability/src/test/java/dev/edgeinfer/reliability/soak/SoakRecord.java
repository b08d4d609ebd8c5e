package dev.edgeinfer.reliability.soak;

import dev.edgeinfer.testsupport.process.ProcessProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The samples of a soak run and what they add up to: a CSV with one row per sample and a summary that compares the
 * first quarter of the run with the last and fits a straight line to every series after the first quarter (start-up
 * and warm-up excluded). A leak shows as a slope; bounded lag as a last quarter no worse than the first.
 */
public final class SoakRecord {

    /** One sample: seconds since the load started, the group's lag, the machine's load average, each process's figures. */
    public record Sample(double elapsedSeconds, long lag, double loadAverage, Map<String, ProcessProbe.Sample> processes) {
    }

    /** First and last quarter and slope of one series. */
    public record Trend(String series, String unit, double firstQuarterMedian, double firstQuarterMax,
                        double lastQuarterMedian, double lastQuarterMax, double slopePerMinute) {
    }

    private final List<String> processNames;
    private final List<Sample> samples = new ArrayList<>();

    public SoakRecord(List<String> processNames) {
        this.processNames = List.copyOf(processNames);
    }

    public void add(Sample sample) {
        samples.add(sample);
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The largest lag of any sample, in frames. */
    public long maxLag() {
        return samples.stream().mapToLong(Sample::lag).max().orElseThrow();
    }

    /** The consumer group's lag, in frames. */
    public Trend lag() {
        return trend("consumer lag", "frames", s -> s.lag());
    }

    /** Heap in use after a full GC of one process, in MB. */
    public Trend heapAfterGc(String process) {
        return trend(process + " heap after GC", "MB", s -> s.processes().get(process).heapAfterGcBytes() / 1e6);
    }

    /** Open file descriptors of one process. */
    public Trend fileDescriptors(String process) {
        return trend(process + " open file descriptors", "", s -> s.processes().get(process).openFileDescriptors());
    }

    /** Resident memory of one process, in MB. */
    public Trend resident(String process) {
        return trend(process + " resident memory", "MB", s -> s.processes().get(process).residentBytes() / 1e6);
    }

    private Trend trend(String series, String unit, ToDoubleFunction<Sample> value) {
        if (samples.size() < 4) {
            throw new IllegalStateException("A trend needs at least 4 samples; the run has " + samples.size());
        }
        int quarter = samples.size() / 4;
        double[] first = samples.subList(0, quarter).stream().mapToDouble(value).toArray();
        double[] last = samples.subList(samples.size() - quarter, samples.size()).stream().mapToDouble(value).toArray();
        List<Sample> settled = samples.subList(quarter, samples.size());
        return new Trend(series, unit, median(first), Arrays.stream(first).max().orElseThrow(),
                median(last), Arrays.stream(last).max().orElseThrow(),
                slope(settled.stream().mapToDouble(s -> s.elapsedSeconds() / 60).toArray(), settled.stream().mapToDouble(value).toArray()));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** Least-squares slope of y over x. */
    private static double slope(double[] x, double[] y) {
        double meanX = Arrays.stream(x).average().orElseThrow();
        double meanY = Arrays.stream(y).average().orElseThrow();
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < x.length; i++) {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            variance += (x[i] - meanX) * (x[i] - meanX);
        }
        return variance == 0 ? 0 : covariance / variance;
    }

    /** Every trend of the run: lag, then heap, descriptors and resident memory of each process. */
    public List<Trend> trends() {
        List<Trend> trends = new ArrayList<>();
        trends.add(lag());
        for (String process : processNames) {
            if (samples.get(0).processes().get(process).heapAfterGcBytes() >= 0) {
                trends.add(heapAfterGc(process));
            }
            trends.add(fileDescriptors(process));
            trends.add(resident(process));
        }
        return trends;
    }

    /** Writes {@code samples.csv}, one row per sample. */
    public Path writeCsv(Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("elapsed_s,lag_frames,load_average");
        for (String process : processNames) {
            csv.append(',').append(process).append("_heap_after_gc_bytes,").append(process).append("_open_fds,")
                    .append(process).append("_rss_bytes");
        }
        csv.append('\n');
        for (Sample sample : samples) {
            csv.append(String.format(Locale.ROOT, "%.1f,%d,%.2f", sample.elapsedSeconds(), sample.lag(), sample.loadAverage()));
            for (String process : processNames) {
                ProcessProbe.Sample figures = sample.processes().get(process);
                csv.append(',').append(figures.heapAfterGcBytes()).append(',').append(figures.openFileDescriptors())
                        .append(',').append(figures.residentBytes());
            }
            csv.append('\n');
        }
        Path file = dir.resolve("samples.csv");
        Files.writeString(file, csv);
        return file;
    }

    /** Writes {@code summary.md}: the run's facts, then one row per trend. */
    public Path writeSummary(Path dir, Map<String, String> facts) throws IOException {
        StringBuilder text = new StringBuilder("# Soak run\n\n");
        Map<String, String> all = new LinkedHashMap<>(facts);
        all.put("samples", Integer.toString(samples.size()));
        all.forEach((key, value) -> text.append("- ").append(key).append(": ").append(value).append('\n'));
        text.append(
                "\n| series | first quarter median | first quarter max | last quarter median | last quarter max | slope per minute after the first quarter |\n");
        text.append("|---|---|---|---|---|---|\n");
        for (Trend trend : trends()) {
            text.append(String.format(Locale.ROOT, "| %s%s | %.1f | %.1f | %.1f | %.1f | %+.2f |%n", trend.series(),
                    trend.unit().isEmpty() ? "" : " (" + trend.unit() + ")", trend.firstQuarterMedian(), trend.firstQuarterMax(),
                    trend.lastQuarterMedian(), trend.lastQuarterMax(), trend.slopePerMinute()));
        }
        Path file = dir.resolve("summary.md");
        Files.writeString(file, text);
        return file;
    }
}
