package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.schemas.topics.FieldLimits;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Validates a frame and writes its pixels as the model takes them: RGB, 8 bits per channel, interleaved (HWC), at
 * the model's input size. Raw frames of the right size are copied as they are; PNG and JPEG are decoded; any other
 * size is resized with bilinear interpolation.
 */
public final class FrameDecoder {

    /** Largest accepted image side, so a forged header cannot make the decoder allocate gigabytes. */
    static final int MAX_SIDE = 8192;
    /**
     * Longest frame id, producer id, data set and label set name, in characters ({@link FieldLimits}). A frame id is the
     * key and a field of every prediction: an absurd one would make the prediction larger than its topic accepts.
     */
    public static final int MAX_ID_CHARS = FieldLimits.MAX_ID_CHARS;
    /** Longest file name of a frame's source, in characters. */
    public static final int MAX_FILE_NAME_CHARS = FieldLimits.MAX_FILE_NAME_CHARS;

    private final int height;
    private final int width;
    private final int classCount;
    private final String labelSet;

    /**
     * @param height     model input height
     * @param width      model input width
     * @param classCount number of classes of the model, to validate ground truth
     * @param labelSet   the model's label set, or null when its manifest names none (every frame's ground truth counts)
     */
    public FrameDecoder(int height, int width, int classCount, String labelSet) {
        this.height = height;
        this.width = width;
        this.classCount = classCount;
        this.labelSet = labelSet;
    }

    /**
     * @return whether the frame's ground truth is of the model's label set: it names none, or the model's, or the model
     *         names none
     */
    public boolean scoresTruthOf(ImageFrame frame) {
        return frame.getLabelSet() == null || labelSet == null || labelSet.equals(frame.getLabelSet());
    }

    /** Model input height in pixels. */
    public int height() {
        return height;
    }

    /** Model input width in pixels. */
    public int width() {
        return width;
    }

    /** Bytes one decoded frame takes. */
    public int frameBytes() {
        return height * width * 3;
    }

    /**
     * Writes the frame's pixels at the target's position and advances it by {@link #frameBytes()}.
     *
     * @throws FrameRejectedException with stage VALIDATE when the frame's fields contradict each other, DECODE when
     *                                the image bytes cannot be decoded
     */
    public void decodeInto(ImageFrame frame, ByteBuffer target) throws FrameRejectedException {
        validate(frame);
        switch (frame.getEncoding()) {
            case RAW_RGB8_HWC -> writeRaw(frame, frame.getPixels().duplicate(), target);
            case PNG, JPEG -> writeImage(decode(frame, frame.getPixels().duplicate()), target);
            default -> throw new FrameRejectedException(FailureStage.VALIDATE,
                    "unsupported pixel encoding " + frame.getEncoding() + " (a producer newer than this device?)", null);
        }
    }

    private void validate(ImageFrame frame) throws FrameRejectedException {
        if (frame.getFrameId() == null || frame.getFrameId().isBlank()) {
            throw new FrameRejectedException(FailureStage.VALIDATE, "frame id is empty", null);
        }
        checkLength("frame id", frame.getFrameId(), MAX_ID_CHARS);
        checkLength("producer id", frame.getProducerId(), MAX_ID_CHARS);
        checkLength("label set", frame.getLabelSet(), MAX_ID_CHARS);
        if (frame.getSource() != null) {
            checkLength("source data set", frame.getSource().getDataset(), MAX_ID_CHARS);
            checkLength("source file name", frame.getSource().getFileName(), MAX_FILE_NAME_CHARS);
        }
        if (frame.getWidth() < 1 || frame.getHeight() < 1 || frame.getWidth() > MAX_SIDE || frame.getHeight() > MAX_SIDE) {
            throw new FrameRejectedException(FailureStage.VALIDATE, "image size " + frame.getWidth() + "x" + frame.getHeight()
                    + " is outside 1.." + MAX_SIDE, null);
        }
        if (frame.getChannels() != 3) {
            throw new FrameRejectedException(FailureStage.VALIDATE, "expected 3 colour channels (RGB), frame says " + frame.getChannels(),
                    null);
        }
        Integer truth = frame.getGroundTruth();
        if (truth != null && scoresTruthOf(frame) && (truth < 0 || truth >= classCount)) {
            throw new FrameRejectedException(FailureStage.VALIDATE, "ground truth " + truth + " is outside the model's "
                    + classCount + " classes", null);
        }
    }

