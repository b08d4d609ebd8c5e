package dev.edgeinfer.openvino;

import com.sun.jna.Pointer;
import dev.edgeinfer.openvino.Handles.PreprocessStepsHandle;

/**
 * The conversion steps from the fed tensor to a model input ({@code ov_preprocess_preprocess_steps_t}), applied
 * in the order added. Owns its native object, freed by {@link #close()}; close it before its {@link InputInfo}.
 */
public final class PreprocessSteps extends NativeObject<PreprocessStepsHandle> {
    PreprocessSteps(Pointer handle) {
        super(new PreprocessStepsHandle(handle));
    }

    /**
     * @param type the element type to convert to, e.g. {@link ElementType#F32}
     * @return this, for chaining
     * @throws OpenVinoException if the library fails
     */
    public PreprocessSteps convertElementType(ElementType type) throws OpenVinoException {
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_preprocess_preprocess_steps_convert_element_type(handle(),
                type.code()), "ov_preprocess_preprocess_steps_convert_element_type");
        return this;
    }

    /**
     * @param perChannel one value per channel, subtracted from each element of that channel
     * @return this, for chaining
     * @throws OpenVinoException if the count does not match the channels
     */
    public PreprocessSteps mean(float... perChannel) throws OpenVinoException {
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_preprocess_preprocess_steps_mean_multi_channels(handle(),
                perChannel, perChannel.length), "ov_preprocess_preprocess_steps_mean_multi_channels");
        return this;
    }

    /**
     * @param perChannel one value per channel, dividing each element of that channel
     * @return this, for chaining
     * @throws OpenVinoException if the count does not match the channels
     */
    public PreprocessSteps scale(float... perChannel) throws OpenVinoException {
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_preprocess_preprocess_steps_scale_multi_channels(handle(),
                perChannel, perChannel.length), "ov_preprocess_preprocess_steps_scale_multi_channels");
        return this;
    }

    /**
     * @param layout the layout to transpose to explicitly; usually implied by the tensor and model layouts
     * @return this, for chaining
     * @throws OpenVinoException if the layout text is invalid
     */
    public PreprocessSteps convertLayout(String layout) throws OpenVinoException {
        PrePostProcessor.withLayout(layout, l -> OpenVinoLibrary.check(
                OpenVinoLibrary.c().ov_preprocess_preprocess_steps_convert_layout(handle(), l),
                "ov_preprocess_preprocess_steps_convert_layout"));
        return this;
    }

    @Override
    void free(PreprocessStepsHandle handle) {
        OpenVinoLibrary.c().ov_preprocess_preprocess_steps_free(handle);
    }
}
