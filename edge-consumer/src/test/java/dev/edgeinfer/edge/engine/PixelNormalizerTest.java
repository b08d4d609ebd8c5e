package dev.edgeinfer.edge.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.edgeinfer.schemas.manifest.ColorOrder;
import dev.edgeinfer.schemas.manifest.ElementType;
import dev.edgeinfer.schemas.manifest.InputContract;
import dev.edgeinfer.schemas.manifest.Layout;
import dev.edgeinfer.schemas.manifest.Normalization;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PixelNormalizerTest {
    @Test
    void convertsInterleavedBytesToNormalizedPlanes() {
        InputContract nchw = new InputContract("image", ElementType.F32, Layout.NCHW, List.of(-1, 3, 1, 2), ColorOrder.RGB,
                new Normalization(255.0, List.of(0.5, 0.25, 0.0), List.of(0.5, 0.25, 1.0), false));
        // Two pixels: (255, 0, 51) and (0, 255, 102).
        ByteBuffer pixels = ByteBuffer.wrap(new byte[] {(byte) 255, 0, 51, 0, (byte) 255, 102});
        FloatBuffer out = FloatBuffer.allocate(6);
        new PixelNormalizer(nchw).convert(pixels, 1, 2, out);
        assertThat(out.array()).containsExactly(new float[] {1f, -1f, -1f, 3f, 0.2f, 0.4f}, within(1e-5f));
    }

    @Test
    void leavesValuesRawWhenTheGraphNormalizes() {
        InputContract nhwc = new InputContract("image", ElementType.F32, Layout.NHWC, List.of(-1, 1, 1, 3), ColorOrder.RGB,
                new Normalization(255.0, List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5), true));
        FloatBuffer out = FloatBuffer.allocate(3);
        new PixelNormalizer(nhwc).convert(ByteBuffer.wrap(new byte[] {1, 2, (byte) 200}), 1, 1, out);
        assertThat(out.array()).containsExactly(1f, 2f, 200f);
    }
}
