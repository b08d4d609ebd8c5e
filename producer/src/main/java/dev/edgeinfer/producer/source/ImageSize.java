package dev.edgeinfer.producer.source;

import java.util.Locale;

/**
 * The width and height every file image must have, or {@link #ANY} to accept any size.
 *
 * @param width  pixels, 0 for any
 * @param height pixels, 0 for any
 */
public record ImageSize(int width, int height) {

    /** Accept every size. */
    public static final ImageSize ANY = new ImageSize(0, 0);
    /** The size of CIFAR-10 images, which the pipeline's models take. */
    public static final ImageSize CIFAR10 = new ImageSize(Cifar10Source.SIDE, Cifar10Source.SIDE);

    /**
     * Parses {@code WxH} (e.g. {@code 32x32}) or {@code any}.
     *
     * @throws IllegalArgumentException if the text is neither
     */
    public static ImageSize parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("any")) {
            return ANY;
        }
        String[] parts = value.split("x");
        if (parts.length == 2 && parts[0].matches("\\d{1,5}") && parts[1].matches("\\d{1,5}")) {
            int width = Integer.parseInt(parts[0]);
            int height = Integer.parseInt(parts[1]);
            if (width > 0 && height > 0) {
                return new ImageSize(width, height);
            }
        }
        throw new IllegalArgumentException("image size must be WIDTHxHEIGHT such as 32x32, or any: " + text);
    }

    /** Whether an image of this width and height is accepted. */
    public boolean accepts(int imageWidth, int imageHeight) {
        return this.equals(ANY) || (imageWidth == width && imageHeight == height);
    }

    @Override
    public String toString() {
        return this.equals(ANY) ? "any" : width + "x" + height;
    }
}
