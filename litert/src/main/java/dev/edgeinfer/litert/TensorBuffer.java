package dev.edgeinfer.litert;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
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
    /** Where a lock writes the host address: allocated once, as a buffer is locked twice a frame. */
    private final Memory lockedAddress = new Memory(Native.POINTER_SIZE);
    /** A view of the memory last locked, reused while a lock gives the same address. */
    private ByteBuffer view;
    private long viewAddress;

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
        ByteBuffer memory = lock(LOCK_WRITE);
        try {
            memory.put(source);
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
        ByteBuffer memory = lock(LOCK_READ);
        try {
            target.put(memory);
        } finally {
            unlock();
        }
    }

    /** Locks the buffer; returns a view of its {@link #packedSize()} bytes, valid until the unlock. */
    private ByteBuffer lock(int mode) throws LiteRtException {
        LiteRtLibrary.check(HotCalls.LiteRtLockTensorBuffer(handle().getPointer(), lockedAddress, mode),
                "LiteRtLockTensorBuffer(" + (mode == LOCK_READ ? "read" : "write") + ")");
        Pointer address = lockedAddress.getPointer(0);
        long where = Pointer.nativeValue(address);
        if (view == null || where != viewAddress) {
            view = address.getByteBuffer(0, packedSize);
            viewAddress = where;
        }
        return view.clear();
    }

    private void unlock() throws LiteRtException {
        LiteRtLibrary.check(HotCalls.LiteRtUnlockTensorBuffer(handle().getPointer()), "LiteRtUnlockTensorBuffer");
    }

    @Override
    void free(TensorBufferHandle handle) {
        LiteRtLibrary.c().LiteRtDestroyTensorBuffer(handle);
    }
}
