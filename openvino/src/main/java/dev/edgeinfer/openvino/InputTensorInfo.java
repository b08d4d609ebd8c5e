package dev.edgeinfer.openvino;

import com.sun.jna.Pointer;
import dev.edgeinfer.openvino.Handles.InputTensorInfoHandle;

/**
 * What the caller will feed to one input ({@code ov_preprocess_input_tensor_info_t}). Owns its native object,
 * freed by {@link #close()}; close it before its {@link InputInfo}.
 */
public final class InputTensorInfo extends NativeObject<InputTensorInfoHandle> {
    InputTensorInfo(Pointer handle) {
        super(new InputTensorInfoHandle(handle));
    }

    /**
     * @param type the element type the caller feeds, e.g. {@link ElementType#U8}
     * @return this, for chaining
     * @throws OpenVinoException if the library fails
     */
    public InputTensorInfo setElementType(ElementType type) throws OpenVinoException {
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_preprocess_input_tensor_info_set_element_type(handle(),
                type.code()), "ov_preprocess_input_tensor_info_set_element_type");
        return this;
    }

    /**
     * @param layout the layout the caller feeds, e.g. {@code NHWC}
     * @return this, for chaining
     * @throws OpenVinoException if the layout text is invalid
     */
    public InputTensorInfo setLayout(String layout) throws OpenVinoException {
        PrePostProcessor.withLayout(layout, l -> OpenVinoLibrary.check(
                OpenVinoLibrary.c().ov_preprocess_input_tensor_info_set_layout(handle(), l),
                "ov_preprocess_input_tensor_info_set_layout"));
        return this;
    }

    @Override
    void free(InputTensorInfoHandle handle) {
        OpenVinoLibrary.c().ov_preprocess_input_tensor_info_free(handle);
    }
}
