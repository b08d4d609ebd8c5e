package dev.edgeinfer.openvino;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.openvino.Handles.CompiledModelHandle;
import dev.edgeinfer.openvino.Handles.ConstPortHandle;
import dev.edgeinfer.openvino.Handles.CoreHandle;
import dev.edgeinfer.openvino.Handles.InferRequestHandle;
import dev.edgeinfer.openvino.Handles.InputInfoHandle;
import dev.edgeinfer.openvino.Handles.InputModelInfoHandle;
import dev.edgeinfer.openvino.Handles.InputTensorInfoHandle;
import dev.edgeinfer.openvino.Handles.LayoutHandle;
import dev.edgeinfer.openvino.Handles.ModelHandle;
import dev.edgeinfer.openvino.Handles.PrePostProcessorHandle;
import dev.edgeinfer.openvino.Handles.PreprocessStepsHandle;
import dev.edgeinfer.openvino.Handles.TensorHandle;
import dev.edgeinfer.openvino.Structs.AvailableDevices;
import dev.edgeinfer.openvino.Structs.CallbackStruct;
import dev.edgeinfer.openvino.Structs.PartialShape;
import dev.edgeinfer.openvino.Structs.Shape;
import dev.edgeinfer.openvino.Structs.ShapeByValue;
import dev.edgeinfer.openvino.Structs.Version;

/**
 * The subset of {@code libopenvino_c} this project uses, with the C names. Every {@code int} result is an
 * {@code ov_status_e}; {@code size_t} is mapped to {@code long} (LP64 only: linux x86-64 and aarch64).
 * Interface mapping rather than direct mapping, because {@code ov_core_compile_model} is variadic.
 * Out-parameters are {@link PointerByReference}; the handle written into one is owned by the caller, who frees
 * it with the matching {@code *_free}.
 */
interface OpenVinoC extends Library {
    // ov_common.h
    String ov_get_error_info(int status);

    /** Returns a copy of the calling thread's last error text; the caller frees it with {@link #ov_free}. */
    Pointer ov_get_last_err_msg();

    void ov_free(Pointer content);

    // ov_core.h
    int ov_get_openvino_version(Version version);

    void ov_version_free(Version version);

    int ov_core_create(PointerByReference core);

    void ov_core_free(CoreHandle core);

    int ov_core_read_model(CoreHandle core, String modelPath, String binPath, PointerByReference model);

    /** {@code properties} are {@code char*} key/value pairs; {@code propertyArgsSize} counts keys and values. */
    int ov_core_compile_model(CoreHandle core, ModelHandle model, String deviceName, long propertyArgsSize,
                              PointerByReference compiledModel, Object... properties);

    /** The value written to {@code propertyValue} is the caller's, freed with {@link #ov_free}. */
    int ov_core_get_property(CoreHandle core, String deviceName, String propertyKey,
                             PointerByReference propertyValue);

    int ov_core_get_available_devices(CoreHandle core, AvailableDevices devices);

    void ov_available_devices_free(AvailableDevices devices);

    // ov_model.h
    void ov_model_free(ModelHandle model);

    int ov_model_inputs_size(ModelHandle model, LongByReference size);

    int ov_model_outputs_size(ModelHandle model, LongByReference size);

    int ov_model_const_input_by_index(ModelHandle model, long index, PointerByReference port);

    int ov_model_const_output_by_index(ModelHandle model, long index, PointerByReference port);

    /** C {@code bool} is one byte; JNA maps {@code boolean} to a four-byte int, so read a byte. */
    byte ov_model_is_dynamic(ModelHandle model);

    /** Reshapes the model's only input in place; the shape stays the caller's. */
    int ov_model_reshape_single_input(ModelHandle model, Structs.PartialShapeByValue partialShape);

    /** The name written to {@code friendlyName} is the caller's, freed with {@link #ov_free}. */
    int ov_model_get_friendly_name(ModelHandle model, PointerByReference friendlyName);

    // ov_node.h
    /** The name written to {@code tensorName} is the caller's, freed with {@link #ov_free}. */
    int ov_port_get_any_name(ConstPortHandle port, PointerByReference tensorName);

    int ov_port_get_partial_shape(ConstPortHandle port, PartialShape partialShape);

    int ov_port_get_element_type(ConstPortHandle port, IntByReference elementType);

    void ov_output_const_port_free(ConstPortHandle port);

    // ov_partial_shape.h, ov_shape.h
    void ov_partial_shape_free(PartialShape partialShape);

    /** Fills {@code partialShape} with a static shape; release it with {@link #ov_partial_shape_free}. */
    int ov_partial_shape_create_static(long rank, long[] dims, PartialShape partialShape);

    int ov_shape_create(long rank, long[] dims, Shape shape);

    int ov_shape_free(Shape shape);

    // ov_compiled_model.h
    void ov_compiled_model_free(CompiledModelHandle compiledModel);

    int ov_compiled_model_create_infer_request(CompiledModelHandle compiledModel, PointerByReference request);

