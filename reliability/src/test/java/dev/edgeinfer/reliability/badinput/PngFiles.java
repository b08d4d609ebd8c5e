package dev.edgeinfer.reliability.badinput;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Valid PNG files and precise damage to them: chunks are rewritten with correct CRCs, so what breaks is the part
 * named (the header's size, the zlib stream, the length), not a checksum a reader may ignore.
 */
final class PngFiles {

    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int IHDR_DATA = SIGNATURE.length + 8;

    private PngFiles() {
    }

    /** A PNG of the given size with seeded noise. */
    static byte[] noise(int width, int height, Random random) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG in memory", e);
        }
        return out.toByteArray();
    }

    /** The file with its header claiming another size; its pixels stay those of the real size. */
    static byte[] withHeaderSize(byte[] png, int width, int height) {
        byte[] copy = png.clone();
        ByteBuffer.wrap(copy).putInt(IHDR_DATA, width).putInt(IHDR_DATA + 4, height);
        fixCrc(copy, SIGNATURE.length);
        return copy;
    }

    /** The file with its image data replaced by bytes that are no zlib stream (compression method 0 does not exist). */
    static byte[] withBrokenImageData(byte[] png, Random random) {
        byte[] copy = png.clone();
        int chunk = imageDataChunk(copy);
        int length = ByteBuffer.wrap(copy).getInt(chunk);
        byte[] garbage = new byte[length];
        random.nextBytes(garbage);
        garbage[0] = 0;
        garbage[1] = 0;
        System.arraycopy(garbage, 0, copy, chunk + 8, length);
        fixCrc(copy, chunk);
        return copy;
    }

    /** The file cut off inside its image data, as a transfer that stopped early leaves it. */
    static byte[] cutInsideImageData(byte[] png, Random random) {
        int chunk = imageDataChunk(png);
        int length = ByteBuffer.wrap(png).getInt(chunk);
        return Arrays.copyOf(png, chunk + 8 + random.nextInt(Math.max(1, length - 1)));
    }

    /** The PNG signature followed by noise: a reader recognizes the format and then finds no valid header. */
    static byte[] garbageAfterSignature(Random random) {
        byte[] bytes = new byte[SIGNATURE.length + 64 + random.nextInt(2000)];
        random.nextBytes(bytes);
        System.arraycopy(SIGNATURE, 0, bytes, 0, SIGNATURE.length);
        return bytes;
    }

    private static int imageDataChunk(byte[] png) {
        ByteBuffer buffer = ByteBuffer.wrap(png);
        int position = SIGNATURE.length;
        while (position + 8 <= png.length) {
            int length = buffer.getInt(position);
            if ("IDAT".equals(new String(png, position + 4, 4, StandardCharsets.US_ASCII))) {
                return position;
            }
            position += 12 + length;
        }
        throw new IllegalArgumentException("PNG of " + png.length + " bytes has no IDAT chunk");
    }

    private static void fixCrc(byte[] png, int chunk) {
        int length = ByteBuffer.wrap(png).getInt(chunk);
        CRC32 crc = new CRC32();
        crc.update(png, chunk + 4, 4 + length);
        ByteBuffer.wrap(png).putInt(chunk + 8 + length, (int) crc.getValue());
    }
}
