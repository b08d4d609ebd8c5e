package dev.edgeinfer.litert;

import com.sun.jna.Pointer;
import com.sun.jna.PointerType;

/**
 * One JNA type per opaque C handle, so the compiler keeps a tensor buffer from being passed where a model is
 * expected. The classes are public only because JNA instantiates them reflectively; this holder is package-private,
 * so no code outside the binding can name them.
 */
final class Handles {
    private Handles() {
    }

    /** {@code LiteRtEnvironment}; freed with {@code LiteRtDestroyEnvironment}, after everything made in it. */
    public static final class EnvironmentHandle extends PointerType {
        public EnvironmentHandle() {
        }

        EnvironmentHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code LiteRtAccelerator}: owned by its environment, never freed by the caller. */
    public static final class AcceleratorHandle extends PointerType {
        public AcceleratorHandle() {
        }

        AcceleratorHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code LiteRtModel}; freed with {@code LiteRtDestroyModel}, after the compiled models made from it. */
    public static final class ModelHandle extends PointerType {
        public ModelHandle() {
        }

        ModelHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code LiteRtSignature}: owned by its model, never freed by the caller. */
    public static final class SignatureHandle extends PointerType {
        public SignatureHandle() {
        }

        SignatureHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code LiteRtTensor} of a model's graph: owned by its model, never freed by the caller. */
    public static final class TensorHandle extends PointerType {
        public TensorHandle() {
        }

        TensorHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code LiteRtOptions}; freed with {@code LiteRtDestroyOptions}, after the compiled models made with them. */
    public static final class OptionsHandle extends PointerType {
        public OptionsHandle() {
        }

        OptionsHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code LiteRtOpaqueOptions}; owned by the caller until {@code LiteRtAddOpaqueOptions} moves it into
     * options, else freed with {@code LiteRtDestroyOpaqueOptions}. */
    public static final class OpaqueOptionsHandle extends PointerType {
        public OpaqueOptionsHandle() {
        }

        OpaqueOptionsHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code LiteRtCompiledModel}; freed with {@code LiteRtDestroyCompiledModel}. */
    public static final class CompiledModelHandle extends PointerType {
        public CompiledModelHandle() {
        }

        CompiledModelHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code LiteRtTensorBufferRequirements} of a compiled model: owned by it, never freed by the caller. */
    public static final class TensorBufferRequirementsHandle extends PointerType {
        public TensorBufferRequirementsHandle() {
        }

        TensorBufferRequirementsHandle(Pointer p) {
            super(p);
        }
    }

    /** {@code LiteRtTensorBuffer}; freed with {@code LiteRtDestroyTensorBuffer}. */
    public static final class TensorBufferHandle extends PointerType {
        public TensorBufferHandle() {
        }

        TensorBufferHandle(Pointer p) {
            super(p);
        }
    }
}
