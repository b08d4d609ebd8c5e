package dev.edgeinfer.litert;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.litert.Handles.AcceleratorHandle;
import dev.edgeinfer.litert.Handles.EnvironmentHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * LiteRT's runtime context ({@code LiteRtEnvironment}): the accelerators it registered, and what models, compiled
 * models and tensor buffers are made in. Owns its native environment, freed by {@link #close()} once everything
 * made in it has been closed too.
 */
public final class Environment extends NativeObject<EnvironmentHandle> {
    /** {@code kLiteRtLogSeverityError}: LiteRT's INFO and WARNING lines are left out, errors are written. */
    private static final int LOG_ERRORS_ONLY = 3;

    /** The folder option's string; kept for as long as the environment, which may read it. */
    private final Memory libraryDir;

    private Environment(Pointer handle, Memory libraryDir) {
        super(new EnvironmentHandle(handle));
        this.libraryDir = libraryDir;
    }

    /**
     * Creates an environment that registers the given accelerators only, looks for accelerator libraries (GPU, NPU)
     * in the folder of the loaded {@code libLiteRt.so}, and logs errors only. Loads the native library on first use.
     *
     * @param accelerators what to register: {@link HardwareAccelerator#CPU} needs nothing beyond the library; GPU
     *                     and NPU register only where their accelerator library and its drivers are present
     * @return a new environment that the caller closes
     * @throws LiteRtException if the library cannot create one
     * @throws UnsatisfiedLinkError if the library is missing or not the pinned version
     */
    public static Environment create(Set<HardwareAccelerator> accelerators) throws LiteRtException {
        LiteRtC c = LiteRtLibrary.c();
        Memory libraryDir = cString(LiteRtLibrary.libraryFile().getParent().toString());
        Structs.EnvOption[] options = (Structs.EnvOption[]) new Structs.EnvOption().toArray(3);
        set(options[0], Structs.EnvOption.MIN_LOGGER_SEVERITY, Structs.Any.INT, LOG_ERRORS_ONLY);
        set(options[1], Structs.EnvOption.AUTO_REGISTER_ACCELERATORS, Structs.Any.INT,
                HardwareAccelerator.mask(accelerators));
        set(options[2], Structs.EnvOption.RUNTIME_LIBRARY_DIR, Structs.Any.STRING, Pointer.nativeValue(libraryDir));
        PointerByReference out = new PointerByReference();
        LiteRtLibrary.check(c.LiteRtCreateEnvironment(options.length, options[0], out),
                "LiteRtCreateEnvironment(" + accelerators + ")");
        return new Environment(out.getValue(), libraryDir);
    }

    static Memory cString(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Memory memory = new Memory(bytes.length + 1L);
        memory.write(0, bytes, 0, bytes.length);
        memory.setByte(bytes.length, (byte) 0);
        return memory;
    }

    private static void set(Structs.EnvOption option, int tag, int type, long value) {
        option.tag = tag;
        option.value.type = type;
        option.value.value = value;
        option.write();
    }

    /**
     * @return the accelerators this environment registered, e.g. {@code CpuAccelerator} for the CPU
     * @throws LiteRtException if the library fails
     */
    public List<Accelerator> accelerators() throws LiteRtException {
        LiteRtC c = LiteRtLibrary.c();
        LongByReference count = new LongByReference();
        LiteRtLibrary.check(c.LiteRtGetNumAccelerators(handle(), count), "LiteRtGetNumAccelerators");
        List<Accelerator> accelerators = new ArrayList<>();
        for (long i = 0; i < count.getValue(); i++) {
            PointerByReference out = new PointerByReference();
            LiteRtLibrary.check(c.LiteRtGetAccelerator(handle(), i, out), "LiteRtGetAccelerator(" + i + ")");
            AcceleratorHandle accelerator = new AcceleratorHandle(out.getValue());
            PointerByReference name = new PointerByReference();
            LiteRtLibrary.check(c.LiteRtGetAcceleratorName(accelerator, name), "LiteRtGetAcceleratorName(" + i + ")");
            IntByReference hardware = new IntByReference();
            LiteRtLibrary.check(c.LiteRtGetAcceleratorHardwareSupport(accelerator, hardware),
                    "LiteRtGetAcceleratorHardwareSupport(" + i + ")");
            accelerators.add(new Accelerator(name.getValue().getString(0),
                    HardwareAccelerator.fromMask(hardware.getValue())));
        }
        return List.copyOf(accelerators);
    }

    @Override
    void free(EnvironmentHandle handle) {
        LiteRtLibrary.c().LiteRtDestroyEnvironment(handle);
        libraryDir.close();
    }
}
