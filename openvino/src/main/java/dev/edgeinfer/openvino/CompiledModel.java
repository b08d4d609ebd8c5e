package dev.edgeinfer.openvino;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.openvino.Handles.CompiledModelHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A model compiled for one device ({@code ov_compiled_model_t}). Thread-safe. Owns its native object, freed by
 * {@link #close()}; close its infer requests first.
 */
public final class CompiledModel extends NativeObject<CompiledModelHandle> {
    /** Read-only property keys of a compiled model. */
    public static final String OPTIMAL_NUMBER_OF_INFER_REQUESTS = "OPTIMAL_NUMBER_OF_INFER_REQUESTS";
    public static final String EXECUTION_DEVICES = "EXECUTION_DEVICES";

    CompiledModel(Pointer handle) {
        super(new CompiledModelHandle(handle));
    }

    /**
     * @return a new infer request that the caller closes
     * @throws OpenVinoException if the device cannot create one
     */
    public InferRequest createInferRequest() throws OpenVinoException {
        PointerByReference out = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_compiled_model_create_infer_request(handle(), out),
                "ov_compiled_model_create_infer_request");
        return new InferRequest(out.getValue());
    }

    /**
     * @param key a property key, e.g. {@link Core#PERFORMANCE_HINT} or {@link #OPTIMAL_NUMBER_OF_INFER_REQUESTS}
     * @return the value the device settled on, as text
     * @throws OpenVinoException if the key is not supported
     */
    public String property(String key) throws OpenVinoException {
        PointerByReference value = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_compiled_model_get_property(handle(), key, value),
                "ov_compiled_model_get_property(" + key + ")");
        return OpenVinoLibrary.takeString(value.getValue());
    }

    /**
     * @return the compiled model's inputs, after any preprocessing built into it
     * @throws OpenVinoException if the library fails
     */
    public List<PortDescription> inputs() throws OpenVinoException {
        OpenVinoC c = OpenVinoLibrary.c();
        LongByReference size = new LongByReference();
        OpenVinoLibrary.check(c.ov_compiled_model_inputs_size(handle(), size), "ov_compiled_model_inputs_size");
        List<PortDescription> ports = new ArrayList<>();
        for (long i = 0; i < size.getValue(); i++) {
            PointerByReference port = new PointerByReference();
            OpenVinoLibrary.check(c.ov_compiled_model_input_by_index(handle(), i, port),
                    "ov_compiled_model_input_by_index");
            ports.add(Ports.describe(port));
        }
        return List.copyOf(ports);
    }

    /**
     * @return the compiled model's outputs
     * @throws OpenVinoException if the library fails
     */
    public List<PortDescription> outputs() throws OpenVinoException {
        OpenVinoC c = OpenVinoLibrary.c();
        LongByReference size = new LongByReference();
        OpenVinoLibrary.check(c.ov_compiled_model_outputs_size(handle(), size), "ov_compiled_model_outputs_size");
        List<PortDescription> ports = new ArrayList<>();
        for (long i = 0; i < size.getValue(); i++) {
            PointerByReference port = new PointerByReference();
            OpenVinoLibrary.check(c.ov_compiled_model_output_by_index(handle(), i, port),
                    "ov_compiled_model_output_by_index");
            ports.add(Ports.describe(port));
        }
        return List.copyOf(ports);
    }

    @Override
    void free(CompiledModelHandle handle) {
        OpenVinoLibrary.c().ov_compiled_model_free(handle);
    }
}
