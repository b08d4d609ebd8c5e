package dev.edgeinfer.openvino;

import com.sun.jna.Pointer;
import com.sun.jna.PointerType;

/**
 * One JNA type per opaque C handle, so the compiler keeps a tensor from being passed where a model is expected.
 * The classes are public only because JNA instantiates them reflectively; this holder is package-private, so
 * no code outside the binding can name them.
 */
final class Handles {
    private Handles() {
    }

    /** {@code ov_core_t*}; freed with {@code ov_core_free}. */
    public static final class CoreHandle extends PointerType {
        public CoreHandle() {
        }

        CoreHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code ov_model_t*}; freed with {@code ov_model_free}. */
    public static final class ModelHandle extends PointerType {
        public ModelHandle() {
        }

        ModelHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code ov_compiled_model_t*}; freed with {@code ov_compiled_model_free}. */
    public static final class CompiledModelHandle extends PointerType {
        public CompiledModelHandle() {
        }

        CompiledModelHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code ov_infer_request_t*}; freed with {@code ov_infer_request_free}. */
    public static final class InferRequestHandle extends PointerType {
        public InferRequestHandle() {
        }

        InferRequestHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code ov_tensor_t*}; freed with {@code ov_tensor_free}. */
    public static final class TensorHandle extends PointerType {
        public TensorHandle() {
        }

        TensorHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code ov_output_const_port_t*}; freed with {@code ov_output_const_port_free}. */
    public static final class ConstPortHandle extends PointerType {
        public ConstPortHandle() {
        }

        ConstPortHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code ov_layout_t*}; freed with {@code ov_layout_free}. */
    public static final class LayoutHandle extends PointerType {
        public LayoutHandle() {
        }

        LayoutHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code ov_preprocess_prepostprocessor_t*}; freed with {@code ov_preprocess_prepostprocessor_free}. */
    public static final class PrePostProcessorHandle extends PointerType {
        public PrePostProcessorHandle() {
        }

        PrePostProcessorHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code ov_preprocess_input_info_t*}; freed with {@code ov_preprocess_input_info_free}. */
    public static final class InputInfoHandle extends PointerType {
        public InputInfoHandle() {
        }

        InputInfoHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code ov_preprocess_input_tensor_info_t*}; freed with {@code ov_preprocess_input_tensor_info_free}. */
    public static final class InputTensorInfoHandle extends PointerType {
        public InputTensorInfoHandle() {
        }

        InputTensorInfoHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code ov_preprocess_input_model_info_t*}; freed with {@code ov_preprocess_input_model_info_free}. */
    public static final class InputModelInfoHandle extends PointerType {
        public InputModelInfoHandle() {
        }

        InputModelInfoHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code ov_preprocess_preprocess_steps_t*}; freed with {@code ov_preprocess_preprocess_steps_free}. */
    public static final class PreprocessStepsHandle extends PointerType {
        public PreprocessStepsHandle() {
        }

        PreprocessStepsHandle(Pointer p) {
            super(p);
        }
    }
}
