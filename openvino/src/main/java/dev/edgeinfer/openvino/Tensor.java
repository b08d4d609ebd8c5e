package dev.edgeinfer.openvino;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.openvino.Handles.TensorHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A tensor ({@code ov_tensor_t}). Either it wraps a direct {@link ByteBuffer} without copying (the buffer stays
 * the caller's memory, and this object keeps it reachable), or the library allocates its memory, or it is a view
 * of an infer request's own output. {@link #close()} frees the tensor object; memory it wraps is not freed.
 */
public final class Tensor extends NativeObject<TensorHandle> {
    /** Keeps wrapped memory reachable for as long as the tensor, and any request it is set on, may read it. */
    private final ByteBuffer wrapped;

    private Tensor(Pointer handle, ByteBuffer wrapped) {
        super(new TensorHandle(handle));
        this.wrapped = wrapped;
    }

    /**
     * Wraps the memory of a direct buffer, from its position on, as a tensor: no copy. The buffer's contents
     * are read (or, for an output tensor, written) by inference.
     *
     * @param type   element type
     * @param shape  dimensions, all static
     * @param buffer a direct buffer with at least the tensor's byte size remaining
     * @return a new tensor that the caller closes
     * @throws IllegalArgumentException if the buffer is not direct or too small
     * @throws OpenVinoException if the library rejects the type or shape
     */
    public static Tensor wrap(ElementType type, long[] shape, ByteBuffer buffer) throws OpenVinoException {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("only a direct ByteBuffer can be wrapped without a copy");
        }
        long needed = byteSize(type, shape);
        if (buffer.remaining() < needed) {
            throw new IllegalArgumentException("tensor " + type.typeName() + Arrays.toString(shape) + " needs "
                    + needed + " bytes, buffer has " + buffer.remaining());
        }
        Pointer memory = Native.getDirectBufferPointer(buffer).share(buffer.position());
        return create(type, shape, memory, buffer);
    }

    /**
     * @param type  element type
     * @param shape dimensions, all static
     * @return a new tensor whose memory the library allocates and frees with it
     * @throws OpenVinoException if the library rejects the type or shape
     */
    public static Tensor allocate(ElementType type, long[] shape) throws OpenVinoException {
        return create(type, shape, null, null);
    }

    private static Tensor create(ElementType type, long[] shape, Pointer memory, ByteBuffer owner)
            throws OpenVinoException {
        OpenVinoC c = OpenVinoLibrary.c();
        Structs.Shape nativeShape = new Structs.Shape();
        OpenVinoLibrary.check(c.ov_shape_create(shape.length, shape, nativeShape), "ov_shape_create");
        try {
            PointerByReference out = new PointerByReference();
            Structs.ShapeByValue byValue = new Structs.ShapeByValue(nativeShape);
            if (memory == null) {
                OpenVinoLibrary.check(c.ov_tensor_create(type.code(), byValue, out), "ov_tensor_create");
            } else {
                OpenVinoLibrary.check(c.ov_tensor_create_from_host_ptr(type.code(), byValue, memory, out),
                        "ov_tensor_create_from_host_ptr");
            }
            return new Tensor(out.getValue(), owner);
        } finally {
            c.ov_shape_free(nativeShape);
        }
    }

    /** Takes ownership of a tensor handle the library wrote for the caller. */
    static Tensor adopt(Pointer handle) {
        return new Tensor(handle, null);
    }

    /**
     * @return the element type, as the library reports it
     * @throws OpenVinoException if the library fails
     */
    public ElementType elementType() throws OpenVinoException {
        IntByReference type = new IntByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_tensor_get_element_type(handle(), type),
                "ov_tensor_get_element_type");
        return ElementType.fromCode(type.getValue());
    }

    /**
     * @return the dimensions
     * @throws OpenVinoException if the library fails
     */
    public long[] shape() throws OpenVinoException {
        OpenVinoC c = OpenVinoLibrary.c();
        Structs.Shape shape = new Structs.Shape();
        OpenVinoLibrary.check(c.ov_tensor_get_shape(handle(), shape), "ov_tensor_get_shape");
        try {
            return shape.dimensions();
        } finally {
            c.ov_shape_free(shape);
        }
    }

    /**
     * @return the size of the tensor's memory in bytes
     * @throws OpenVinoException if the library fails
     */
    public long byteSize() throws OpenVinoException {
        LongByReference size = new LongByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_tensor_get_byte_size(handle(), size), "ov_tensor_get_byte_size");
        return size.getValue();
    }

    /**
     * Copies the tensor's bytes into {@code target} from its position on, advancing it.
     *
     * @param target where to copy; needs {@link #byteSize()} bytes remaining
     * @throws OpenVinoException if the library fails
     */
    public void copyTo(ByteBuffer target) throws OpenVinoException {
        long size = byteSize();
        PointerByReference data = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_tensor_data(handle(), data), "ov_tensor_data");
        target.put(data.getValue().getByteBuffer(0, size));
    }

    /** @return whether this tensor wraps caller memory rather than owning its own */
    public boolean wrapsCallerMemory() {
        return wrapped != null;
    }

    static long byteSize(ElementType type, long[] shape) {
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("a tensor needs a static shape: " + Arrays.toString(shape));
            }
            elements *= d;
        }
        return (elements * type.bits() + 7) / 8;
    }

    @Override
    void free(TensorHandle handle) {
        OpenVinoLibrary.c().ov_tensor_free(handle);
    }
}
