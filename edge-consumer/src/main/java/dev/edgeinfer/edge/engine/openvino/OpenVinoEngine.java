package dev.edgeinfer.edge.engine.openvino;

import dev.edgeinfer.edge.engine.BatchResult;
import dev.edgeinfer.edge.engine.EngineConfig;
import dev.edgeinfer.edge.engine.EngineDescription;
import dev.edgeinfer.edge.engine.EngineKind;
import dev.edgeinfer.edge.engine.FrameBatch;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.InferenceException;
import dev.edgeinfer.edge.engine.InferenceTimings;
import dev.edgeinfer.edge.engine.Scores;
import dev.edgeinfer.edge.engine.SlotPool;
import dev.edgeinfer.edge.engine.Ticker;
import dev.edgeinfer.openvino.CompiledModel;
import dev.edgeinfer.openvino.Core;
import dev.edgeinfer.openvino.ElementType;
import dev.edgeinfer.openvino.InferRequest;
import dev.edgeinfer.openvino.InputInfo;
import dev.edgeinfer.openvino.InputModelInfo;
import dev.edgeinfer.openvino.InputTensorInfo;
import dev.edgeinfer.openvino.Model;
import dev.edgeinfer.openvino.OpenVinoException;
import dev.edgeinfer.openvino.OpenVinoLibrary;
import dev.edgeinfer.openvino.PrePostProcessor;
import dev.edgeinfer.openvino.PreprocessSteps;
import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.InputContract;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The engine on OpenVINO. One compiled model; a pool of {@link EngineConfig#requestsInFlight()} infer requests,
 * each with its own input and output memory that its tensors wrap, so a batch costs one memcpy in and no native
 * allocation. Each slot has a thread of its own that waits in OpenVINO for the batches started on it and finishes
 * them (outputs read, scores ranked, the batch's future completed): no call comes back from native code into Java,
 * which through JNA costs far more per batch than a wait, and no hand-off between threads.
 */
public final class OpenVinoEngine implements InferenceEngine {
    private final Core core;
    private final CompiledModel compiled;
    private final CompiledModel fullBatchCompiled;
    private final SlotPool<RequestSlot> pool;
    private final List<Thread> waiters = new ArrayList<>();
    private final EngineDescription description;
    private final ModelManifest manifest;
    private final int maxBatch;
    private final int topK;
    private final Ticker ticker;

    private OpenVinoEngine(Core core, CompiledModel compiled, CompiledModel fullBatchCompiled, List<RequestSlot> slots,
                           EngineDescription description, ModelManifest manifest, EngineConfig config, Ticker ticker) {
        this.core = core;
        this.compiled = compiled;
        this.fullBatchCompiled = fullBatchCompiled;
        this.pool = new SlotPool<>(slots, manifest.input(), config.maxBatch());
        for (RequestSlot slot : slots) {
            Thread waiter = new Thread(() -> awaitBatches(slot), "openvino-engine-completions-" + waiters.size());
            waiter.setDaemon(true);
            waiters.add(waiter);
        }
        this.description = description;
        this.manifest = manifest;
        this.maxBatch = config.maxBatch();
        this.topK = config.topK();
        this.ticker = ticker;
    }

    /**
     * Reads, (if the manifest says so) extends with preprocessing, and compiles the artifact's model. A model with a
     * dynamic batch is compiled twice: as it is, for partial batches, and reshaped to {@link EngineConfig#maxBatch()}
     * for full ones, which the CPU plugin runs about a tenth faster with static shapes
     * ({@code bench/edge/static-vs-dynamic-batch.py}); under load every batch is full.
     *
     * @param config   the engine settings
     * @param manifest the model manifest
     * @param artifact the artifact to load, whose files were verified
     * @param files    its verified files, model file first
     * @param ticker   the clock for timings
     * @return the engine
     * @throws InferenceException if OpenVINO cannot read, compile or run the model on the device
     * @throws UnsatisfiedLinkError if the OpenVINO natives are missing or not the pinned version
     */
    public static OpenVinoEngine open(EngineConfig config, ModelManifest manifest, Artifact artifact,
                                      List<Path> files, Ticker ticker)
            throws InferenceException {
        Core core = null;
        CompiledModel compiled = null;
        CompiledModel fullBatchCompiled = null;
        List<RequestSlot> slots = new ArrayList<>();
        InputContract input = manifest.input();
        try {
            core = Core.create();
            Map<String, String> properties = compileProperties(config);
            try (Model read = core.readModel(files.get(0), files.size() > 1 ? files.get(1) : null);
                 Model model = withPreprocessing(read, input)) {
                compiled = core.compileModel(model, config.device(), properties);
                if (model.isDynamic()) {
                    model.reshape(config.maxBatch(), input.height(), input.width(), FrameBatch.CHANNELS);
                    fullBatchCompiled = core.compileModel(model, config.device(), properties);
                }
            }
            int frameBytes = input.height() * input.width() * FrameBatch.CHANNELS;
            for (int i = 0; i < config.requestsInFlight(); i++) {
                slots.add(newSlot(compiled, fullBatchCompiled, frameBytes, input, manifest, config));
            }
            EngineDescription description = describe(core, compiled, fullBatchCompiled != null, config, manifest, artifact,
                    properties);
            OpenVinoEngine engine = new OpenVinoEngine(core, compiled, fullBatchCompiled, slots, description, manifest,
                    config, ticker);
            engine.waiters.forEach(Thread::start);
            return engine;
        } catch (OpenVinoException e) {
            closeNatives(slots, fullBatchCompiled, compiled, core);
            throw new InferenceException("OpenVINO could not load artifact " + artifact.id() + " on "
                    + config.device() + ": " + e.getMessage(), e);
        }
    }

    private static RequestSlot newSlot(CompiledModel compiled, CompiledModel fullBatchCompiled, int frameBytes,
                                       InputContract input, ModelManifest manifest, EngineConfig config)
            throws OpenVinoException {
        InferRequest anyBatch = compiled.createInferRequest();
        InferRequest fullBatch = null;
        try {
            fullBatch = fullBatchCompiled == null ? null : fullBatchCompiled.createInferRequest();
            return new RequestSlot(anyBatch, fullBatch, frameBytes, input.height(), input.width(),
                    manifest.classNames().size(), config.maxBatch());
        } catch (OpenVinoException | RuntimeException e) {
            anyBatch.close();
            if (fullBatch != null) {
                fullBatch.close();
            }
            throw e;
        }
    }

    private static Map<String, String> compileProperties(EngineConfig config) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(Core.PERFORMANCE_HINT, config.performanceHint());
        config.numStreams().ifPresent(n -> properties.put(Core.NUM_STREAMS, Integer.toString(n)));
        config.inferencePrecisionHint().ifPresent(p -> properties.put(Core.INFERENCE_PRECISION_HINT, p));
        return properties;
    }

    /**
     * Returns a model that takes frames as they arrive (u8 RGB NHWC). The production models already do; a model
     * whose manifest declares another input gets the conversion built into its graph.
     */
    static Model withPreprocessing(Model model, InputContract input) throws OpenVinoException {
        try (PrePostProcessor ppp = PrePostProcessor.create(model)) {
            if (!input.takesFramesAsIs()) {
                try (InputInfo info = ppp.input(0);
                     InputTensorInfo tensor = info.tensor();
                     InputModelInfo modelInfo = info.model();
                     PreprocessSteps steps = info.steps()) {
                    tensor.setElementType(ElementType.U8).setLayout("NHWC");
                    modelInfo.setLayout(input.layout().manifestName());
                    steps.convertElementType(ElementType.fromName(input.elementType().manifestName()));
                    var n = input.normalization();
                    if (!n.insideGraph()) {
                        steps.mean(perChannel(n.mean(), n.scale())).scale(perChannel(n.std(), n.scale()));
                    }
                }
            }
            return ppp.build();
        }
    }

    private static float[] perChannel(List<Double> values, double scale) {
        float[] result = new float[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = (float) (values.get(i) * scale);
        }
        return result;
    }

    private static EngineDescription describe(Core core, CompiledModel compiled, boolean fullBatchModel,
                                              EngineConfig config, ModelManifest manifest, Artifact artifact,
                                              Map<String, String> properties)
            throws OpenVinoException {
        String executing = compiled.property(CompiledModel.EXECUTION_DEVICES).replaceAll("[\\[\\]\\s]", "")
                .split(",")[0];
        String fullName = core.property(executing.isEmpty() ? config.device() : executing, Core.FULL_DEVICE_NAME);
        Map<String, String> settings = new LinkedHashMap<>(properties);
        settings.put(Core.NUM_STREAMS, compiled.property(Core.NUM_STREAMS));
        // What the device chose matters: on CPUs with AMX an FP32 model runs in bf16 unless told otherwise.
        settings.put(Core.INFERENCE_PRECISION_HINT, compiled.property(Core.INFERENCE_PRECISION_HINT));
        settings.put(CompiledModel.EXECUTION_DEVICES, executing);
        settings.put(CompiledModel.OPTIMAL_NUMBER_OF_INFER_REQUESTS,
                compiled.property(CompiledModel.OPTIMAL_NUMBER_OF_INFER_REQUESTS));
        settings.put("requestsInFlight", Integer.toString(config.requestsInFlight()));
        settings.put("maxBatch", Integer.toString(config.maxBatch()));
        // Whether full batches run on a model compiled for exactly maxBatch frames (static shapes).
        settings.put("fullBatchModel", Boolean.toString(fullBatchModel));
        return new EngineDescription(EngineKind.OPENVINO.configName(), OpenVinoLibrary.version().buildNumber(),
                config.device(), fullName, manifest.model().name(), manifest.model().version(), artifact.id(),
                artifact.precision().manifestName(), artifact.sha256(), settings);
    }

    @Override
    public EngineDescription describe() {
        return description;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public BatchResult infer(FrameBatch batch) throws InferenceException {
        RequestSlot slot = pool.acquire(batch);
        try {
            long start = ticker.nanoTime();
            slot.load(batch);
            long loaded = ticker.nanoTime();
            slot.request.infer();
            long inferred = ticker.nanoTime();
            return finish(slot, batch.count(), start, loaded, inferred);
        } catch (OpenVinoException e) {
            throw new InferenceException("OpenVINO inference failed: " + e.getMessage(), e);
        } finally {
            pool.release(slot);
        }
    }

    @Override
    public CompletableFuture<BatchResult> submit(FrameBatch batch) {
        RequestSlot slot = pool.acquire(batch);
        CompletableFuture<BatchResult> result = new CompletableFuture<>();
        try {
            slot.startNanos = ticker.nanoTime();
            slot.load(batch);
            slot.loadedNanos = ticker.nanoTime();
            slot.frames = batch.count();
            slot.result = result;
            slot.request.startAsync();
            slot.started.release();
        } catch (OpenVinoException | RuntimeException e) {
            slot.result = null;
            pool.release(slot);
            result.completeExceptionally(new InferenceException("OpenVINO could not start inference: "
                    + e.getMessage(), e));
        }
        return result;
    }

    /** The loop of a slot's own thread: wait for each batch started on the slot, then finish it. */
    private void awaitBatches(RequestSlot slot) {
        while (true) {
            try {
                slot.started.acquire();
            } catch (InterruptedException e) {
                // close() interrupts only once every slot is idle: nothing is left to finish.
                return;
            }
            complete(slot);
        }
    }

    private void complete(RequestSlot slot) {
        CompletableFuture<BatchResult> result = slot.result;
        slot.result = null;
        BatchResult outcome = null;
        Throwable failure = null;
        try {
            slot.request.awaitCompletion();
            outcome = finish(slot, slot.frames, slot.startNanos, slot.loadedNanos, ticker.nanoTime());
        } catch (OpenVinoException e) {
            failure = new InferenceException("OpenVINO inference failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            pool.release(slot);
        }
        if (failure == null) {
            result.complete(outcome);
        } else {
            result.completeExceptionally(failure);
        }
    }

    private BatchResult finish(RequestSlot slot, int frames, long start, long loaded, long inferred) {
        float[] outputs = slot.readOutputs(frames);
        var predictions = Scores.predictions(outputs, frames, manifest.output().isLogits(), topK,
                manifest.classNames());
        long done = ticker.nanoTime();
        return new BatchResult(predictions, new InferenceTimings(micros(loaded - start), micros(inferred - loaded),
                micros(done - inferred)));
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }

    @Override
    public void close() {
        if (!pool.closeAndDrain()) {
            return;
        }
        waiters.forEach(Thread::interrupt);
        closeNatives(pool.slots(), fullBatchCompiled, compiled, core);
    }

    /** Frees the requests, then the compiled models, then the core: each after everything made from it; nulls skipped. */
    private static void closeNatives(List<RequestSlot> slots, CompiledModel fullBatchCompiled, CompiledModel compiled,
                                     Core core) {
        slots.forEach(RequestSlot::close);
        if (fullBatchCompiled != null) {
            fullBatchCompiled.close();
        }
        if (compiled != null) {
            compiled.close();
        }
        if (core != null) {
            core.close();
        }
    }
}
