package dev.edgeinfer.litert;

import com.sun.jna.PointerType;
import java.util.List;

/**
 * Owns one native handle and frees it exactly once. Using the object after {@link #close()} throws
 * {@link IllegalStateException} instead of passing a dangling pointer to C.
 *
 * <p>LiteRT needs some objects to outlive others: the environment everything made in it, a model and the options
 * its compiled models were made from (the runtime keeps pointers into both). So an object names what it depends
 * on when it is made, and a dependency closed first is freed only once its last dependent has been freed: closing
 * in any order is safe, and try-with-resources order frees at once.
 */
abstract class NativeObject<H extends PointerType> implements AutoCloseable {
    private final H handle;
    private final List<NativeObject<?>> dependencies;
    private volatile boolean closed;
    private int dependents;
    private boolean freed;

    /**
     * @param handle       the handle the library wrote, now owned by this object
     * @param dependencies objects that must stay allocated while this one is
     * @throws IllegalStateException if a dependency is closed already
     */
    NativeObject(H handle, NativeObject<?>... dependencies) {
        if (handle == null || handle.getPointer() == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ": the library returned a null handle");
        }
        for (NativeObject<?> dependency : dependencies) {
            dependency.retain();
        }
        this.handle = handle;
        this.dependencies = List.of(dependencies);
    }

    /** @return the handle, for calls within the binding only */
    final H handle() {
        if (closed) {
            throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        }
        return handle;
    }

    /** @return whether {@link #close()} has been called */
    public final boolean isClosed() {
        return closed;
    }

    /**
     * Frees the native object, at once unless objects made from it are still open (then when the last of them is
     * closed); later calls do nothing.
     */
    @Override
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        freeWhenUnused();
    }

    private synchronized void retain() {
        if (closed) {
            throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        }
        dependents++;
    }

    private void dependentFreed() {
        synchronized (this) {
            dependents--;
        }
        freeWhenUnused();
    }

    private void freeWhenUnused() {
        synchronized (this) {
            if (!closed || dependents > 0 || freed) {
                return;
            }
            freed = true;
        }
        free(handle);
        dependencies.forEach(NativeObject::dependentFreed);
    }

    abstract void free(H handle);
}
