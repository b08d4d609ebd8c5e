package dev.edgeinfer.schemas.manifest;

import java.util.List;

/**
 * The output every artifact of the model gives: one row of class scores per image.
 *
 * @param name        the output name
 * @param elementType {@code f32}
 * @param shape       {@code [-1, classes]}
 * @param kind        {@code logits} (the engine applies softmax) or {@code probabilities}
 */
public record OutputContract(String name, ElementType elementType, List<Integer> shape, OutputKind kind) {
    public OutputContract {
        shape = shape == null ? List.of() : List.copyOf(shape);
    }

    /** @return whether the output still needs a softmax */
    public boolean isLogits() {
        return kind == OutputKind.LOGITS;
    }
}
