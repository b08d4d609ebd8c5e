package dev.edgeinfer.litert;

import java.util.Set;

/**
 * An accelerator an environment registered, e.g. {@code CpuAccelerator} (XNNPACK) or {@code GPU WebGPU}.
 *
 * @param name     the accelerator's own name
 * @param hardware the hardware it runs models on
 */
public record Accelerator(String name, Set<HardwareAccelerator> hardware) {
    public Accelerator {
        hardware = Set.copyOf(hardware);
    }
}
