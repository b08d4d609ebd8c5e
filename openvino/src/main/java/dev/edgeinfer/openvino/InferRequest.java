package dev.edgeinfer.openvino;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.openvino.Handles.InferRequestHandle;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inference slot of a compiled model ({@code ov_infer_request_t}), run synchronously or asynchronously.
 * Not thread-safe: one caller at a time. Owns its native request, freed by {@link #close()}; tensors set on it
 * stay reachable from this object until it is closed, because the request reads their memory.
 */
public final class InferRequest extends NativeObject<InferRequestHandle> {
    private static final Logger LOG = LoggerFactory.getLogger(InferRequest.class);

    private final Map<String, Tensor> tensorsInUse = new HashMap<>();
    /** The library keeps the address of this struct, so it lives as long as the request. */
    private Structs.CallbackStruct callback;

    InferRequest(Pointer handle) {
        super(new InferRequestHandle(handle));
    }

    /**
     * Sets an input tensor. The request keeps using the tensor's memory for every later inference until another
     * tensor is set; the caller may close its {@link Tensor} object, but must not reuse the memory for anything
     * else while inference may run.
     *
     * @param index  input index
     * @param tensor the tensor, whose element type and shape the model must accept
     * @throws OpenVinoException if the model rejects the tensor
     */
    public void setInputTensor(int index, Tensor tensor) throws OpenVinoException {
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_infer_request_set_input_tensor_by_index(handle(), index,
                tensor.handle()), "ov_infer_request_set_input_tensor_by_index");
        tensorsInUse.put("in" + index, tensor);
    }

    /**
     * Sets the tensor inference writes an output into, so results land in caller memory without a copy.
     *
     * @param index  output index
     * @param tensor the tensor, whose element type and shape must match the output
     * @throws OpenVinoException if the model rejects the tensor
     */
    public void setOutputTensor(int index, Tensor tensor) throws OpenVinoException {
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_infer_request_set_output_tensor_by_index(handle(), index,
                tensor.handle()), "ov_infer_request_set_output_tensor_by_index");
        tensorsInUse.put("out" + index, tensor);
    }

    /**
     * @param index output index
     * @return a new tensor object over the request's output memory, valid until the next inference; the caller
     *         closes it
     * @throws OpenVinoException if there is no such output
     */
    public Tensor outputTensor(int index) throws OpenVinoException {
        PointerByReference out = new PointerByReference();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_infer_request_get_output_tensor_by_index(handle(), index, out),
                "ov_infer_request_get_output_tensor_by_index");
        return Tensor.adopt(out.getValue());
    }

    /**
     * Runs inference on the calling thread.
     *
     * @throws OpenVinoException if inference fails
     */
    public void infer() throws OpenVinoException {
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_infer_request_infer(handle()), "ov_infer_request_infer");
    }

    /**
     * Starts inference and returns at once; completion is signalled to the callback set with
     * {@link #setCompletionCallback(Runnable)} and observed with {@link #awaitCompletion()}.
     *
     * @throws OpenVinoException if the request is busy or cannot start
     */
    public void startAsync() throws OpenVinoException {
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_infer_request_start_async(handle()),
                "ov_infer_request_start_async");
    }

    /**
     * Blocks until the running inference ends; returns at once if none runs.
     *
     * @throws OpenVinoException carrying the failure of the inference, if it failed
     */
    public void awaitCompletion() throws OpenVinoException {
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_infer_request_wait(handle()), "ov_infer_request_wait");
    }

    /**
     * Asks a running inference to stop; {@link #awaitCompletion()} then reports {@code INFER_CANCELLED}.
     *
     * @throws OpenVinoException if the library fails
     */
    public void cancel() throws OpenVinoException {
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_infer_request_cancel(handle()), "ov_infer_request_cancel");
    }

    /**
     * Sets what runs when an asynchronous inference ends, successfully or not. It runs on one of OpenVINO's
     * threads: keep it short (hand off, don't compute) and don't call this request from it; call
     * {@link #awaitCompletion()} afterwards, from another thread, to learn whether the inference failed.
     * An exception it throws is logged, never passed into native code.
     *
     * @param onCompletion the callback
     * @throws OpenVinoException if the library fails
     */
    public void setCompletionCallback(Runnable onCompletion) throws OpenVinoException {
        Structs.CallbackStruct struct = new Structs.CallbackStruct();
        struct.callbackFunc = args -> {
            try {
                onCompletion.run();
            } catch (RuntimeException | Error e) {
                LOG.error("infer request completion callback failed", e);
            }
        };
        // OpenVINO's worker threads are long-lived: attach them once, as daemons, instead of on every callback.
        Native.setCallbackThreadInitializer(struct.callbackFunc,
                new CallbackThreadInitializer(true, false, "openvino-callback"));
        struct.args = null;
        struct.write();
        OpenVinoLibrary.check(OpenVinoLibrary.c().ov_infer_request_set_callback(handle(), struct),
                "ov_infer_request_set_callback");
        callback = struct;
    }

    @Override
    void free(InferRequestHandle handle) {
        OpenVinoLibrary.c().ov_infer_request_free(handle);
        tensorsInUse.clear();
        callback = null;
    }
}
