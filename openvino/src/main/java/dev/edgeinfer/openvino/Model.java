package dev.edgeinfer.openvino;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.openvino.Handles.ModelHandle;
import java.util.ArrayList;
import java.util.List;

/** A model graph as read from a file ({@code ov_model_t}). Owns its native model, freed by {@link #close()}. */
public final class Model extends NativeObject<ModelHandle> {
    Model(Pointer handle) {
        super(new ModelHandle(handle));
    }

    /**
     * @return the model's name as stored in the file
     * @throws OpenVinoException if the library fails
     */
    public String friendlyName() throws OpenVinoException {
        PointerByReference name = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_model_get_friendly_name(handle(), name),
                "ov_model_get_friendly_name");
        return OpenVinoLibrary.takeString(name.getValue());
    }

    /** @return whether any shape in the model is dynamic (e.g. a batch of {@code -1}) */
    public boolean isDynamic() {
        return OpenVinoLibrary.c().ov_model_is_dynamic(handle()) != 0;
    }

    /**
     * Fixes the shape of the model's only input, for instance a dynamic batch dimension to one batch size. The CPU
     * plugin runs a model compiled with static shapes faster than one that must handle any batch.
     *
     * @param dims the input's new dimensions, all static
     * @throws OpenVinoException if the model has more than one input or the shape does not fit it
     */
    public void reshape(long... dims) throws OpenVinoException {
        OpenVinoC c = OpenVinoLibrary.c();
        Structs.PartialShape shape = new Structs.PartialShape();
        OpenVinoLibrary.check(c.ov_partial_shape_create_static(dims.length, dims, shape), "ov_partial_shape_create_static");
        try {
            OpenVinoLibrary.check(c.ov_model_reshape_single_input(handle(), new Structs.PartialShapeByValue(shape)),
                    "ov_model_reshape_single_input");
        } finally {
            c.ov_partial_shape_free(shape);
        }
    }

    /**
     * @return the model's inputs, in order
     * @throws OpenVinoException if the library fails
     */
    public List<PortDescription> inputs() throws OpenVinoException {
        OpenVinoC c = OpenVinoLibrary.c();
        LongByReference size = new LongByReference();
        OpenVinoLibrary.check(c.ov_model_inputs_size(handle(), size), "ov_model_inputs_size");
        List<PortDescription> ports = new ArrayList<>();
        for (long i = 0; i < size.getValue(); i++) {
            PointerByReference port = new PointerByReference();
            OpenVinoLibrary.check(c.ov_model_const_input_by_index(handle(), i, port), "ov_model_const_input_by_index");
            ports.add(Ports.describe(port));
        }
        return List.copyOf(ports);
    }

    /**
     * @return the model's outputs, in order
     * @throws OpenVinoException if the library fails
     */
    public List<PortDescription> outputs() throws OpenVinoException {
        OpenVinoC c = OpenVinoLibrary.c();
        LongByReference size = new LongByReference();
        OpenVinoLibrary.check(c.ov_model_outputs_size(handle(), size), "ov_model_outputs_size");
        List<PortDescription> ports = new ArrayList<>();
        for (long i = 0; i < size.getValue(); i++) {
            PointerByReference port = new PointerByReference();
            OpenVinoLibrary.check(c.ov_model_const_output_by_index(handle(), i, port),
                    "ov_model_const_output_by_index");
            ports.add(Ports.describe(port));
        }
        return List.copyOf(ports);
    }

    @Override
    void free(ModelHandle handle) {
        OpenVinoLibrary.c().ov_model_free(handle);
    }
}
