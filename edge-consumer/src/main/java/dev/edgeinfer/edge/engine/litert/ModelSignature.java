package dev.edgeinfer.edge.engine.litert;

import dev.edgeinfer.edge.engine.FrameBatch;
import dev.edgeinfer.edge.engine.InferenceException;
import dev.edgeinfer.litert.ElementType;
import dev.edgeinfer.litert.LiteRtException;
import dev.edgeinfer.litert.Model;
import dev.edgeinfer.litert.Quantization;
import dev.edgeinfer.litert.TensorDescription;
import dev.edgeinfer.schemas.manifest.InputContract;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

/**
 * What the engine needs of a {@code .tflite} classifier's first signature, checked against the manifest: one input
 * of raw frames ({@code uint8 [batch, height, width, 3]}, not rescaled) and one output of class scores
 * ({@code [batch, classes]}), float or integers with one scale and zero point. The batch must be static: LiteRT
 * would otherwise have to be told the input's shape and re-plan its buffers.
 *
 * @param batch        frames per run of the model
 * @param outputType   the output's element type: {@code FLOAT32}, {@code UINT8} or {@code INT8}
 * @param quantization the output's quantization; {@link Quantization#NONE} for float
 */
record ModelSignature(int batch, ElementType outputType, Quantization quantization) {
    /**
     * @param model   the model
     * @param input   the manifest's input contract
     * @param classes the manifest's number of classes
     * @return the signature
     * @throws InferenceException naming what does not fit
     * @throws LiteRtException if the model cannot be described
     */
    static ModelSignature of(Model model, InputContract input, int classes) throws InferenceException, LiteRtException {
        if (!input.takesFramesAsIs()) {
            throw new InferenceException("the LiteRT engine feeds frames as they arrive (u8 RGB NHWC, normalized "
                    + "inside the graph), but the manifest's input is " + input.elementType() + " " + input.layout());
        }
        if (model.signatureKeys().isEmpty()) {
            throw new InferenceException("the model has no signature");
        }
        List<TensorDescription> inputs = model.inputs(0);
        List<TensorDescription> outputs = model.outputs(0);
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new InferenceException("a classifier has one input and one output; the model's signature has "
                    + inputs.size() + " and " + outputs.size());
        }
        TensorDescription in = inputs.get(0);
        TensorDescription out = outputs.get(0);
        List<Integer> frames = List.of(in.shape().isEmpty() ? -1 : in.shape().get(0), input.height(), input.width(),
                FrameBatch.CHANNELS);
        if (in.elementType() != ElementType.UINT8 || !in.shape().equals(frames) || frames.get(0) < 1
                || !takesRawPixels(in.quantization())) {
            throw new InferenceException("the model's input " + describe(in) + " is not uint8 " + frames
                    + " with a static batch and raw pixel values; export the .tflite with a static batch (e.g. 1) and"
                    + " uint8 input");
        }
        int batch = frames.get(0);
        boolean integer = out.elementType() == ElementType.UINT8 || out.elementType() == ElementType.INT8;
        if (!out.shape().equals(List.of(batch, classes))
                || !(out.elementType() == ElementType.FLOAT32 || integer && out.quantization().isPerTensor())) {
            throw new InferenceException("the model's output " + describe(out) + " is not [" + batch + ", "
                    + classes + "] of float32, or of uint8 or int8 with a per-tensor scale and zero point");
        }
        return new ModelSignature(batch, out.elementType(), out.quantization());
    }

    /** Raw 0..255 pixels go in unchanged: no quantization, or scale 1 and zero point 0. */
    private static boolean takesRawPixels(Quantization q) {
        return q.kind() == Quantization.Kind.NONE || q.isPerTensor() && q.scale() == 1f && q.zeroPoint() == 0;
    }

    private static String describe(TensorDescription t) {
        String quantization = t.quantization().isPerTensor() ? " (scale " + t.quantization().scale()
                + ", zero point " + t.quantization().zeroPoint() + ")" : "";
        return t.name() + " " + t.elementType().name().toLowerCase(Locale.ROOT) + t.shape() + quantization;
    }

    /** @return bytes per output element */
    int outputElementBytes() {
        return outputType == ElementType.FLOAT32 ? Float.BYTES : 1;
    }

    /**
     * Reads {@code count} scores from raw output bytes, dequantizing integers.
     *
     * @param raw    the output's bytes, native byte order, from position 0
     * @param target where the scores go
     * @param offset the first index of {@code target} to write
     * @param count  scores to read
     */
    void decode(ByteBuffer raw, float[] target, int offset, int count) {
        for (int i = 0; i < count; i++) {
            target[offset + i] = switch (outputType) {
                case FLOAT32 -> raw.getFloat(i * Float.BYTES);
                case UINT8 -> quantization.dequantize(raw.get(i) & 0xFF);
                default -> quantization.dequantize(raw.get(i));
            };
        }
    }

    /** @return the output's type as the engine's description shows it, e.g. {@code uint8 (scale 0.035, zero point 62)} */
    String outputDescription() {
        String type = outputType.name().toLowerCase(Locale.ROOT);
        return quantization.isPerTensor() ? type + " (scale " + quantization.scale() + ", zero point "
                + quantization.zeroPoint() + ")" : type;
    }
}
