package dev.edgeinfer.schemas.manifest;

/** The order of an image input's dimensions: batch, then height, width and channels in some order. */
public enum Layout implements ManifestValue.UpperCase {
    /** Channels last, as frames arrive. */
    NHWC,
    /** Channels first (planar). */
    NCHW;

    /**
     * @param dimension {@code N}, {@code H}, {@code W} or {@code C}
     * @return its index in a shape of this layout
     * @throws IllegalArgumentException for any other letter
     */
    public int axis(char dimension) {
        int axis = name().indexOf(dimension);
        if (axis < 0) {
            throw new IllegalArgumentException("layout " + name() + " has no dimension " + dimension);
        }
        return axis;
    }
}
