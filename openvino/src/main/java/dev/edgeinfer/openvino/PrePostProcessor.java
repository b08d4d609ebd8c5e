package dev.edgeinfer.openvino;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.openvino.Handles.LayoutHandle;
import dev.edgeinfer.openvino.Handles.PrePostProcessorHandle;

/**
 * Builds preprocessing into a model ({@code ov_preprocess_prepostprocessor_t}): declare what the caller will
 * feed ({@link InputInfo#tensor()}), what the model expects ({@link InputInfo#model()}) and the steps between
 * ({@link InputInfo#steps()}), then {@link #build()} a new model that does the conversion inside the graph.
 * Owns its native object, freed by {@link #close()}; the info objects it hands out point into it and must be
 * closed before it.
 */
public final class PrePostProcessor extends NativeObject<PrePostProcessorHandle> {
    private PrePostProcessor(Pointer handle) {
        super(new PrePostProcessorHandle(handle));
    }

    /**
     * @param model the model to extend; it must stay open until {@link #build()} has returned
     * @return a new preprocessor that the caller closes
     * @throws OpenVinoException if the library fails
     */
    public static PrePostProcessor create(Model model) throws OpenVinoException {
        PointerByReference out = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_preprocess_prepostprocessor_create(model.handle(), out),
                "ov_preprocess_prepostprocessor_create");
        return new PrePostProcessor(out.getValue());
    }

    /**
     * @param index the model input to describe
     * @return a new input info that the caller closes before this preprocessor
     * @throws OpenVinoException if there is no such input
     */
    public InputInfo input(int index) throws OpenVinoException {
        PointerByReference out = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_preprocess_prepostprocessor_get_input_info_by_index(handle(),
                index, out), "ov_preprocess_prepostprocessor_get_input_info_by_index");
        return new InputInfo(out.getValue());
    }

    /**
     * @return a new model with the preprocessing inside; the caller closes it
     * @throws OpenVinoException if the declared conversion is impossible (e.g. a layout that does not fit)
     */
    public Model build() throws OpenVinoException {
        PointerByReference out = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_preprocess_prepostprocessor_build(handle(), out),
                "ov_preprocess_prepostprocessor_build");
        return new Model(out.getValue());
    }

    /** Creates a layout for the duration of one call; the library copies it. */
    static void withLayout(String layout, LayoutCall call) throws OpenVinoException {
        OpenVinoC c = OpenVinoLibrary.c();
        PointerByReference out = new PointerByReference();
        OpenVinoLibrary.check(c.ov_layout_create(layout, out), "ov_layout_create(" + layout + ")");
        LayoutHandle handle = new LayoutHandle(out.getValue());
        try {
            call.apply(handle);
        } finally {
            c.ov_layout_free(handle);
        }
    }

    interface LayoutCall {
        void apply(LayoutHandle layout) throws OpenVinoException;
    }

    @Override
    void free(PrePostProcessorHandle handle) {
        OpenVinoLibrary.c().ov_preprocess_prepostprocessor_free(handle);
    }
}
