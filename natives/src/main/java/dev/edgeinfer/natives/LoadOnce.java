package dev.edgeinfer.natives;

import java.util.function.Supplier;

/**
 * A native library loaded at most once per JVM: the first call loads it; a failure is remembered, so every later call
 * throws the same error at once instead of searching and loading again.
 *
 * @param <T> what a successful load gives, e.g. the bound interface with the file and version it came from
 */
public final class LoadOnce<T> {

    private final Supplier<T> load;
    private T loaded;
    private String failure;

    /** @param load loads the library, throwing {@link UnsatisfiedLinkError} with the reason when it cannot */
    public LoadOnce(Supplier<T> load) {
        this.load = load;
    }

    /**
     * @return what the load gave
     * @throws UnsatisfiedLinkError the first load's error, on this call and every later one
     */
    public synchronized T get() {
        if (loaded != null) {
            return loaded;
        }
        if (failure != null) {
            throw new UnsatisfiedLinkError(failure);
        }
        try {
            loaded = load.get();
            return loaded;
        } catch (UnsatisfiedLinkError e) {
            failure = e.getMessage();
            throw e;
        }
    }
}
