package dev.edgeinfer.litert;

import java.util.EnumSet;
import java.util.Set;

/** {@code LiteRtHwAccelerators}: the kinds of hardware a compiled model may run on, one bit each. */
public enum HardwareAccelerator {
    /** The CPU, through XNNPACK. */
    CPU(1),
    /** A GPU, through a GPU accelerator library that the environment registered. */
    GPU(1 << 1),
    /** An NPU, through a vendor dispatch library that the environment registered. */
    NPU(1 << 2);

    private final int bit;

    HardwareAccelerator(int bit) {
        this.bit = bit;
    }

    /** @return this accelerator's bit in {@code LiteRtHwAcceleratorSet} */
    public int bit() {
        return bit;
    }

    /** @return the {@code LiteRtHwAcceleratorSet} bitmask of {@code accelerators} */
    static int mask(Set<HardwareAccelerator> accelerators) {
        int mask = 0;
        for (HardwareAccelerator accelerator : accelerators) {
            mask |= accelerator.bit;
        }
        return mask;
    }

    /** @return the accelerators whose bits {@code mask} has */
    static Set<HardwareAccelerator> fromMask(int mask) {
        Set<HardwareAccelerator> set = EnumSet.noneOf(HardwareAccelerator.class);
        for (HardwareAccelerator accelerator : values()) {
            if ((mask & accelerator.bit) != 0) {
                set.add(accelerator);
            }
        }
        return set;
    }
}
