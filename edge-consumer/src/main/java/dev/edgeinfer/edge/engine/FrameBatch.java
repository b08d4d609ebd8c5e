package dev.edgeinfer.edge.engine;

import java.nio.ByteBuffer;

/**
 * Frames to classify together: {@code count} images of {@code height x width} RGB pixels, one byte per channel,
 * interleaved (HWC), one image after the other in one buffer. A direct buffer lets the engines copy with one
 * native memcpy.
 */
public final class FrameBatch {
    /** Colour channels per pixel: R, G, B. */
    public static final int CHANNELS = 3;

    private final ByteBuffer pixels;
    private final int count;
    private final int height;
    private final int width;

    private FrameBatch(ByteBuffer pixels, int count, int height, int width) {
        this.pixels = pixels;
        this.count = count;
        this.height = height;
        this.width = width;
    }

    /**
     * @param pixels the images, from position to limit; not copied, so keep it unchanged until the engine has
     *               taken the batch
     * @param count  images in the buffer
     * @param height image height
     * @param width  image width
     * @return the batch
     * @throws IllegalArgumentException if the buffer does not hold exactly {@code count} images
     */
    public static FrameBatch of(ByteBuffer pixels, int count, int height, int width) {
        if (count < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("a batch needs at least one frame of at least one pixel");
        }
        long expected = (long) count * height * width * CHANNELS;
        if (pixels.remaining() != expected) {
            throw new IllegalArgumentException(count + " frames of " + height + "x" + width + "x" + CHANNELS
                    + " need " + expected + " bytes, the buffer has " + pixels.remaining());
        }
        return new FrameBatch(pixels.slice(), count, height, width);
    }

    /**
     * @param count  images
     * @param height image height
     * @param width  image width
     * @return a batch over a new zeroed direct buffer, to be filled through {@link #pixels()}
     */
    public static FrameBatch allocate(int count, int height, int width) {
        return of(ByteBuffer.allocateDirect(count * height * width * CHANNELS), count, height, width);
    }

    /** @return a view of the pixels, position 0, limit the batch's byte size; writes go to the batch */
    public ByteBuffer pixels() {
        return pixels.duplicate();
    }

    /** @return images in the batch */
    public int count() {
        return count;
    }

    /** @return image height in pixels */
    public int height() {
        return height;
    }

    /** @return image width in pixels */
    public int width() {
        return width;
    }

    /** @return bytes per image */
    public int frameBytes() {
        return height * width * CHANNELS;
    }
}
