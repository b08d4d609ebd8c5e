package dev.edgeinfer.producer.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.PixelEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10SourceTest {

    @TempDir
    Path dir;

    @Test
    void readsRecordsAsInterleavedRgbWithLabelAndIndex() throws Exception {
        TestImages.writeCifarBatches(dir, 3);
        try (Cifar10Source test = Cifar10Source.open(dir, Cifar10Source.Split.TEST)) {
            assertThat(test.size()).isEqualTo(3);
            assertThat(test.description()).isEqualTo("cifar-10/test (3 images)");
            // The test batch is written first: its records are numbered 0, 1, 2.
            SourceImage image = test.read(1);
            assertThat(image.dataset()).isEqualTo("cifar-10/test");
            assertThat(image.index()).isEqualTo(1L);
            assertThat(image.fileName()).isNull();
            assertThat(image.encoding()).isEqualTo(PixelEncoding.RAW_RGB8_HWC);
            assertThat(image.width()).isEqualTo(32);
            assertThat(image.height()).isEqualTo(32);
            assertThat(image.channels()).isEqualTo(3);
            assertThat(image.groundTruth()).isEqualTo(1);
            assertThat(image.labelSet()).isEqualTo("cifar-10");
            byte[] pixels = image.pixels();
            assertThat(pixels).hasSize(3072);
            // Pixel 0 (top-left) and pixel 33 (row 1, column 1): R = record number, G = index, B = 255 - index.
            assertThat(new byte[] {pixels[0], pixels[1], pixels[2]}).containsExactly(1, 0, (byte) 255);
            assertThat(new byte[] {pixels[99], pixels[100], pixels[101]}).containsExactly(1, 33, (byte) 222);
        }
    }

    @Test
    void trainSplitIndexesAcrossItsFiveBatches() throws Exception {
        TestImages.writeCifarBatches(dir, 2);
        try (Cifar10Source train = Cifar10Source.open(dir, Cifar10Source.Split.TRAIN)) {
            assertThat(train.size()).isEqualTo(10);
            for (int i = 0; i < 10; i++) {
                SourceImage image = train.read(i);
                assertThat(image.index()).isEqualTo(i);
                // The two test records come first in the files written: train records are numbered from 2.
                assertThat(image.pixels()[0]).as("record number of image %d", i).isEqualTo((byte) (i + 2));
                assertThat(image.groundTruth()).isEqualTo((i + 2) % 10);
            }
        }
    }

    @Test
    void labelOutsideTheClassesIsABadImageNamingTheRecord() throws Exception {
        TestImages.writeCifarBatches(dir, 2);
        byte[] bytes = Files.readAllBytes(dir.resolve("test_batch.bin"));
        bytes[Cifar10Source.RECORD_BYTES] = 10;
        Files.write(dir.resolve("test_batch.bin"), bytes);
        try (Cifar10Source test = Cifar10Source.open(dir, Cifar10Source.Split.TEST)) {
            assertThat(test.read(0).groundTruth()).isNotNull();
            assertThatThrownBy(() -> test.read(1))
                    .isInstanceOf(BadImageException.class)
                    .hasMessageContaining("cifar-10/test #1")
                    .hasMessageContaining("test_batch.bin record 1")
                    .hasMessageContaining("label byte 10");
        }
    }

    @Test
    void truncatedOrMissingBatchFailsToOpenNamingTheFile() throws IOException {
        TestImages.writeCifarBatches(dir, 2);
        Files.write(dir.resolve("test_batch.bin"), new byte[Cifar10Source.RECORD_BYTES + 100]);
        assertThatThrownBy(() -> Cifar10Source.open(dir, Cifar10Source.Split.TEST))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("test_batch.bin")
                .hasMessageContaining("3173 bytes");
        Files.delete(dir.resolve("data_batch_3.bin"));
        assertThat(Cifar10Source.isComplete(dir)).isFalse();
        assertThatThrownBy(() -> Cifar10Source.open(dir, Cifar10Source.Split.TRAIN))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("data_batch_3.bin");
    }

    @Test
    void convertsPlanesToInterleavedPixels() {
        byte[] planes = new byte[3072];
        planes[5] = 1;
        planes[1024 + 5] = 2;
        planes[2048 + 5] = 3;
        byte[] hwc = Cifar10Source.toHwc(planes);
        assertThat(new byte[] {hwc[15], hwc[16], hwc[17]}).containsExactly(1, 2, 3);
    }
}
