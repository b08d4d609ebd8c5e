package dev.edgeinfer.litert;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.litert.Handles.AcceleratorHandle;
import dev.edgeinfer.litert.Handles.CompiledModelHandle;
import dev.edgeinfer.litert.Handles.EnvironmentHandle;
import dev.edgeinfer.litert.Handles.ModelHandle;
import dev.edgeinfer.litert.Handles.OpaqueOptionsHandle;
import dev.edgeinfer.litert.Handles.OptionsHandle;
import dev.edgeinfer.litert.Handles.SignatureHandle;
import dev.edgeinfer.litert.Handles.TensorBufferHandle;
import dev.edgeinfer.litert.Handles.TensorBufferRequirementsHandle;
import dev.edgeinfer.litert.Handles.TensorHandle;
import dev.edgeinfer.litert.Structs.EnvOption;
import dev.edgeinfer.litert.Structs.QuantizationPerTensor;
import dev.edgeinfer.litert.Structs.RankedTensorType;

/**
 * The subset of {@code libLiteRt.so} this project uses, with the C names (the {@code CompiledModel} API of
 * {@code litert/c/}). Every {@code int} result is a {@code LiteRtStatus}; {@code size_t} and
 * {@code LiteRtParamIndex} are mapped to {@code long} (LP64 only: linux x86-64 and aarch64), a C {@code bool*} to a
 * one-byte {@link ByteByReference}. Out-parameters are {@link PointerByReference}; unless a method says the object
 * stays its parent's, the handle written into one is owned by the caller, who frees it with the matching
 * {@code LiteRtDestroy*}. Strings written into out-parameters stay the library's.
 */
interface LiteRtC extends Library {
    // litert_environment.h, internal/litert_accelerator.h
    /** {@code options} is the first of {@code numOptions} contiguous structs, or null; the library copies them. */
    int LiteRtCreateEnvironment(int numOptions, EnvOption options, PointerByReference environment);

    void LiteRtDestroyEnvironment(EnvironmentHandle environment);

    int LiteRtGetNumAccelerators(EnvironmentHandle environment, LongByReference numAccelerators);

    /** The accelerator stays the environment's. */
    int LiteRtGetAccelerator(EnvironmentHandle environment, long index, PointerByReference accelerator);

    int LiteRtGetAcceleratorName(AcceleratorHandle accelerator, PointerByReference name);

    int LiteRtGetAcceleratorHardwareSupport(AcceleratorHandle accelerator, IntByReference supportedHardware);

    // litert_model.h, litert_model_types.h
    int LiteRtCreateModelFromFile(EnvironmentHandle environment, String fileName, PointerByReference model);

    void LiteRtDestroyModel(ModelHandle model);

    int LiteRtGetNumModelSignatures(ModelHandle model, LongByReference numSignatures);

    /** The signature stays the model's. */
    int LiteRtGetModelSignature(ModelHandle model, long signatureIndex, PointerByReference signature);

    int LiteRtGetSignatureKey(SignatureHandle signature, PointerByReference key);

    int LiteRtGetNumSignatureInputs(SignatureHandle signature, LongByReference numInputs);

    int LiteRtGetNumSignatureOutputs(SignatureHandle signature, LongByReference numOutputs);

    int LiteRtGetSignatureInputName(SignatureHandle signature, long inputIndex, PointerByReference name);

    int LiteRtGetSignatureOutputName(SignatureHandle signature, long outputIndex, PointerByReference name);

    /** The tensor stays the model's. */
    int LiteRtGetSignatureInputTensorByIndex(SignatureHandle signature, long inputIndex, PointerByReference tensor);

    /** The tensor stays the model's. */
    int LiteRtGetSignatureOutputTensorByIndex(SignatureHandle signature, long outputIndex, PointerByReference tensor);

    int LiteRtGetRankedTensorType(TensorHandle tensor, RankedTensorType type);

    /** Writes a {@code LiteRtQuantizationTypeId}: 0 none, 1 per tensor, 2 per channel, 3 block-wise. */
    int LiteRtGetQuantizationTypeId(TensorHandle tensor, IntByReference typeId);

    int LiteRtGetPerTensorQuantization(TensorHandle tensor, QuantizationPerTensor quantization);

    // litert_options.h, litert_opaque_options.h
    int LiteRtCreateOptions(PointerByReference options);

    void LiteRtDestroyOptions(OptionsHandle options);

    int LiteRtSetOptionsHardwareAccelerators(OptionsHandle options, int hardwareAccelerators);

    /**
     * {@code destructor} is a C function pointer that the library calls with {@code payload} when the opaque options
     * are destroyed; it must not be null.
     */
    int LiteRtCreateOpaqueOptions(String identifier, Pointer payload, Pointer destructor, PointerByReference options);

    void LiteRtDestroyOpaqueOptions(OpaqueOptionsHandle options);

    /** On success the opaque options become the options' own, destroyed with them. */
    int LiteRtAddOpaqueOptions(OptionsHandle options, OpaqueOptionsHandle opaqueOptions);

    // litert_compiled_model.h
    /**
     * The compiled model keeps pointers into the model and the options: both must outlive it. {@code options} may be
     * null.
     */
    int LiteRtCreateCompiledModel(EnvironmentHandle environment, ModelHandle model, OptionsHandle options,
                                  PointerByReference compiledModel);

    void LiteRtDestroyCompiledModel(CompiledModelHandle compiledModel);

    int LiteRtCompiledModelIsFullyAccelerated(CompiledModelHandle compiledModel, ByteByReference fullyAccelerated);

    /** The requirements stay the compiled model's. */
    int LiteRtGetCompiledModelInputBufferRequirements(CompiledModelHandle compiledModel, long signatureIndex,
                                                      long inputIndex, PointerByReference requirements);

    /** The requirements stay the compiled model's. */
    int LiteRtGetCompiledModelOutputBufferRequirements(CompiledModelHandle compiledModel, long signatureIndex,
                                                       long outputIndex, PointerByReference requirements);

    // litert_tensor_buffer_requirements.h, litert_tensor_buffer.h
    int LiteRtGetTensorBufferRequirementsBufferSize(TensorBufferRequirementsHandle requirements, LongByReference size);

    int LiteRtCreateManagedTensorBufferFromRequirements(EnvironmentHandle environment, RankedTensorType type,
                                                        TensorBufferRequirementsHandle requirements,
                                                        PointerByReference buffer);

    void LiteRtDestroyTensorBuffer(TensorBufferHandle buffer);

    int LiteRtGetTensorBufferPackedSize(TensorBufferHandle buffer, LongByReference size);

    // The calls made per inference are in HotCalls.
}
