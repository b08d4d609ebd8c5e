package dev.edgeinfer.openvino;

import com.sun.jna.Pointer;
import dev.edgeinfer.openvino.Handles.InputModelInfoHandle;

/**
 * What the model expects at one input ({@code ov_preprocess_input_model_info_t}). Owns its native object, freed
 * by {@link #close()}; close it before its {@link InputInfo}.
 */
public final class InputModelInfo extends NativeObject<InputModelInfoHandle> {
    InputModelInfo(Pointer handle) {
        super(new InputModelInfoHandle(handle));
    }

    /**
     * @param layout the model input's layout, e.g. {@code NCHW}
     * @return this, for chaining
     * @throws OpenVinoException if the layout text is invalid
     */
    public InputModelInfo setLayout(String layout) throws OpenVinoException {
        PrePostProcessor.withLayout(layout, l -> OpenVinoLibrary.check(
                OpenVinoLibrary.c().ov_preprocess_input_model_info_set_layout(handle(), l),
                "ov_preprocess_input_model_info_set_layout"));
        return this;
    }

    @Override
    void free(InputModelInfoHandle handle) {
        OpenVinoLibrary.c().ov_preprocess_input_model_info_free(handle);
    }
}
