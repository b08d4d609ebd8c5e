package dev.edgeinfer.openvino;

import java.util.List;

/**
 * What a model input or output looks like, copied out of the native port (which is freed at once).
 *
 * @param name  the port's tensor name
 * @param elementType its element type
 * @param shape its dimensions, {@code -1} where a dimension is dynamic (e.g. the batch)
 */
public record PortDescription(String name, ElementType elementType, List<Long> shape) {
    public PortDescription {
        shape = List.copyOf(shape);
    }

    /** @return whether any dimension is dynamic */
    public boolean isDynamic() {
        return shape.contains(-1L);
    }
}
