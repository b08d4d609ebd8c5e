package dev.edgeinfer.edge.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private final FrameDecoder decoder = new FrameDecoder(32, 32, 10, "cifar-10");

    @Test
    void rawFrameOfModelSizeIsCopiedAsIs() throws Exception {
        byte[] pixels = new byte[32 * 32 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        ByteBuffer target = ByteBuffer.allocate(pixels.length);
        decoder.decodeInto(TestFrames.raw("f", 32, 32, pixels, 3, "cifar-10/test", 0L), target);
        assertThat(target.array()).isEqualTo(pixels);
    }

    @Test
    void framesWithAbsurdlyLongIdsOrNamesAreRefusedAtValidationWithTheLimit() {
        byte[] pixels = new byte[32 * 32 * 3];
        ImageFrame longId = TestFrames.raw("f".repeat(FrameDecoder.MAX_ID_CHARS + 1), 32, 32, pixels, 3, "cifar-10/test", 0L);
        ImageFrame longDataset = TestFrames.raw("f", 32, 32, pixels, 3, "d".repeat(FrameDecoder.MAX_ID_CHARS + 1), 0L);
        ImageFrame longestId = TestFrames.raw("f".repeat(FrameDecoder.MAX_ID_CHARS), 32, 32, pixels, 3, "cifar-10/test", 0L);
        assertThatThrownBy(() -> decoder.decodeInto(longId, ByteBuffer.allocate(pixels.length)))
                .isInstanceOfSatisfying(FrameRejectedException.class, e -> assertThat(e.stage()).isEqualTo(FailureStage.VALIDATE))
                .hasMessageContaining("frame id of 257 characters exceeds the limit of 256");
        assertThatThrownBy(() -> decoder.decodeInto(longDataset, ByteBuffer.allocate(pixels.length)))
                .hasMessageContaining("source data set of 257 characters exceeds the limit of 256");
        assertThatCode(() -> decoder.decodeInto(longestId, ByteBuffer.allocate(pixels.length))).doesNotThrowAnyException();
    }

    @Test
    void shortenedIdsNeverSplitACharacter() {
        String id = "a".repeat(FrameDecoder.MAX_ID_CHARS - 1) + "\uD83D\uDE00" + "b";
        assertThat(FrameDecoder.shortened(id)).isEqualTo("a".repeat(FrameDecoder.MAX_ID_CHARS - 1));
        assertThat(FrameDecoder.shortened("short")).isEqualTo("short");
    }

    @Test
    void pngIsDecodedToTheSamePixelsAsRaw() throws Exception {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        byte[] raw = new byte[32 * 32 * 3];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int r = x * 8;
                int g = y * 8;
                int b = (x + y) * 4;
                image.setRGB(x, y, r << 16 | g << 8 | b);
                int i = (y * 32 + x) * 3;
                raw[i] = (byte) r;
                raw[i + 1] = (byte) g;
                raw[i + 2] = (byte) b;
            }
        }
        ByteBuffer target = ByteBuffer.allocate(raw.length);
        decoder.decodeInto(TestFrames.encoded("p", PixelEncoding.PNG, 32, 32, encode(image, "png")), target);
        assertThat(target.array()).isEqualTo(raw);
    }

    @Test
    void largerImagesAreResizedToTheModelInput() throws Exception {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, 0x336699);
            }
        }
        ByteBuffer target = ByteBuffer.allocate(32 * 32 * 3);
        decoder.decodeInto(TestFrames.encoded("j", PixelEncoding.PNG, 64, 48, encode(image, "png")), target);
        assertThat(target.position()).isEqualTo(32 * 32 * 3);
        assertThat(Arrays.copyOf(target.array(), 3)).containsExactly((byte) 0x33, (byte) 0x66, (byte) 0x99);
    }

    @Test
    void contradictionsAreRejectedWithTheirStage() {
        assertRejected(TestFrames.raw("short", 32, 32, new byte[100], null, null, null), FailureStage.VALIDATE,
                "needs 3072 bytes, has 100");
        assertRejected(TestFrames.raw("truth", 32, 32, new byte[3072], 12, null, null), FailureStage.VALIDATE, "ground truth 12");
        assertRejected(TestFrames.encoded("corrupt", PixelEncoding.PNG, 32, 32, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}),
                FailureStage.DECODE, "PNG");
        ImageFrame unknown = TestFrames.raw("unknown", 32, 32, new byte[3072], null, null, null);
        unknown.setEncoding(PixelEncoding.UNKNOWN);
        assertRejected(unknown, FailureStage.VALIDATE, "unsupported pixel encoding");
        ImageFrame gray = TestFrames.raw("gray", 32, 32, new byte[1024], null, null, null);
        gray.setChannels(1);
        assertRejected(gray, FailureStage.VALIDATE, "3 colour channels");
        assertRejected(TestFrames.raw("huge", 100_000, 1, new byte[3], null, null, null), FailureStage.VALIDATE, "outside 1..");
    }

    @Test
    void declaredSizeMustMatchTheEncodedImage() throws IOException {
        byte[] png = encode(new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB), "png");
        assertRejected(TestFrames.encoded("liar", PixelEncoding.PNG, 32, 32, png), FailureStage.VALIDATE, "is 20x20");
    }

    @Test
    void sizeInAnImageHeaderIsCheckedBeforeItsPixelsAreDecoded() throws IOException {
        // A 32x32 PNG whose header claims 20000x20000: decoding it first would try to allocate 1.2 GB.
        byte[] png = encode(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "png");
        ByteBuffer header = ByteBuffer.wrap(png);
        header.putInt(16, 20_000).putInt(20, 20_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 4 + 13);
        header.putInt(29, (int) crc.getValue());
        assertRejected(TestFrames.encoded("bomb", PixelEncoding.PNG, 32, 32, png), FailureStage.VALIDATE, "is 20000x20000");
    }

    private void assertRejected(ImageFrame frame, FailureStage stage, String reason) {
        ByteBuffer target = ByteBuffer.allocate(32 * 32 * 3);
        assertThatThrownBy(() -> decoder.decodeInto(frame, target))
                .isInstanceOfSatisfying(FrameRejectedException.class, e -> assertThat(e.stage()).isEqualTo(stage))
                .hasMessageContaining(reason);
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    @Test
    void aGroundTruthOfAnotherLabelSetIsNeitherScoredNorRangeChecked() throws Exception {
        byte[] pixels = new byte[32 * 32 * 3];
        // Records set in place: Avro's copy builder needs the generated classes trusted first, which this test must not
        // depend on another test to have done.
        ImageFrame other = TestFrames.raw("other", 32, 32, pixels, 3, null, null);
        other.setGroundTruth(512);
        other.setLabelSet("imagenet-1k");
        decoder.decodeInto(other, ByteBuffer.allocate(pixels.length));
        assertThat(decoder.scoresTruthOf(other)).isFalse();
        ImageFrame same = TestFrames.raw("same", 32, 32, pixels, 3, null, null);
        same.setLabelSet("cifar-10");
        assertThat(decoder.scoresTruthOf(same)).isTrue();
        same.setLabelSet(null);
        assertThat(decoder.scoresTruthOf(same)).isTrue();
        assertThat(new FrameDecoder(32, 32, 10, null).scoresTruthOf(other)).as("a model without a label set").isTrue();
    }
}
