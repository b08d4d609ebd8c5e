package dev.edgeinfer.litert;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.litert.Handles.OpaqueOptionsHandle;
import dev.edgeinfer.litert.Handles.OptionsHandle;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * How to compile a model ({@code LiteRtOptions}): the hardware accelerators and the CPU accelerator's threads. Not
 * thread-safe. Owns its native options, freed by {@link #close()} once the compiled models made with them are
 * closed too (the runtime keeps a pointer into them).
 */
public final class CompilationOptions extends NativeObject<OptionsHandle> {
    /** The opaque-options identifier of the CPU accelerator (XNNPACK) in {@code litert_cpu_options}. */
    static final String CPU_OPTIONS_ID = "xnnpack";

    private boolean cpuOptionsAdded;

    private CompilationOptions(Pointer handle) {
        super(new OptionsHandle(handle));
    }

    /**
     * Creates options for the CPU. LiteRT itself names no accelerator by default, and refuses to compile with
     * options that name none ({@code INVALID_ARGUMENT}).
     *
     * @return new options that the caller closes
     * @throws LiteRtException if the library cannot create them
     * @throws UnsatisfiedLinkError if the library is missing or not the pinned version
     */
    public static CompilationOptions create() throws LiteRtException {
        PointerByReference out = new PointerByReference();
        LiteRtLibrary.check(LiteRtLibrary.c().LiteRtCreateOptions(out), "LiteRtCreateOptions");
        CompilationOptions options = new CompilationOptions(out.getValue());
        try {
            return options.hardwareAccelerators(Set.of(HardwareAccelerator.CPU));
        } catch (LiteRtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /**
     * @param accelerators the hardware the compiled model may run on, e.g. GPU with CPU for the operations the GPU
     *                     does not support
     * @return these options
     * @throws LiteRtException if the library rejects the set
     */
    public CompilationOptions hardwareAccelerators(Set<HardwareAccelerator> accelerators) throws LiteRtException {
        LiteRtLibrary.check(LiteRtLibrary.c().LiteRtSetOptionsHardwareAccelerators(handle(),
                HardwareAccelerator.mask(accelerators)), "LiteRtSetOptionsHardwareAccelerators(" + accelerators + ")");
        return this;
    }

    /**
     * Sets how many threads XNNPACK, the CPU accelerator, runs a compiled model's operations on. The pinned library
     * does not export the CPU-options helpers ({@code LrtSetCpuOptionsNumThread}); they only build opaque options with
     * the identifier {@value #CPU_OPTIONS_ID} and a TOML payload, which is what this does.
     *
     * @param threads at least 1
     * @return these options
     * @throws LiteRtException if the library rejects the options
     * @throws IllegalArgumentException if {@code threads} is below 1
     * @throws IllegalStateException if the CPU threads were set already
     */
    public CompilationOptions cpuThreads(int threads) throws LiteRtException {
        if (threads < 1) {
            throw new IllegalArgumentException("CPU threads must be at least 1, is " + threads);
        }
        if (cpuOptionsAdded) {
            throw new IllegalStateException("the CPU threads are set already");
        }
        addOpaque(CPU_OPTIONS_ID, cpuOptionsToml(threads));
        cpuOptionsAdded = true;
        return this;
    }

    static String cpuOptionsToml(int threads) {
        return "num_threads = " + threads + "\n";
    }

    /** Adds opaque options whose payload is a C string, freed by libc's {@code free} when the options are. */
    private void addOpaque(String identifier, String payload) throws LiteRtException {
        OptionsHandle options = handle();
        LiteRtC c = LiteRtLibrary.c();
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        Pointer data = new Pointer(Native.malloc(bytes.length + 1L));
        data.write(0, bytes, 0, bytes.length);
        data.setByte(bytes.length, (byte) 0);
        PointerByReference out = new PointerByReference();
        int status = c.LiteRtCreateOpaqueOptions(identifier, data, LiteRtLibrary.free(), out);
        if (status != 0) {
            Native.free(Pointer.nativeValue(data));
            LiteRtLibrary.check(status, "LiteRtCreateOpaqueOptions(" + identifier + ")");
        }
        OpaqueOptionsHandle opaque = new OpaqueOptionsHandle(out.getValue());
        status = c.LiteRtAddOpaqueOptions(options, opaque);
        if (status != 0) {
            c.LiteRtDestroyOpaqueOptions(opaque);
            LiteRtLibrary.check(status, "LiteRtAddOpaqueOptions(" + identifier + ")");
        }
    }

    @Override
    void free(OptionsHandle handle) {
        LiteRtLibrary.c().LiteRtDestroyOptions(handle);
    }
}
