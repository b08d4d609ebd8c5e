package dev.edgeinfer.litert;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The C functions called once or more per inference, bound with JNA's direct mapping ({@code static native} methods
 * registered on the loaded library) instead of the {@link LiteRtC} interface: an interface call goes through a proxy
 * and converts its arguments reflectively, which cost 6 to 8 us per {@code LiteRtRunCompiledModel} against a direct
 * call's fraction of one (a 32x32 INT8 classification takes about 170 us on one core). Arguments are raw pointers,
 * which direct mapping passes without conversion: the callers in this package unwrap their handles.
 */
final class HotCalls {
    private HotCalls() {
    }

    /** The names bound, for the load's check of what the library exports. */
    static final String[] NAMES = {"LiteRtRunCompiledModel", "LiteRtLockTensorBuffer", "LiteRtUnlockTensorBuffer"};

    /** Binds the methods below to {@code library}; called once, by the load. */
    static void register(NativeLibrary library) {
        Native.register(HotCalls.class, library);
    }

    /**
     * Runs synchronously on the calling thread. {@code inputs} and {@code outputs} point at arrays of
     * {@code LiteRtTensorBuffer} handles, read during the call only.
     */
    static native int LiteRtRunCompiledModel(Pointer compiledModel, long signatureIndex, long numInputs, Pointer inputs,
                                             long numOutputs, Pointer outputs);

    /**
     * {@code lockMode}: 0 read, 1 write, 2 read-write. Writes the host address, valid until the unlock, into the
     * eight bytes at {@code hostAddress}.
     */
    static native int LiteRtLockTensorBuffer(Pointer buffer, Pointer hostAddress, int lockMode);

    static native int LiteRtUnlockTensorBuffer(Pointer buffer);
}
