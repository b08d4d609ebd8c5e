import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edgeinfer.avro.Accelerator;
import dev.edgeinfer.avro.ClassScore;
import dev.edgeinfer.avro.DeviceTimings;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.Precision;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.edge.consumer.DeviceRecordSerializer;
import dev.edgeinfer.schemas.registry.CachingSchemaRegistryClient;
import dev.edgeinfer.schemas.registry.InMemorySchemaRegistryClient;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What writing one prediction costs the edge consumer's loop thread: the Confluent-wire Avro serializer alone against
 * the consumer's {@code DeviceRecordSerializer} (encoded-once device fields and class names), on the same predictions,
 * alternating rounds in one run. Prints nanoseconds per prediction of each and their ratio; checks that both wrote the
 * same bytes. Writes the figures as JSON for {@code bench/results.py} (bench "edge-prediction-encoding").
 *
 * <p>Run through {@code bench/edge/prediction-encoding.sh [--predictions 200000] [--rounds 10] [--out FILE]}.
 */
public final class PredictionEncoding {

    private static final String TOPIC = "edge.predictions.v1";
    private static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    public static void main(String[] args) throws IOException {
        double loadAtStart = loadAverage();
        Path out = Path.of(option(args, "--out", "bench/edge/target/prediction-encoding.json"));
        int count = Integer.parseInt(option(args, "--predictions", "200000"));
        int rounds = Integer.parseInt(option(args, "--rounds", "10"));
        List<Prediction> predictions = predictions(count);
        // The in-memory registry behind the caching client the apps put in front of a real registry.
        var registry = new CachingSchemaRegistryClient(InMemorySchemaRegistryClient.forScope("prediction-encoding"));
        Serializer<SpecificRecord> avro = new AvroSerializer<>(registry, Map.of(), false);
        Serializer<SpecificRecord> device = new DeviceRecordSerializer(new AvroSerializer<>(registry, Map.of(), false));
        for (Prediction p : predictions.subList(0, 1_000)) {
            if (!Arrays.equals(avro.serialize(TOPIC, p), device.serialize(TOPIC, p))) {
                throw new IllegalStateException("the two serializers wrote different bytes for " + p);
            }
        }
        long[] avroNanos = new long[rounds];
        long[] deviceNanos = new long[rounds];
        long bytes = 0;
        for (int round = 0; round < rounds; round++) {
            avroNanos[round] = time(avro, predictions);
            deviceNanos[round] = time(device, predictions);
        }
        for (Prediction p : predictions) {
            bytes += device.serialize(TOPIC, p).length;
        }
        // The first rounds warm the JIT up; the best of the second half is each side's steady cost.
        double avroBest = best(avroNanos) / (double) count;
        double deviceBest = best(deviceNanos) / (double) count;
        System.out.printf(Locale.ROOT, "predictions:           %d per round, %d rounds each, %.0f bytes each on average%n",
                count, rounds, bytes / (double) count);
        System.out.printf(Locale.ROOT, "AvroSerializer:        %.0f ns per prediction (best round of the second half)%n", avroBest);
        System.out.printf(Locale.ROOT, "DeviceRecordSerializer: %.0f ns per prediction%n", deviceBest);
        System.out.printf(Locale.ROOT, "ratio:                 %.2fx faster (same bytes)%n", avroBest / deviceBest);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bench", "edge-prediction-encoding");
        result.put("date", Instant.now().toString());
        result.put("cpu", cpuModel());
        result.put("cores", Runtime.getRuntime().availableProcessors());
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("start", loadAtStart);
        load.put("end", loadAverage());
        result.put("loadAverage", load);
        result.put("command", ("bench/edge/prediction-encoding.sh " + String.join(" ", args)).trim());
        result.put("predictionsPerRound", count);
        result.put("rounds", rounds);
        result.put("bytesPerPrediction", bytes / (double) count);
        result.put("sameBytes", true);
        result.put("avroSerializerNanosPerPrediction", avroBest);
        result.put("deviceRecordSerializerNanosPerPrediction", deviceBest);
        result.put("ratio", avroBest / deviceBest);
        result.put("avroSerializerRoundNanos", avroNanos);
        result.put("deviceRecordSerializerRoundNanos", deviceNanos);
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
        System.out.println("JSON: " + out);
    }

    /** The 1-minute load average (Linux): other work on the machine shares its cores with the bench. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String cpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long time(Serializer<SpecificRecord> serializer, List<Prediction> predictions) {
        long sink = 0;
        long start = System.nanoTime();
        for (Prediction p : predictions) {
            sink += serializer.serialize(TOPIC, p).length;
        }
        long elapsed = System.nanoTime() - start;
        if (sink == 0) {
            throw new IllegalStateException("nothing written");
        }
        return elapsed;
    }

    private static long best(long[] nanos) {
        return Arrays.stream(nanos, nanos.length / 2, nanos.length).min().orElseThrow();
    }

    /** Predictions as one device writes them: shared device fields, top-5 of CIFAR-10's classes. */
    private static List<Prediction> predictions(int count) {
        Random random = new Random(7);
        Accelerator accelerator = new Accelerator("CPU", "Intel(R) Xeon(R) Processor");
        ModelRef model = new ModelRef("cifar10-resnet9q", "1.0.0", "openvino-int8", Precision.INT8,
                "9f2c0b7e5d1a4c3b8e6f0a1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b");
        List<Prediction> predictions = new ArrayList<>(count);
        long now = 1_764_400_000_000L;
        for (int i = 0; i < count; i++) {
            List<ClassScore> topK = new ArrayList<>(5);
            for (int k = 0; k < 5; k++) {
                int index = (i + k * 3) % CLASSES.size();
                topK.add(new ClassScore(index, CLASSES.get(index), random.nextFloat()));
            }
            predictions.add(new Prediction("cifar-10/test/" + (i % 10_000) + "/" + i, Instant.ofEpochMilli(now + i),
                    Instant.ofEpochMilli(now + i + 3), "bench-device", "bench-openvino-cpu-int8", "openvino", accelerator, model,
                    topK, topK.get(0).getClassIndex(), topK.get(0).getLabel(), i % 10,
                    new DeviceTimings((long) random.nextInt(50_000), 900L, 6_000L, 40_000L + random.nextInt(50_000)), 64,
                    Instant.ofEpochMilli(now + i + 5), Instant.ofEpochMilli(now + i + 60), null,
                    "camera-" + (i % 8)));
        }
        return predictions;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
