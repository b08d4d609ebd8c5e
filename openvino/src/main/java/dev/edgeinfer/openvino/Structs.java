package dev.edgeinfer.openvino;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The C API's plain structs. Fields that the library allocates are declared {@link Pointer}, never
 * {@code String}: JNA would otherwise replace them with its own memory on write, and the matching
 * {@code ov_*_free} would then free memory the library never allocated. Public only for JNA's reflection.
 */
final class Structs {
    private Structs() {
    }

    /** {@code ov_version_t}: both strings belong to the library; release with {@code ov_version_free}. */
    @Structure.FieldOrder({"buildNumber", "description"})
    public static final class Version extends Structure {
        public Pointer buildNumber;
        public Pointer description;
    }

    /** {@code ov_available_devices_t}; release with {@code ov_available_devices_free}. */
    @Structure.FieldOrder({"devices", "size"})
    public static final class AvailableDevices extends Structure {
        public Pointer devices;
        public long size;
    }

    /** {@code ov_shape_t}: {@code dims} is allocated by {@code ov_shape_create}, freed by {@code ov_shape_free}. */
    @Structure.FieldOrder({"rank", "dims"})
    public static class Shape extends Structure {
        public long rank;
        public Pointer dims;

        long[] dimensions() {
            return rank == 0 ? new long[0] : dims.getLongArray(0, (int) rank);
        }
    }

    /** {@code ov_shape_t} passed by value, as {@code ov_tensor_create_from_host_ptr} takes it. */
    public static final class ShapeByValue extends Shape implements Structure.ByValue {
        ShapeByValue(Shape source) {
            rank = source.rank;
            dims = source.dims;
        }

        public ShapeByValue() {
        }
    }

    /** {@code ov_dimension_t} (and {@code ov_rank_t}): {@code min == max} when static; -1 as max when dynamic. */
    @Structure.FieldOrder({"min", "max"})
    public static final class Dimension extends Structure {
        public long min;
        public long max;

        public Dimension() {
        }

        Dimension(Pointer p) {
            super(p);
            read();
        }
    }

    /** {@code ov_partial_shape_t}: {@code dims} belongs to the library; release with {@code ov_partial_shape_free}. */
    @Structure.FieldOrder({"rank", "dims"})
    public static class PartialShape extends Structure {
        public Dimension rank;
        public Pointer dims;
    }

    /** {@code ov_partial_shape_t} passed by value, as {@code ov_model_reshape_single_input} takes it. */
    public static final class PartialShapeByValue extends PartialShape implements Structure.ByValue {
        PartialShapeByValue(PartialShape source) {
            rank = new Dimension();
            rank.min = source.rank.min;
            rank.max = source.rank.max;
            dims = source.dims;
        }

        public PartialShapeByValue() {
        }
    }

    /** {@code void (*)(void* args)}: the completion callback of an asynchronous infer request. */
    public interface CompletionCallback extends Callback {
        void invoke(Pointer args);
    }

    /**
     * {@code ov_callback_t}. The library keeps the address of this struct, not a copy: it must stay allocated
     * (and the callback strongly reachable) for as long as the infer request lives.
     */
    @Structure.FieldOrder({"callbackFunc", "args"})
    public static final class CallbackStruct extends Structure {
        public CompletionCallback callbackFunc;
        public Pointer args;
    }
}
