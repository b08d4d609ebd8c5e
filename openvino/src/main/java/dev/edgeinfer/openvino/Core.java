package dev.edgeinfer.openvino;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.openvino.Handles.CoreHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenVINO's runtime entry point ({@code ov_core_t}): reads models, compiles them for a device, answers device
 * questions. Thread-safe. Owns its native core, freed by {@link #close()}; models and compiled models made from
 * it are independent objects that the caller closes separately.
 */
public final class Core extends NativeObject<CoreHandle> {
    /** Compile-time property keys of the C API (see {@code ov_property.h}). */
    public static final String PERFORMANCE_HINT = "PERFORMANCE_HINT";
    public static final String INFERENCE_PRECISION_HINT = "INFERENCE_PRECISION_HINT";
    public static final String NUM_STREAMS = "NUM_STREAMS";
    public static final String INFERENCE_NUM_THREADS = "INFERENCE_NUM_THREADS";
    public static final String PERFORMANCE_HINT_NUM_REQUESTS = "PERFORMANCE_HINT_NUM_REQUESTS";
    public static final String FULL_DEVICE_NAME = "FULL_DEVICE_NAME";

    private Core(CoreHandle handle) {
        super(handle);
    }

    /**
     * Creates a core, loading the native library on first use.
     *
     * @return a new core that the caller closes
     * @throws OpenVinoException if the library cannot create one
     * @throws UnsatisfiedLinkError if the library is missing or not the pinned version
     */
    public static Core create() throws OpenVinoException {
        PointerByReference out = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_core_create(out), "ov_core_create");
        return new Core(new CoreHandle(out.getValue()));
    }

    /**
     * @return the devices the plugins report, e.g. {@code [CPU]} or {@code [CPU, GPU.0, NPU]}
     * @throws OpenVinoException if the plugins cannot be queried
     */
    public List<String> availableDevices() throws OpenVinoException {
        OpenVinoC c = OpenVinoLibrary.c();
        Structs.AvailableDevices devices = new Structs.AvailableDevices();
        OpenVinoLibrary.check(c.ov_core_get_available_devices(handle(), devices), "ov_core_get_available_devices");
        try {
            List<String> names = new ArrayList<>();
            if (devices.size > 0) {
                for (Pointer name : devices.devices.getPointerArray(0, (int) devices.size)) {
                    names.add(name.getString(0));
                }
            }
            return List.copyOf(names);
        } finally {
            c.ov_available_devices_free(devices);
        }
    }

    /**
     * @param device a device name such as {@code CPU}
     * @param key    a property key such as {@link #FULL_DEVICE_NAME}
     * @return the property's value as text
     * @throws OpenVinoException if the device or the key is unknown
     */
    public String property(String device, String key) throws OpenVinoException {
        PointerByReference value = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_core_get_property(handle(), device, key, value),
                "ov_core_get_property(" + device + ", " + key + ")");
        return OpenVinoLibrary.takeString(value.getValue());
    }

    /**
     * Reads an IR ({@code .xml}, weights from the {@code .bin} beside it) or an ONNX file.
     *
     * @param modelFile the model file
     * @return a new model that the caller closes
     * @throws OpenVinoException if the file cannot be read or parsed
     */
    public Model readModel(Path modelFile) throws OpenVinoException {
        return readModel(modelFile, null);
    }

    /**
     * @param modelFile   the model file
     * @param weightsFile the IR weights file, or {@code null} for the default (ignored for ONNX)
     * @return a new model that the caller closes
     * @throws OpenVinoException if the files cannot be read or parsed
     */
    public Model readModel(Path modelFile, Path weightsFile) throws OpenVinoException {
        PointerByReference out = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_core_read_model(handle(), modelFile.toString(),
                weightsFile == null ? null : weightsFile.toString(), out), "ov_core_read_model(" + modelFile + ")");
        return new Model(out.getValue());
    }

    /**
     * Compiles a model for a device. The model may be closed afterwards; the compiled model does not need it.
     *
     * @param model      the model
     * @param device     {@code CPU}, {@code GPU}, {@code NPU}, {@code AUTO}, ...
     * @param properties compile-time properties, e.g. {@link #PERFORMANCE_HINT} to {@code THROUGHPUT}
     * @return a new compiled model that the caller closes
     * @throws OpenVinoException if the device is unavailable, a property is rejected, or compilation fails
     */
    public CompiledModel compileModel(Model model, String device, Map<String, String> properties)
            throws OpenVinoException {
        Object[] pairs = new Object[properties.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> property : properties.entrySet()) {
            pairs[i++] = property.getKey();
            pairs[i++] = property.getValue();
        }
        PointerByReference out = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_core_compile_model(handle(), model.handle(), device,
                pairs.length, out, pairs), "ov_core_compile_model(" + device + ", " + properties + ")");
        return new CompiledModel(out.getValue());
    }

    @Override
    void free(CoreHandle handle) {
        OpenVinoLibrary.c().ov_core_free(handle);
    }
}
