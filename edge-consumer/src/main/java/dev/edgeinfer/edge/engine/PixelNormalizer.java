package dev.edgeinfer.edge.engine;

import dev.edgeinfer.schemas.manifest.InputContract;
import dev.edgeinfer.schemas.manifest.Layout;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Converts frames (u8 RGB HWC) into what a model takes when its manifest says it does not take them as they
 * are: {@code f32}, in its layout, normalized unless the graph does that itself. For runtimes without a
 * preprocessing API of their own; OpenVINO builds the same conversion into the graph instead.
 */
public final class PixelNormalizer {
    private final boolean planar;
    private final float[] offset = new float[FrameBatch.CHANNELS];
    private final float[] factor = new float[FrameBatch.CHANNELS];

    /**
     * @param input the model's input contract
     */
    public PixelNormalizer(InputContract input) {
        this.planar = input.layout() == Layout.NCHW;
        var n = input.normalization();
        for (int c = 0; c < FrameBatch.CHANNELS; c++) {
            if (n.insideGraph()) {
                offset[c] = 0f;
                factor[c] = 1f;
            } else {
                // (x / scale - mean) / std  ==  (x - mean * scale) * (1 / (std * scale))
                offset[c] = (float) (n.mean().get(c) * n.scale());
                factor[c] = (float) (1.0 / (n.std().get(c) * n.scale()));
            }
        }
    }

    /**
     * @param pixels  the frames, from position 0
     * @param frames  how many
     * @param pixelsPerFrame height times width
     * @param target  where the model's values go, from position 0
     */
    public void convert(ByteBuffer pixels, int frames, int pixelsPerFrame, FloatBuffer target) {
        int channels = FrameBatch.CHANNELS;
        for (int f = 0; f < frames; f++) {
            int frameStart = f * pixelsPerFrame * channels;
            for (int p = 0; p < pixelsPerFrame; p++) {
                for (int c = 0; c < channels; c++) {
                    float value = ((pixels.get(frameStart + p * channels + c) & 0xFF) - offset[c]) * factor[c];
                    int index = planar ? frameStart + c * pixelsPerFrame + p : frameStart + p * channels + c;
                    target.put(index, value);
                }
            }
        }
    }
}
