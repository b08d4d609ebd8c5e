package dev.edgeinfer.openvino;

import com.sun.jna.PointerType;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Owns one native handle and frees it exactly once. Using the object after {@link #close()} throws
 * {@link IllegalStateException} instead of passing a dangling pointer to C.
 */
abstract class NativeObject<H extends PointerType> implements AutoCloseable {
    private final H handle;
    private final AtomicBoolean closed = new AtomicBoolean();

    NativeObject(H handle) {
        if (handle == null || handle.getPointer() == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ": the library returned a null handle");
        }
        this.handle = handle;
    }

    /** @return the handle, for calls within the binding only */
    final H handle() {
        if (closed.get()) {
            throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        }
        return handle;
    }

    /** @return whether {@link #close()} has been called */
    public final boolean isClosed() {
        return closed.get();
    }

    /** Frees the native object; later calls do nothing. */
    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            free(handle);
        }
    }

    abstract void free(H handle);
}
