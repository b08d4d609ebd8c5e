import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edgeinfer.analytics.agreement.FrameVotes;
import dev.edgeinfer.analytics.serde.AnalyticsSerdes;
import dev.edgeinfer.analytics.stats.Observation;
import dev.edgeinfer.analytics.stats.ObservationKind;
import dev.edgeinfer.analytics.stats.SliceStats;
import dev.edgeinfer.testsupport.process.Machine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Stored bytes of one statistics slice by the number of predictions in it, for the sizing table: each prediction with a
 * class of 10 and its ground truth, inference and on-device times log-normal around 2 ms (p99 about 8 ms), end-to-end
 * around 30 ms (p99 about 150 ms), as a fleet's are. A key's slice in one task holds the predictions of that task's
 * partitions, so a device at {@code r} predictions per second over {@code p} partitions puts about
 * {@code r * advance / p} predictions in each: 33 in a 10 s slice and 200 in a 1 min slice for a device at 10 predictions
 * per second over 3 partitions. Also the stored key and value bytes of one frame's votes in the agreement join, from
 * the five device types of the demo. Options: {@code --out FILE}.
 */
public final class SliceSizes {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchProcesses.options(args);
        Path out = Path.of(options.getOrDefault("out", "bench/analytics/target/slice-sizes.json"));
        Random random = new Random(5);
        Map<String, Object> bytes = new LinkedHashMap<>();
        for (int predictions : List.of(1, 10, 30, 33, 100, 200, 300, 1_000, 3_000, 10_000, 100_000)) {
            SliceStats slice = new SliceStats();
            for (int i = 0; i < predictions; i++) {
                int truth = random.nextInt(10);
                int predicted = random.nextDouble() < 0.92 ? truth : random.nextInt(10);
                long inference = logNormalMicros(random, 2_000, 0.6);
                slice.add(new Observation(ObservationKind.PREDICTION, predicted, "class-" + predicted, truth,
                        inference, inference + logNormalMicros(random, 200, 0.5), logNormalMicros(random, 30_000, 0.7)));
            }
            bytes.put(Integer.toString(predictions), AnalyticsSerdes.sliceStats().toBytes(slice).length);
        }
        FrameVotes votes = new FrameVotes(1_764_400_000_000L, Map.of());
        List<String> deviceTypes = List.of("onnxruntime-cpu-fp32", "onnxruntime-cpu-int8", "openvino-cpu-fp32",
                "openvino-cpu-fp16", "openvino-cpu-int8");
        for (int i = 0; i < deviceTypes.size(); i++) {
            votes = votes.with(deviceTypes.get(i), random.nextInt(10));
        }
        String frameId = "cifar-10/test/1234/5678901";
        int frameVoteBytes = frameId.getBytes(StandardCharsets.UTF_8).length
                + AnalyticsSerdes.frameVotes().serializer().serialize("", votes).length;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bench", "analytics-slice-sizes");
        result.put("date", Instant.now().toString());
        result.put("cpu", Machine.cpuModel());
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("command", ("bench/analytics/slice-sizes.sh " + String.join(" ", args)).trim());
        result.put("bytesBySlicePredictions", bytes);
        result.put("frameVoteKeyAndValueBytes", frameVoteBytes);
        result.put("frameVoteDeviceTypes", deviceTypes.size());
        Files.createDirectories(out.toAbsolutePath().getParent());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(out.toFile(), result);
        System.out.println(json.writeValueAsString(result));
    }

    private static long logNormalMicros(Random random, double medianMicros, double sigma) {
        return Math.round(medianMicros * Math.exp(sigma * random.nextGaussian()));
    }
}
