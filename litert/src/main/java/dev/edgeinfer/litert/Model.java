package dev.edgeinfer.litert;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.litert.Handles.ModelHandle;
import dev.edgeinfer.litert.Handles.SignatureHandle;
import dev.edgeinfer.litert.Handles.TensorHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code .tflite} model as read from a file ({@code LiteRtModel}), described through its signatures. Owns its
 * native model, freed by {@link #close()} once the compiled models made from it are closed too (they keep pointers
 * into it). Keeps its environment allocated while it is.
 */
public final class Model extends NativeObject<ModelHandle> {
    private Model(Pointer handle, Environment environment) {
        super(new ModelHandle(handle), environment);
    }

    /**
     * Reads a model file.
     *
     * @param environment the environment to read it in
     * @param file        a {@code .tflite} file
     * @return a new model that the caller closes
     * @throws LiteRtException if the file cannot be read or is not a model ({@code FILE_IO} in 2.3.0 for both)
     */
    public static Model load(Environment environment, Path file) throws LiteRtException {
        PointerByReference out = new PointerByReference();
        LiteRtLibrary.check(LiteRtLibrary.c().LiteRtCreateModelFromFile(environment.handle(), file.toString(), out),
                "LiteRtCreateModelFromFile(" + file + ")");
        return new Model(out.getValue(), environment);
    }

    /**
     * @return the signature keys in index order, e.g. {@code [serving_default]}
     * @throws LiteRtException if the library fails
     */
    public List<String> signatureKeys() throws LiteRtException {
        LiteRtC c = LiteRtLibrary.c();
        LongByReference count = new LongByReference();
        LiteRtLibrary.check(c.LiteRtGetNumModelSignatures(handle(), count), "LiteRtGetNumModelSignatures");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count.getValue(); i++) {
            PointerByReference key = new PointerByReference();
            LiteRtLibrary.check(c.LiteRtGetSignatureKey(signature(i), key), "LiteRtGetSignatureKey(" + i + ")");
            keys.add(key.getValue().getString(0));
        }
        return List.copyOf(keys);
    }

    /**
     * @param signature a signature index
     * @return the signature's inputs, in order
     * @throws LiteRtException if there is no such signature
     */
    public List<TensorDescription> inputs(int signature) throws LiteRtException {
        return describe(signature, true);
    }

    /**
     * @param signature a signature index
     * @return the signature's outputs, in order
     * @throws LiteRtException if there is no such signature
     */
    public List<TensorDescription> outputs(int signature) throws LiteRtException {
        return describe(signature, false);
    }

    private List<TensorDescription> describe(int signatureIndex, boolean inputs) throws LiteRtException {
        LiteRtC c = LiteRtLibrary.c();
        SignatureHandle signature = signature(signatureIndex);
        LongByReference count = new LongByReference();
        LiteRtLibrary.check(inputs ? c.LiteRtGetNumSignatureInputs(signature, count)
                : c.LiteRtGetNumSignatureOutputs(signature, count), "LiteRtGetNumSignature" + side(inputs) + "s");
        List<TensorDescription> tensors = new ArrayList<>();
        for (int i = 0; i < count.getValue(); i++) {
            PointerByReference name = new PointerByReference();
            LiteRtLibrary.check(inputs ? c.LiteRtGetSignatureInputName(signature, i, name)
                    : c.LiteRtGetSignatureOutputName(signature, i, name),
                    "LiteRtGetSignature" + side(inputs) + "Name(" + i + ")");
            TensorHandle tensor = tensor(signature, inputs, i);
            Structs.RankedTensorType type = rankedType(tensor);
            List<Integer> shape = new ArrayList<>();
            for (int d = 0; d < type.layout.rank(); d++) {
                shape.add(type.layout.dimensions[d]);
            }
            tensors.add(new TensorDescription(name.getValue().getString(0), ElementType.fromCode(type.elementType),
                    shape, quantization(tensor)));
        }
        return List.copyOf(tensors);
    }

    /** The type the model declares for a tensor of a signature, as tensor buffers for it are made with. */
    Structs.RankedTensorType rankedType(int signatureIndex, boolean input, int index) throws LiteRtException {
        return rankedType(tensor(signature(signatureIndex), input, index));
    }

    private SignatureHandle signature(int index) throws LiteRtException {
        PointerByReference out = new PointerByReference();
        LiteRtLibrary.check(LiteRtLibrary.c().LiteRtGetModelSignature(handle(), index, out),
                "LiteRtGetModelSignature(" + index + ")");
        return new SignatureHandle(out.getValue());
    }

    private static TensorHandle tensor(SignatureHandle signature, boolean input, int index) throws LiteRtException {
        LiteRtC c = LiteRtLibrary.c();
        PointerByReference out = new PointerByReference();
        LiteRtLibrary.check(input ? c.LiteRtGetSignatureInputTensorByIndex(signature, index, out)
                : c.LiteRtGetSignatureOutputTensorByIndex(signature, index, out),
                "LiteRtGetSignature" + side(input) + "TensorByIndex(" + index + ")");
        return new TensorHandle(out.getValue());
    }

    private static Structs.RankedTensorType rankedType(TensorHandle tensor) throws LiteRtException {
        Structs.RankedTensorType type = new Structs.RankedTensorType();
        LiteRtLibrary.check(LiteRtLibrary.c().LiteRtGetRankedTensorType(tensor, type), "LiteRtGetRankedTensorType");
        return type;
    }

    private static Quantization quantization(TensorHandle tensor) throws LiteRtException {
        LiteRtC c = LiteRtLibrary.c();
        IntByReference typeId = new IntByReference();
        LiteRtLibrary.check(c.LiteRtGetQuantizationTypeId(tensor, typeId), "LiteRtGetQuantizationTypeId");
        Quantization.Kind kind = Quantization.Kind.fromCode(typeId.getValue());
        if (kind != Quantization.Kind.PER_TENSOR) {
            return kind == Quantization.Kind.NONE ? Quantization.NONE : new Quantization(kind, 0f, 0L);
        }
        Structs.QuantizationPerTensor q = new Structs.QuantizationPerTensor();
        LiteRtLibrary.check(c.LiteRtGetPerTensorQuantization(tensor, q), "LiteRtGetPerTensorQuantization");
        return new Quantization(kind, q.scale, q.zeroPoint);
    }

    private static String side(boolean input) {
        return input ? "Input" : "Output";
    }

    @Override
    void free(ModelHandle handle) {
        LiteRtLibrary.c().LiteRtDestroyModel(handle);
    }
}
