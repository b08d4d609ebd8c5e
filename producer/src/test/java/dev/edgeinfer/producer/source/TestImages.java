package dev.edgeinfer.producer.source;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small images and CIFAR-10 batches written by the tests themselves. */
public final class TestImages {

    private TestImages() {
    }

    /** An RGB image file ("png" or "jpg") of the given size with a simple gradient. */
    public static Path writeImage(Path file, String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | 0x40);
            }
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format);
            }
            Files.write(file, out.toByteArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A grayscale PNG. */
    public static Path writeGrayPng(Path file, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(image, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One CIFAR-10 record: the label byte, then red plane = record number, green plane = pixel index mod 256,
     * blue plane = 255 - pixel index mod 256, so tests can tell the planes and pixels apart.
     */
    public static byte[] cifarRecord(int label, int recordNumber) {
        byte[] record = new byte[Cifar10Source.RECORD_BYTES];
        record[0] = (byte) label;
        for (int p = 0; p < Cifar10Source.PLANE; p++) {
            record[1 + p] = (byte) recordNumber;
            record[1 + Cifar10Source.PLANE + p] = (byte) p;
            record[1 + 2 * Cifar10Source.PLANE + p] = (byte) (255 - (p & 0xff));
        }
        return record;
    }

    /** Writes every batch file of both splits into {@code dir}, {@code recordsPerFile} records each, labels cycling. */
    public static Path writeCifarBatches(Path dir, int recordsPerFile) {
        try {
            Files.createDirectories(dir);
            int number = 0;
            for (Cifar10Source.Split split : Cifar10Source.Split.values()) {
                for (String name : split.files()) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    for (int i = 0; i < recordsPerFile; i++) {
                        out.write(cifarRecord(number % 10, number));
                        number++;
                    }
                    Files.write(dir.resolve(name), out.toByteArray());
                }
            }
            Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", Cifar10Labels.CLASSES) + "\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
