package dev.edgeinfer.litert;

import java.util.List;

/**
 * An input or output of a model's signature.
 *
 * @param name         the signature's name for it, e.g. {@code image}
 * @param elementType  its element type
 * @param shape        its dimensions, -1 where dynamic
 * @param quantization how its integers map to real numbers; {@link Quantization#NONE} for float tensors
 */
public record TensorDescription(String name, ElementType elementType, List<Integer> shape,
                                Quantization quantization) {
    public TensorDescription {
        shape = List.copyOf(shape);
    }

    /** @return whether every dimension is known */
    public boolean isStatic() {
        return shape.stream().allMatch(d -> d >= 0);
    }

    /** @return the number of elements, for a {@link #isStatic() static} shape */
    public long elementCount() {
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        return count;
    }
}