    private static void checkLength(String field, String value, int limit) throws FrameRejectedException {
        if (value != null && value.length() > limit) {
            throw new FrameRejectedException(FailureStage.VALIDATE, field + " of " + value.length()
                    + " characters exceeds the limit of " + limit + " (it begins \"" + shortened(value, 40) + "\")", null);
        }
    }

    /** The id as written in outputs: its first {@link #MAX_ID_CHARS} characters. */
    static String shortened(String id) {
        return shortened(id, MAX_ID_CHARS);
    }

    private static String shortened(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        // Never split a surrogate pair: half a character does not encode as UTF-8.
        int end = Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
        return text.substring(0, end);
    }

    private void writeRaw(ImageFrame frame, ByteBuffer pixels, ByteBuffer target) throws FrameRejectedException {
        long expected = (long) frame.getWidth() * frame.getHeight() * 3;
        if (pixels.remaining() != expected) {
            throw new FrameRejectedException(FailureStage.VALIDATE, "raw RGB8 frame of " + frame.getWidth() + "x" + frame.getHeight()
                    + " needs " + expected + " bytes, has " + pixels.remaining(), null);
        }
        if (frame.getWidth() == width && frame.getHeight() == height) {
            // The common case on the hot path: straight from the decoded record into the batch, no copy in between.
            target.put(pixels);
            return;
        }
        // Read in place, every step-th pixel of every step-th row: a 16 MB frame costs the device a few kilobytes.
        int step = subsampling(frame.getWidth(), frame.getHeight());
        int sampledWidth = (frame.getWidth() + step - 1) / step;
        int sampledHeight = (frame.getHeight() + step - 1) / step;
        BufferedImage image = new BufferedImage(sampledWidth, sampledHeight, BufferedImage.TYPE_INT_RGB);
        int base = pixels.position();
        for (int y = 0; y < sampledHeight; y++) {
            for (int x = 0; x < sampledWidth; x++) {
                int i = base + ((y * step) * frame.getWidth() + x * step) * 3;
                image.setRGB(x, y, (pixels.get(i) & 0xff) << 16 | (pixels.get(i + 1) & 0xff) << 8 | (pixels.get(i + 2) & 0xff));
            }
        }
        writeImage(image, target);
    }

    /**
     * How many pixels of a side one sample stands for when an image is read: as many as leave at least twice the model's
     * input in each direction for the resize, so an image of 4000x3000 is read as 62x62 for a 32x32 model, not
     * decoded whole (48 MB).
     */
    private int subsampling(int imageWidth, int imageHeight) {
        return Math.max(1, Math.min(imageWidth / (2 * width), imageHeight / (2 * height)));
    }

    private BufferedImage decode(ImageFrame frame, ByteBuffer file) throws FrameRejectedException {
        int length = file.remaining();
        try (ImageInputStream input = new ByteBufferImageInputStream(file)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new FrameRejectedException(FailureStage.DECODE, "bytes (" + length + ") are not a readable "
                        + frame.getEncoding() + " image", null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                // The size in the image's header is checked before any pixel is decoded: a few bytes claiming
                // 20000x20000 would otherwise allocate gigabytes, and an OutOfMemoryError may hit any thread.
                int imageWidth = reader.getWidth(0);
                int imageHeight = reader.getHeight(0);
                if (imageWidth != frame.getWidth() || imageHeight != frame.getHeight()) {
                    throw new FrameRejectedException(FailureStage.VALIDATE, "frame says " + frame.getWidth() + "x" + frame.getHeight()
                            + ", the " + frame.getEncoding() + " image is " + imageWidth + "x" + imageHeight, null);
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(imageWidth, imageHeight);
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new FrameRejectedException(FailureStage.DECODE, "cannot decode " + frame.getEncoding() + " image of "
                    + length + " bytes: " + e.getMessage(), e);
        }
    }

    private void writeImage(BufferedImage image, ByteBuffer target) {
        BufferedImage sized = image;
        if (image.getWidth() != width || image.getHeight() != height || image.getType() != BufferedImage.TYPE_INT_RGB) {
            sized = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = sized.createGraphics();
            try {
                graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                graphics.drawImage(image, 0, 0, width, height, null);
            } finally {
                graphics.dispose();
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = sized.getRGB(x, y);
                target.put((byte) (rgb >> 16)).put((byte) (rgb >> 8)).put((byte) rgb);
            }
        }
    }
}
