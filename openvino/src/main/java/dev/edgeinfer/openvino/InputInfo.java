package dev.edgeinfer.openvino;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.openvino.Handles.InputInfoHandle;

/**
 * One model input inside a {@link PrePostProcessor} ({@code ov_preprocess_input_info_t}). Owns its native
 * object, freed by {@link #close()}; points into its preprocessor, so close it first.
 */
public final class InputInfo extends NativeObject<InputInfoHandle> {
    InputInfo(Pointer handle) {
        super(new InputInfoHandle(handle));
    }

    /**
     * @return a new description of the tensor the caller will feed; the caller closes it
     * @throws OpenVinoException if the library fails
     */
    public InputTensorInfo tensor() throws OpenVinoException {
        PointerByReference out = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_preprocess_input_info_get_tensor_info(handle(), out),
                "ov_preprocess_input_info_get_tensor_info");
        return new InputTensorInfo(out.getValue());
    }

    /**
     * @return a new description of what the model itself expects; the caller closes it
     * @throws OpenVinoException if the library fails
     */
    public InputModelInfo model() throws OpenVinoException {
        PointerByReference out = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_preprocess_input_info_get_model_info(handle(), out),
                "ov_preprocess_input_info_get_model_info");
        return new InputModelInfo(out.getValue());
    }

    /**
     * @return the new list of steps from the fed tensor to the model's input; the caller closes it
     * @throws OpenVinoException if the library fails
     */
    public PreprocessSteps steps() throws OpenVinoException {
        PointerByReference out = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_preprocess_input_info_get_preprocess_steps(handle(), out),
                "ov_preprocess_input_info_get_preprocess_steps");
        return new PreprocessSteps(out.getValue());
    }

    @Override
    void free(InputInfoHandle handle) {
        OpenVinoLibrary.c().ov_preprocess_input_info_free(handle);
    }
}
