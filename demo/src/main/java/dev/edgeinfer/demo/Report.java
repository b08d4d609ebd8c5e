package dev.edgeinfer.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The comparison report of a run: {@code report.md} with PNG charts, and {@code report.json} with the same figures.
 * Every figure comes from the analytics query API and says how many frames it rests on.
 */
record Report(String runId, Instant started, DemoRun.Progress progress, List<DeviceFigures> figures,
              String reference, Map<String, Long> memoryBytes, URI api) {

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> rows = figures.stream().map(DeviceFigures::deviceType).toList();
        BarChart.write(dir.resolve("accuracy.png"), "Top-1 accuracy", "%", rows,
                List.of(new BarChart.Series("accuracy", values(f -> f.accuracy() == null ? null : f.accuracy() * 100))));
        BarChart.write(dir.resolve("disagreement.png"), "Top-1 differs from " + reference, "%", rows,
                List.of(new BarChart.Series("frames whose top-1 differs",
                        values(f -> f.disagreement() == null ? null : f.disagreement() * 100))));
        BarChart.write(dir.resolve("latency-inference.png"), "Device inference time per batch", "ms", rows, List.of(
                new BarChart.Series("p50", values(f -> millis(f.inference().p50()))),
                new BarChart.Series("p90", values(f -> millis(f.inference().p90()))),
                new BarChart.Series("p99", values(f -> millis(f.inference().p99())))));
        BarChart.write(dir.resolve("latency-end-to-end.png"), "End-to-end latency (frame append to prediction append, broker clock)", "ms",
                rows, List.of(
                        new BarChart.Series("p50", values(f -> millis(f.endToEnd().p50()))),
                        new BarChart.Series("p90", values(f -> millis(f.endToEnd().p90()))),
                        new BarChart.Series("p99", values(f -> millis(f.endToEnd().p99())))));
        BarChart.write(dir.resolve("throughput.png"), "Frames per second (frames / time to predict them all)", "fps", rows,
                List.of(new BarChart.Series("frames per second", values(this::framesPerSecond))));
        BarChart.write(dir.resolve("dead-letters.png"), "Dead letters", "", rows,
                List.of(new BarChart.Series("dead letters", values(f -> (double) f.deadLetters()))));
        Path markdown = dir.resolve("report.md");
        Files.writeString(markdown, markdown(), StandardCharsets.UTF_8);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).findAndRegisterModules()
                .writeValue(dir.resolve("report.json").toFile(), json());
        return markdown;
    }

    private List<Double> values(Function<DeviceFigures, Double> value) {
        List<Double> values = new ArrayList<>();
        figures.forEach(f -> values.add(value.apply(f)));
        return values;
    }

    /** Frames over the time from the first frame sent to the moment the type had predicted every frame. */
    Double framesPerSecond(DeviceFigures f) {
        Duration time = progress.caughtUp().get(f.deviceType());
        return time == null || time.isZero() ? null : f.frames() / (time.toMillis() / 1000.0);
    }

    private static Double millis(Long micros) {
        return micros == null ? null : micros / 1000.0;
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Edge inference comparison, run ").append(runId).append("\n\n");
        md.append("Started ").append(started).append("; ").append(progress.framesSent()).append(" CIFAR-10 test frames sent. ");
        md.append("Every figure below was read from the analytics query API (").append(api)
                .append(") over the run's window of the long view; n is the number of frames a figure rests on.\n\n");
        md.append("Reference device type for agreement: `").append(reference).append("`.\n\n");
        if (!progress.complete()) {
            md.append("**Incomplete run:** not every device type predicted every frame sent; see the frame counts.\n\n");
        }
        md.append("| device type | frames | accuracy (n) | vs reference accuracy | top-1 differs from reference (n) "
                + "| inference p50 / p99 (n) | end-to-end p50 / p99 (n) | latency bound (verdict) | frames/s | dead letters |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
        Double referenceAccuracy = figures.stream().filter(f -> f.deviceType().equals(reference)).findFirst()
                .map(DeviceFigures::accuracy).orElse(null);
        for (DeviceFigures f : figures) {
            md.append("| `").append(f.deviceType()).append("` | ").append(f.frames())
                    .append(" | ").append(LiveTable.percent(f.accuracy())).append(" (").append(f.withTruth()).append(')')
                    .append(" | ").append(delta(f.accuracy(), referenceAccuracy))
                    .append(" | ")
                    .append(f.deviceType().equals(reference) ? "reference"
                            : LiveTable.percent(f.disagreement()) + " (" + f.compared() + ")")
                    .append(" | ").append(LiveTable.millis(f.inference().p50())).append(" / ").append(LiveTable.millis(f.inference().p99()))
                    .append(" (").append(f.inference().samples()).append(')')
                    .append(" | ").append(LiveTable.millis(f.endToEnd().p50())).append(" / ").append(LiveTable.millis(f.endToEnd().p99()))
                    .append(" (").append(f.endToEnd().samples()).append(')')
                    .append(" | ").append(f.latencyBound() == null ? "-" : f.latencyBound().text())
                    .append(" | ").append(framesPerSecond(f) == null ? "-" : String.format(Locale.ROOT, "%.1f", framesPerSecond(f)))
                    .append(" | ").append(f.deadLetters()).append(" |\n");
        }
        md.append("\nA percentile shows `n/a` when its samples do not support it (the analytics' rule: at least 10 samples at or "
                + "beyond it, so p99 needs 1,000 and p99.9 needs 10,000). The latency bound is the device type's end-to-end bound "
                + "(analytics `--latency-bound`, default p99 <= 100 ms): VALID when the percentile is supported and within it, "
                + "INVALID when above it, INSUFFICIENT_SAMPLES while the run's frames do not support the percentile.\n\n");
        for (String chart : List.of("accuracy", "disagreement", "latency-inference", "latency-end-to-end", "throughput", "dead-letters")) {
            md.append("![").append(chart).append("](").append(chart).append(".png)\n\n");
        }
        md.append("## The run\n\n");
        md.append("- Time from the command to the first prediction: ")
                .append(progress.timeToFirstPrediction() == null ? "none" : String.format(Locale.ROOT, "%.1f s",
                        progress.timeToFirstPrediction().toMillis() / 1000.0))
                .append('\n');
        long total = memoryBytes.values().stream().mapToLong(Long::longValue).sum();
        md.append(String.format(Locale.ROOT, "- Resident memory of the whole demo at the end of the stream: %.0f MB%n", total / 1e6));
        memoryBytes.forEach((name, bytes) -> md.append(String.format(Locale.ROOT, "  - %s: %.0f MB%n", name, bytes / 1e6)));
        return md.toString();
    }

    private static String delta(Double accuracy, Double reference) {
        if (accuracy == null || reference == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%+.2f points", (accuracy - reference) * 100);
    }

    private Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runId", runId);
        json.put("framesSent", progress.framesSent());
        json.put("complete", progress.complete());
        json.put("reference", reference);
        json.put("timeToFirstPredictionMillis",
                progress.timeToFirstPrediction() == null ? null : progress.timeToFirstPrediction().toMillis());
        json.put("memoryBytes", memoryBytes);
        List<Map<String, Object>> devices = new ArrayList<>();
        for (DeviceFigures f : figures) {
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("deviceType", f.deviceType());
            device.put("frames", f.frames());
            device.put("framesWithGroundTruth", f.withTruth());
            device.put("accuracy", f.accuracy());
            device.put("deadLetters", f.deadLetters());
            device.put("comparedWithReference", f.compared());
            device.put("disagreement", f.disagreement());
            device.put("inferenceMicros", f.inference());
            device.put("endToEndMicros", f.endToEnd());
            device.put("latencyBound", f.latencyBound());
            device.put("framesPerSecond", framesPerSecond(f));
            devices.add(device);
        }
        json.put("deviceTypes", devices);
        return json;
    }
}
