package dev.edgeinfer.producer.fleet;

import dev.edgeinfer.avro.Precision;
import java.util.Objects;

/**
 * One kind of edge device, as its predictions and heartbeats describe it: the engine, the accelerator and the model
 * artifact it runs, on what kind of host. The analytics group by {@link #name()}.
 *
 * @param name                the device type, e.g. {@code openvino-cpu-int8} (the edge consumer's default is
 *                            {@code <engine>-<accelerator>-<precision>} in lower case)
 * @param engine              inference engine: {@code openvino} or {@code onnxruntime}
 * @param accelerator         runtime device: an OpenVINO device ({@code CPU}, {@code GPU}, {@code NPU}) or an ONNX
 *                            Runtime device ({@code CPU}, {@code CUDA})
 * @param acceleratorFullName the runtime's full name of it (OpenVINO's {@code FULL_DEVICE_NAME}, or the ONNX Runtime
 *                            execution provider)
 * @param precision           precision of the model artifact
 * @param artifactId          the artifact's id in {@code models/manifest.json}
 * @param artifactSha256      the artifact's SHA-256 in the manifest
 * @param hostOs              the hosts' operating system name and version
 * @param hostArch            the hosts' CPU architecture
 * @param hostCpuCores        processors of each host
 * @param typicalInference    inference latency of one frame, used unless the command line gives another
 */
public record DeviceType(String name, String engine, String accelerator, String acceleratorFullName, Precision precision,
                         String artifactId, String artifactSha256, String hostOs, String hostArch, int hostCpuCores,
                         LatencyDistribution typicalInference) {

    /** @throws IllegalArgumentException if the name is blank or has a comma or '=', or the hosts have no core */
    public DeviceType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(acceleratorFullName, "acceleratorFullName");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(artifactSha256, "artifactSha256");
        Objects.requireNonNull(hostOs, "hostOs");
        Objects.requireNonNull(hostArch, "hostArch");
        Objects.requireNonNull(typicalInference, "typicalInference");
        if (name.isBlank() || !name.equals(name.strip()) || name.contains(",") || name.contains("=")) {
            throw new IllegalArgumentException("a device type name must be non-blank, without surrounding spaces, "
                    + "commas or '=': '" + name + "'");
        }
        if (hostCpuCores < 1) {
            throw new IllegalArgumentException("device type " + name + ": hosts need at least one core: " + hostCpuCores);
        }
    }

    /** The same kind of device under another name. */
    public DeviceType withName(String newName) {
        return new DeviceType(newName, engine, accelerator, acceleratorFullName, precision, artifactId, artifactSha256,
                hostOs, hostArch, hostCpuCores, typicalInference);
    }
}
