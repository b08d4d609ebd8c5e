package dev.edgeinfer.litert;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.litert.Handles.TensorBufferHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A tensor's memory ({@code LiteRtTensorBuffer}) that a compiled model reads an input from or writes an output
 * into, allocated by LiteRT as the compiled model requires. Data goes in and out by copy, with the buffer locked
 * for the copy. Not thread-safe. Owns its native buffer, freed by {@link #close()}; keeps its environment and
 * compiled model allocated while it is.
 */
public final class TensorBuffer extends NativeObject<TensorBufferHandle> {
    /** {@code LiteRtTensorBufferLockMode}. */
    private static final int LOCK_READ = 0;
    private static final int LOCK_WRITE = 1;

    private final ElementType elementType;
    private final List<Integer> shape;
    private final long packedSize;
    private final PointerByReference lockedAddress = new PointerByReference();

    private TensorBuffer(TensorBufferHandle handle, Structs.RankedTensorType type, long packedSize,
                         NativeObject<?>... dependencies) {
        super(handle, dependencies);
        this.elementType = ElementType.fromCode(type.elementType);
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < type.layout.rank(); d++) {
            dims.add(type.layout.dimensions[d]);
        }
        this.shape = List.copyOf(dims);
        this.packedSize = packedSize;
    }

    /** Takes ownership of a buffer the library made for the caller; frees it if its size cannot be read. */
    static TensorBuffer adopt(Pointer handle, Structs.RankedTensorType type, Environment environment,
                              CompiledModel compiledModel)
            throws LiteRtException {
        TensorBufferHandle buffer = new TensorBufferHandle(handle);
        LongByReference size = new LongByReference();
        int status = LiteRtLibrary.c().LiteRtGetTensorBufferPackedSize(buffer, size);
        if (status != 0) {
            LiteRtLibrary.c().LiteRtDestroyTensorBuffer(buffer);
            LiteRtLibrary.check(status, "LiteRtGetTensorBufferPackedSize");
        }
        return new TensorBuffer(buffer, type, size.getValue(), environment, compiledModel);
    }

    /** @return the element type */
    public ElementType elementType() {
        return elementType;
    }

    /** @return the dimensions */
    public List<Integer> shape() {
        return shape;
    }

    /** @return the tensor's size in bytes, without the padding the allocation may add for alignment */
    public long packedSize() {
        return packedSize;
    }

    /**
     * Copies {@code source}'s bytes, from its position on, into the buffer, advancing it.
     *
     * @param source exactly {@link #packedSize()} bytes remaining
     * @throws LiteRtException if the buffer cannot be locked
     * @throws IllegalArgumentException if {@code source} has another number of bytes remaining
     */
    public void write(ByteBuffer source) throws LiteRtException {
        if (source.remaining() != packedSize) {
            throw new IllegalArgumentException("tensor " + elementType + shape + " takes " + packedSize
                    + " bytes, the source has " + source.remaining());
        }
        Pointer address = lock(LOCK_WRITE);
        try {
            address.getByteBuffer(0, packedSize).put(source);
        } finally {
            unlock();
        }
    }

    /**
     * Copies the buffer's {@link #packedSize()} bytes into {@code target}, from its position on, advancing it.
     *
     * @param target at least {@link #packedSize()} bytes remaining
     * @throws LiteRtException if the buffer cannot be locked
     * @throws IllegalArgumentException if {@code target} has too few bytes remaining
     */
    public void read(ByteBuffer target) throws LiteRtException {
        if (target.remaining() < packedSize) {
            throw new IllegalArgumentException("tensor " + elementType + shape + " has " + packedSize
                    + " bytes, the target room for " + target.remaining());
        }
        Pointer address = lock(LOCK_READ);
        try {
            target.put(address.getByteBuffer(0, packedSize));
        } finally {
            unlock();
        }
    }

    private Pointer lock(int mode) throws LiteRtException {
        // One out-parameter for the buffer's life: a PointerByReference a call is native memory with a cleaner, and
        // a buffer is locked twice a frame.
        LiteRtLibrary.check(LiteRtLibrary.c().LiteRtLockTensorBuffer(handle(), lockedAddress, mode),
                "LiteRtLockTensorBuffer(" + (mode == LOCK_READ ? "read" : "write") + ")");
        return lockedAddress.getValue();
    }

    private void unlock() throws LiteRtException {
        LiteRtLibrary.check(LiteRtLibrary.c().LiteRtUnlockTensorBuffer(handle()), "LiteRtUnlockTensorBuffer");
    }

    @Override
    void free(TensorBufferHandle handle) {
        LiteRtLibrary.c().LiteRtDestroyTensorBuffer(handle);
    }
}
