package dev.edgeinfer.producer.source;

import dev.edgeinfer.avro.PixelEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A PNG or JPEG file to publish as it is. The file is decoded once before it is sent, so a truncated or corrupt
 * image, or one of the wrong size, is caught here and never reaches the topic.
 *
 * @param path        where to read it
 * @param name        the name frames carry: relative to the folder or as written in the list
 * @param groundTruth class index, or null when unknown
 * @param problem     why this entry cannot be published although its file was never opened (e.g. an unknown
 *                    label in a list), or null
 */
public record ImageFile(Path path, String name, Integer groundTruth, String problem) {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG_MAGIC = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

    /**
     * Reads, identifies and decodes the file.
     *
     * @throws BadImageException if the entry has a problem, the file is unreadable, is neither PNG nor JPEG, does not
     *                           decode, is not RGB, or is not of {@code expected} size; the message names the file
     */
    public SourceImage read(ImageSize expected) throws BadImageException {
        if (problem != null) {
            throw new BadImageException(name, problem);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new BadImageException(name, "cannot read the file: " + e, e);
        }
        PixelEncoding encoding = encodingOf(bytes);
        if (encoding == null) {
            throw new BadImageException(name, "neither a PNG nor a JPEG file (" + bytes.length + " bytes)");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new BadImageException(name, "the " + encoding + " data does not decode: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new BadImageException(name, "the " + encoding + " data does not decode");
        }
        int channels = image.getColorModel().getNumColorComponents();
        if (channels != 3) {
            throw new BadImageException(name, "has " + channels + " colour channel(s); frames are RGB (3)");
        }
        if (!expected.accepts(image.getWidth(), image.getHeight())) {
            throw new BadImageException(name, "is " + image.getWidth() + "x" + image.getHeight() + " pixels; expected "
                    + expected + " (see --image-size)");
        }
        return new SourceImage(null, null, name, image.getWidth(), image.getHeight(), channels, encoding, bytes,
                groundTruth, groundTruth == null ? null : Cifar10Labels.LABEL_SET);
    }

    /** PNG or JPEG by the file's magic bytes, whatever its name says; null for anything else. */
    static PixelEncoding encodingOf(byte[] bytes) {
        if (startsWith(bytes, PNG_MAGIC)) {
            return PixelEncoding.PNG;
        }
        if (startsWith(bytes, JPEG_MAGIC)) {
            return PixelEncoding.JPEG;
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