    int ov_compiled_model_input_by_index(CompiledModelHandle compiledModel, long index, PointerByReference port);

    int ov_compiled_model_output_by_index(CompiledModelHandle compiledModel, long index, PointerByReference port);

    int ov_compiled_model_inputs_size(CompiledModelHandle compiledModel, LongByReference size);

    int ov_compiled_model_outputs_size(CompiledModelHandle compiledModel, LongByReference size);

    /** The value written to {@code propertyValue} is the caller's, freed with {@link #ov_free}. */
    int ov_compiled_model_get_property(CompiledModelHandle compiledModel, String propertyKey,
                                       PointerByReference propertyValue);

    // ov_infer_request.h
    void ov_infer_request_free(InferRequestHandle request);

    /** The request keeps its own reference to the tensor; the caller may free its handle afterwards. */
    int ov_infer_request_set_input_tensor_by_index(InferRequestHandle request, long index, TensorHandle tensor);

    int ov_infer_request_set_output_tensor_by_index(InferRequestHandle request, long index, TensorHandle tensor);

    /** Writes a new handle that the caller frees with {@code ov_tensor_free}; its memory stays the request's. */
    int ov_infer_request_get_output_tensor_by_index(InferRequestHandle request, long index,
                                                    PointerByReference tensor);

    int ov_infer_request_infer(InferRequestHandle request);

    int ov_infer_request_start_async(InferRequestHandle request);

    int ov_infer_request_wait(InferRequestHandle request);

    int ov_infer_request_wait_for(InferRequestHandle request, long timeoutMillis);

    int ov_infer_request_cancel(InferRequestHandle request);

    /** The library keeps the struct's address: it must outlive the request. */
    int ov_infer_request_set_callback(InferRequestHandle request, CallbackStruct callback);

    // ov_tensor.h
    /** The tensor does not own {@code hostPtr}: the memory must outlive the tensor and every request using it. */
    int ov_tensor_create_from_host_ptr(int elementType, ShapeByValue shape, Pointer hostPtr,
                                       PointerByReference tensor);

    int ov_tensor_create(int elementType, ShapeByValue shape, PointerByReference tensor);

    int ov_tensor_get_element_type(TensorHandle tensor, IntByReference elementType);

    /** Fills {@code shape}; release it with {@link #ov_shape_free}. */
    int ov_tensor_get_shape(TensorHandle tensor, Shape shape);

    int ov_tensor_get_byte_size(TensorHandle tensor, LongByReference byteSize);

    int ov_tensor_data(TensorHandle tensor, PointerByReference data);

    void ov_tensor_free(TensorHandle tensor);

    // ov_layout.h
    int ov_layout_create(String layoutDesc, PointerByReference layout);

    void ov_layout_free(LayoutHandle layout);

    // ov_prepostprocess.h
    int ov_preprocess_prepostprocessor_create(ModelHandle model, PointerByReference preprocess);

    void ov_preprocess_prepostprocessor_free(PrePostProcessorHandle preprocess);

    int ov_preprocess_prepostprocessor_get_input_info_by_index(PrePostProcessorHandle preprocess, long index,
                                                               PointerByReference inputInfo);

    void ov_preprocess_input_info_free(InputInfoHandle inputInfo);

    int ov_preprocess_input_info_get_tensor_info(InputInfoHandle inputInfo, PointerByReference tensorInfo);

    void ov_preprocess_input_tensor_info_free(InputTensorInfoHandle tensorInfo);

    int ov_preprocess_input_tensor_info_set_element_type(InputTensorInfoHandle tensorInfo, int elementType);

    int ov_preprocess_input_tensor_info_set_layout(InputTensorInfoHandle tensorInfo, LayoutHandle layout);

    int ov_preprocess_input_info_get_model_info(InputInfoHandle inputInfo, PointerByReference modelInfo);

    void ov_preprocess_input_model_info_free(InputModelInfoHandle modelInfo);

    int ov_preprocess_input_model_info_set_layout(InputModelInfoHandle modelInfo, LayoutHandle layout);

    int ov_preprocess_input_info_get_preprocess_steps(InputInfoHandle inputInfo, PointerByReference steps);

    void ov_preprocess_preprocess_steps_free(PreprocessStepsHandle steps);

    int ov_preprocess_preprocess_steps_convert_element_type(PreprocessStepsHandle steps, int elementType);

    int ov_preprocess_preprocess_steps_mean_multi_channels(PreprocessStepsHandle steps, float[] values, int size);

    int ov_preprocess_preprocess_steps_scale_multi_channels(PreprocessStepsHandle steps, float[] values, int size);

    int ov_preprocess_preprocess_steps_convert_layout(PreprocessStepsHandle steps, LayoutHandle layout);

    /** Writes a new model that the caller frees with {@code ov_model_free}. */
    int ov_preprocess_prepostprocessor_build(PrePostProcessorHandle preprocess, PointerByReference model);
}
