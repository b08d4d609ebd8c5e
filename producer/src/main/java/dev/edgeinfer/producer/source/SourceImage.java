package dev.edgeinfer.producer.source;

import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * One image read from a source, complete and checked, ready to become a frame.
 *
 * @param dataset     data set name and split such as {@code cifar-10/test}, or null for files
 * @param index       zero-based index within the data set split, or null for files
 * @param fileName    file name relative to the folder or list given to the producer, or null for data sets
 * @param width       width in pixels
 * @param height      height in pixels
 * @param channels    colour channels of the decoded image
 * @param encoding    how {@code pixels} is encoded
 * @param pixels      raw HWC pixels, or the whole PNG or JPEG file
 * @param groundTruth index of the true class in {@code labelSet}, or null when unknown
 * @param labelSet    name of the label set, or null when {@code groundTruth} is null
 */
public record SourceImage(String dataset, Long index, String fileName, int width, int height, int channels,
                          PixelEncoding encoding, byte[] pixels, Integer groundTruth, String labelSet) {

    public SourceImage {
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(pixels, "pixels");
    }

    /** How a person finds this image again: the file name, or the data set and record index. */
    public String where() {
        return fileName != null ? fileName : dataset + " #" + index;
    }

    /** The frame that carries this image, its pixels shared, not copied. */
    public ImageFrame toFrame(String frameId, String producerId, Instant captureTime) {
        // The all-fields constructor: the builder's per-field validation costs more than the frame's other work.
        return new ImageFrame(frameId, producerId, new FrameSource(dataset, index, fileName), captureTime,
                width, height, channels, encoding, ByteBuffer.wrap(pixels), groundTruth, labelSet);
    }
}
