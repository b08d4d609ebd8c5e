package dev.edgeinfer.demo.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The sweep's part of the demo report: a chart ({@code latency-vs-load.png}), a table, and {@code latency-vs-load.json}. */
public final class SweepReport {

    static final String CHART = "latency-vs-load";

    private final LoadSweep.Result result;

    public SweepReport(LoadSweep.Result result) {
        this.result = result;
    }

    /** Writes the chart and the JSON into {@code dir}; returns the Markdown section that shows them. */
    public String write(Path dir) throws IOException {
        List<String> categories = result.points().stream().map(point -> point.load().label()).toList();
        List<LineChart.Series> series = new ArrayList<>();
        List<String> types = result.deviceTypes();
        for (int t = 0; t < types.size(); t++) {
            String type = types.get(t);
            series.add(new LineChart.Series(type + " p99", t, false, values(type, LoadSweep.DevicePoint::endToEndP99)));
            series.add(new LineChart.Series(type + " p50", t, true, values(type, LoadSweep.DevicePoint::endToEndP50)));
        }
        LineChart.write(dir.resolve(CHART + ".png"), "End-to-end latency against offered load (frame append to prediction append)",
                "offered load, frames per second (" + result.arrivals() + " arrivals; max: as fast as the producer goes)", "ms",
                categories, series);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).findAndRegisterModules()
                .writeValue(dir.resolve(CHART + ".json").toFile(), json());
        return markdown();
    }

    private List<Double> values(String type, java.util.function.Function<LoadSweep.DevicePoint, Double> value) {
        List<Double> values = new ArrayList<>();
        for (LoadSweep.Point point : result.points()) {
            LoadSweep.DevicePoint device = point.deviceTypes().get(type);
            values.add(device == null ? null : value.apply(device));
        }
        return values;
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("## Latency against offered load\n\n");
        md.append("Each load's frames were sent after every device type had predicted the load before it; its predictions were read"
                + " by a `read_committed` subscriber. End to end: frame append to prediction append (broker clock); receipt: frame"
                + " append to the subscriber's receipt (this host's clock); milliseconds, `n/a` where the samples do not support the"
                + " percentile; fetch: frame append to the device's receipt, wait: on the device before its batch started, write: the"
                + " device's hand-off to the prediction's append (fetch and write compare the device's clock with the broker's; with adaptive"
                + " batching a frame that arrives while the engine is busy waits in the socket, so that wait shows as fetch). The knee is the highest paced load a device type sustained (at least 95% of it predicted) with p99"
                + " end to end within ").append(LoadSweep.text(result.boundMillis())).append(" ms.\n\n");
        md.append("![").append(CHART).append("](").append(CHART).append(".png)\n\n");
        md.append(
                "| device type | load (frames/s) | predicted/s | mean batch | end-to-end p50 / p99 | receipt p50 / p99 | inference p50 / p99 "
                        + "| p50 fetch / wait / on device / write |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String type : result.deviceTypes()) {
            for (LoadSweep.Point point : result.points()) {
                LoadSweep.DevicePoint d = point.deviceTypes().get(type);
                if (d == null) {
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %.1f | %s / %s | %s / %s | %s / %s | %s / %s / %s / %s |%n", type,
                        point.load().label(), d.framesPerSecond() == null ? "-" : String.format(Locale.ROOT, "%.1f", d.framesPerSecond()),
                        d.meanBatch(), LoadSweep.text(d.endToEndP50()), LoadSweep.text(d.endToEndP99()),
                        LoadSweep.text(d.receiptP50()), LoadSweep.text(d.receiptP99()), LoadSweep.text(d.inferenceP50()),
                        LoadSweep.text(d.inferenceP99()), LoadSweep.text(d.fetchP50()), LoadSweep.text(d.queueP50()),
                        LoadSweep.text(d.onDeviceP50()), LoadSweep.text(d.writeP50())));
            }
        }
        md.append('\n');
        md.append("One Kafka hop on this broker and machine (frame append to a bare `read_committed` reader's receipt), p50 / p99 ms: ");
        md.append(String.join(", ", result.points().stream().map(point -> point.load().label() + ": "
                + LoadSweep.text(point.kafkaHopP50()) + " / " + LoadSweep.text(point.kafkaHopP99())).toList()));
        md.append(". End to end holds two hops (the frame's fetch, the prediction's write) besides the device's work.\n\n");
        for (String type : result.deviceTypes()) {
            LoadSweep.Load knee = result.knee(type);
            md.append("- Knee of `").append(type).append("`: ").append(knee == null ? "none of the paced loads"
                    : knee.label() + " frames/s").append('\n');
        }
        md.append('\n');
        return md.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("arrivals", result.arrivals());
        json.put("boundMillis", result.boundMillis());
        List<Map<String, Object>> points = new ArrayList<>();
        for (LoadSweep.Point point : result.points()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("load", point.load().label());
            p.put("offeredFps", point.load().fps());
            p.put("sent", point.sent());
            p.put("sentPerSecond", point.offeredPerSecond());
            p.put("kafkaHopP50", point.kafkaHopP50());
            p.put("kafkaHopP99", point.kafkaHopP99());
            p.put("deviceTypes", point.deviceTypes());
            points.add(p);
        }
        json.put("points", points);
        Map<String, Object> knees = new LinkedHashMap<>();
        result.deviceTypes().forEach(type -> {
            LoadSweep.Load knee = result.knee(type);
            knees.put(type, knee == null ? null : knee.fps());
        });
        json.put("knees", knees);
        return json;
    }
}
