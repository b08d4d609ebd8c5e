package dev.edgeinfer.schemas.manifest;

import java.util.List;

/**
 * How pixels become model values: {@code value = (pixel / scale - mean[c]) / std[c]}.
 *
 * @param scale       pixel divisor, 255
 * @param mean        per channel, in colour order
 * @param std         per channel, in colour order
 * @param insideGraph whether the model does this itself; {@code null} only in a manifest that fails validation
 */
public record Normalization(double scale, List<Double> mean, List<Double> std, Boolean insideGraph) {
    public Normalization {
        mean = mean == null ? List.of() : List.copyOf(mean);
        std = std == null ? List.of() : List.copyOf(std);
    }
}
