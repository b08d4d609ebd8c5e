package dev.edgeinfer.schemas.manifest;

import java.util.List;

/**
 * The input every artifact of the model takes: one batch of images.
 *
 * @param name          the model's input name
 * @param elementType   {@code u8} or {@code f32}
 * @param layout        {@code NHWC} or {@code NCHW}
 * @param shape         dimensions in layout order, {@code -1} for the dynamic batch
 * @param colorOrder    {@code RGB}
 * @param normalization how pixels become model values, and whether the graph does it itself
 */
public record InputContract(String name, ElementType elementType, Layout layout, List<Integer> shape,
                            ColorOrder colorOrder, Normalization normalization) {
    public InputContract {
        shape = shape == null ? List.of() : List.copyOf(shape);
    }

    /** @return image height in pixels */
    public int height() {
        return shape.get(layout.axis('H'));
    }

    /** @return image width in pixels */
    public int width() {
        return shape.get(layout.axis('W'));
    }

    /** @return colour channels */
    public int channels() {
        return shape.get(layout.axis('C'));
    }

    /** @return whether the model takes raw u8 NHWC pixels and normalizes them itself, as frames arrive */
    public boolean takesFramesAsIs() {
        return elementType == ElementType.U8 && layout == Layout.NHWC && Boolean.TRUE.equals(normalization.insideGraph());
    }
}
