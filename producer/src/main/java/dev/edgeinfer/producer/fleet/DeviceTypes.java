package dev.edgeinfer.producer.fleet;

import dev.edgeinfer.avro.Precision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The device types a simulated fleet is made of: realistic engine, accelerator and precision combinations of the
 * project's model, with the artifacts of {@code models/manifest.json} and plausible hosts and latencies.
 */
public final class DeviceTypes {

    /** The model every simulated device runs, as {@code models/manifest.json} names it. */
    public static final String MODEL_NAME = "cifar10-resnet9q";
    /** Its version in the manifest. */
    public static final String MODEL_VERSION = "1.0.0";

    private static final String X86_LINUX = "Linux 6.8.0-45-generic";
    private static final String PI_LINUX = "Linux 6.6.51+rpt-rpi-2712";
    private static final String JETSON_LINUX = "Linux 5.15.148-tegra";
    private static final String XEON = "Intel(R) Core(TM) i5-1145G7E @ 2.60GHz";
    // The artifacts' SHA-256 in models/manifest.json; a simulated device opens no file, so this is what a real one
    // running the artifact would report.
    private static final String OPENVINO_FP32 = "31f6b3cff2b40229f59281de4a5c1ccdc7eb28716390a9197bf592ac47aaa08c";
    private static final String OPENVINO_FP16 = "3c4ded0bf2fc145dad6d81f0c475d37e88d1491362ebade6f85d71517bb12982";
    private static final String OPENVINO_INT8 = "ae4f58608e9991d167c9dbf24ef8a063dd9d58606349d4f5bbf26a2d5ee6be0e";
    private static final String ONNX_FP32 = "c783f5196cdcd45af2acef9a3ae6e125a7646da2e31735e450511ac2606f8f8c";
    private static final String ONNX_INT8 = "0d77d04f3ae0360c3d297707d6bf12858dbdadec6758441f3ad00ed4fa541d72";

    /**
     * The catalog, in the order {@link #generated} takes it. The first is the analytics' default reference type;
     * latencies of the CPU types follow the manifest's batch-1 measurements, the others are plausible guesses.
     */
    private static final List<DeviceType> CATALOG = List.of(
            type("openvino", "CPU", XEON, Precision.FP32, "openvino-fp32", OPENVINO_FP32, X86_LINUX, "amd64", 4, 0.95, 2.6),
            type("openvino", "CPU", XEON, Precision.INT8, "openvino-int8", OPENVINO_INT8, X86_LINUX, "amd64", 4, 0.46, 1.3),
            type("onnxruntime", "CPU", "CPUExecutionProvider", Precision.FP32, "onnx-fp32", ONNX_FP32,
                    PI_LINUX, "aarch64", 4, 2.4, 6.5),
            type("onnxruntime", "CPU", "CPUExecutionProvider", Precision.INT8, "onnx-int8", ONNX_INT8,
                    PI_LINUX, "aarch64", 4, 1.4, 4.0),
            type("openvino", "CPU", XEON, Precision.FP16, "openvino-fp16", OPENVINO_FP16, X86_LINUX, "amd64", 4, 0.81, 2.2),
            type("openvino", "GPU", "Intel(R) Iris(R) Xe Graphics (iGPU)", Precision.FP16, "openvino-fp16", OPENVINO_FP16,
                    X86_LINUX, "amd64", 4, 1.2, 3.5),
            type("openvino", "NPU", "Intel(R) AI Boost", Precision.INT8, "openvino-int8", OPENVINO_INT8,
                    X86_LINUX, "amd64", 8, 0.7, 1.6),
            type("onnxruntime", "CUDA", "CUDAExecutionProvider", Precision.FP32, "onnx-fp32", ONNX_FP32,
                    JETSON_LINUX, "aarch64", 6, 0.35, 1.0),
            type("openvino", "GPU", "Intel(R) Iris(R) Xe Graphics (iGPU)", Precision.FP32, "openvino-fp32", OPENVINO_FP32,
                    X86_LINUX, "amd64", 4, 1.6, 4.5),
            type("openvino", "GPU", "Intel(R) Iris(R) Xe Graphics (iGPU)", Precision.INT8, "openvino-int8", OPENVINO_INT8,
                    X86_LINUX, "amd64", 4, 0.9, 2.5));

    private DeviceTypes() {
    }

    /** Every type of the catalog, in order. */
    public static List<DeviceType> catalog() {
        return CATALOG;
    }

    /**
     * The first {@code count} types of the catalog; past its end the catalog starts over with a generation suffix
     * ({@code openvino-cpu-fp32-2}, ...), as a fleet with several hardware generations of one type would be named.
     *
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public static List<DeviceType> generated(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a fleet needs at least one device type: " + count);
        }
        List<DeviceType> types = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            DeviceType base = CATALOG.get(i % CATALOG.size());
            types.add(i < CATALOG.size() ? base : base.withName(base.name() + "-" + (i / CATALOG.size() + 1)));
        }
        return types;
    }

    /**
     * The type of that name: a catalog type, or one whose name contains a catalog type's (such as
     * {@code rpi5-onnxruntime-cpu-int8}), which is that type under the given name. Any other name is an OpenVINO CPU
     * device whose precision is read from the name ({@code fp32}, {@code fp16}, {@code bf16} or {@code int8}; UNKNOWN
     * when it has none).
     *
     * @throws IllegalArgumentException if the name is not a valid device type name
     */
    public static DeviceType named(String name) {
        Optional<DeviceType> known = CATALOG.stream()
                .filter(type -> name.equals(type.name()) || name.contains(type.name()))
                .max(Comparator.comparingInt(type -> type.name().length()));
        if (known.isPresent()) {
            return known.get().withName(name);
        }
        Precision precision = precisionIn(name);
        DeviceType like = CATALOG.stream().filter(type -> type.precision() == precision).findFirst().orElse(CATALOG.get(0));
        return new DeviceType(name, "openvino", "CPU", XEON, precision,
                precision == Precision.UNKNOWN ? "simulated" : like.artifactId(),
                precision == Precision.UNKNOWN ? "0".repeat(64) : like.artifactSha256(), X86_LINUX, "amd64", 4,
                like.typicalInference());
    }

    private static Precision precisionIn(String name) {
        for (String token : name.toLowerCase(Locale.ROOT).split("[-_.]")) {
            for (Precision precision : Precision.values()) {
                if (precision != Precision.UNKNOWN && precision.name().toLowerCase(Locale.ROOT).equals(token)) {
                    return precision;
                }
            }
        }
        return Precision.UNKNOWN;
    }

    private static DeviceType type(String engine, String accelerator, String fullName, Precision precision, String artifact,
                                   String sha256, String os, String arch, int cores, double medianMs, double p99Ms) {
        // The edge consumer's default device type: <engine>-<device>-<precision>, in lower case.
        String name = (engine + "-" + accelerator + "-" + precision).toLowerCase(Locale.ROOT);
        return new DeviceType(name, engine, accelerator, fullName, precision, artifact, sha256, os, arch, cores,
                LatencyDistribution.ofMillis(medianMs, p99Ms));
    }
}
