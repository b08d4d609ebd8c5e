package dev.edgeinfer.edge.engine.litert;

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
import dev.edgeinfer.litert.Accelerator;
import dev.edgeinfer.litert.CompilationOptions;
import dev.edgeinfer.litert.CompiledModel;
import dev.edgeinfer.litert.Environment;
import dev.edgeinfer.litert.HardwareAccelerator;
import dev.edgeinfer.litert.LiteRtException;
import dev.edgeinfer.litert.LiteRtLibrary;
import dev.edgeinfer.litert.Model;
import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.InputContract;
import dev.edgeinfer.schemas.manifest.ModelFormat;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The engine on LiteRT, through the project's binding ({@code dev.edgeinfer.litert}). One environment and one model;
 * {@link EngineConfig#requestsInFlight()} slots, each with a compiled model of its own (LiteRT does not promise that
 * a compiled model may run on two threads at once) and its own tensor buffers; as many worker threads for
 * {@link #submit(FrameBatch)}. A {@code .tflite} has a static batch (the project's have 1): a batch of frames runs as
 * consecutive runs of the model. Frames go in as they arrive (u8 RGB NHWC, normalization inside the graph); an
 * integer output is dequantized with the output tensor's own scale and zero point, read from the model.
 *
 * <p>{@code CPU} runs on XNNPACK with {@link EngineConfig#numThreads()} threads per compiled model. {@code GPU} runs
 * where LiteRT registers a GPU accelerator and can compile for it; the {@code ai-edge-litert} wheel's is WebGPU,
 * which on Linux needs a GPU with a Vulkan driver.
 */
public final class LiteRtEngine implements InferenceEngine {
    /** Device names this engine accepts. */
    public static final String CPU = "CPU";
    public static final String GPU = "GPU";

    private final Environment environment;
    private final Model model;
    private final CompilationOptions options;
    private final SlotPool<RunSlot> pool;
    private final ExecutorService workers;
    private final EngineDescription description;
    private final ModelManifest manifest;
    private final int maxBatch;
    private final int topK;
    private final Ticker ticker;

    private LiteRtEngine(Environment environment, Model model, CompilationOptions options, List<RunSlot> slots,
                         EngineDescription description, ModelManifest manifest, EngineConfig config, Ticker ticker) {
        this.environment = environment;
        this.model = model;
        this.options = options;
        this.pool = new SlotPool<>(slots, manifest.input(), config.maxBatch());
        this.workers = Executors.newFixedThreadPool(slots.size(), r -> {
            Thread thread = new Thread(r, "litert-engine");
            thread.setDaemon(true);
            return thread;
        });
        this.description = description;
        this.manifest = manifest;
        this.maxBatch = config.maxBatch();
        this.topK = config.topK();
        this.ticker = ticker;
    }

    /**
     * @param config   the engine settings; {@code device} {@value #CPU} or {@value #GPU}
     * @param manifest the model manifest
     * @param artifact the artifact to load, a {@code .tflite} file
     * @param files    its verified files
     * @param ticker   the clock for timings
     * @return the engine
     * @throws InferenceException if the device is unavailable, or the model does not fit the engine or cannot be
     *         compiled
     * @throws UnsatisfiedLinkError if the LiteRT natives are missing or not the pinned version
     */
    public static LiteRtEngine open(EngineConfig config, ModelManifest manifest, Artifact artifact, List<Path> files,
                                    Ticker ticker)
            throws InferenceException {
        if (artifact.format() != ModelFormat.TFLITE) {
            throw new InferenceException("LiteRT needs a tflite artifact; " + artifact.id() + " is " + artifact.format());
        }
        Set<HardwareAccelerator> accelerators = accelerators(config.device());
        Environment environment = null;
        Model model = null;
        CompilationOptions options = null;
        List<RunSlot> slots = new ArrayList<>();
        try {
            environment = Environment.create(accelerators);
            List<Accelerator> registered = environment.accelerators();
            requireGpuWhereAsked(accelerators, registered);
            model = Model.load(environment, files.get(0));
            ModelSignature signature = ModelSignature.of(model, manifest.input(), manifest.classNames().size());
            options = CompilationOptions.create();
            options.hardwareAccelerators(accelerators);
            if (config.numThreads().isPresent()) {
                options.cpuThreads(config.numThreads().getAsInt());
            }
            boolean fullyAccelerated = true;
            for (int i = 0; i < config.requestsInFlight(); i++) {
                RunSlot slot = new RunSlot(compile(environment, model, options, config.device()), signature,
                        frameBytes(manifest.input()), manifest.classNames().size(), config.maxBatch());
                slots.add(slot);
                fullyAccelerated &= slot.isFullyAccelerated();
            }
            EngineDescription description = describe(config, manifest, artifact, accelerators, registered, signature,
                    fullyAccelerated);
            return new LiteRtEngine(environment, model, options, slots, description, manifest, config, ticker);
        } catch (LiteRtException | InferenceException | RuntimeException e) {
            closeNatives(slots, options, model, environment);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new InferenceException("LiteRT could not load artifact " + artifact.id() + " on " + config.device()
                    + ": " + e.getMessage(), e);
        }
    }

    private static Set<HardwareAccelerator> accelerators(String device) throws InferenceException {
        return switch (device) {
            case CPU -> EnumSet.of(HardwareAccelerator.CPU);
            // The CPU too, for the operations the GPU accelerator does not take.
            case GPU -> EnumSet.of(HardwareAccelerator.GPU, HardwareAccelerator.CPU);
            default -> throw new InferenceException("LiteRT device must be CPU or GPU, is " + device);
        };
    }

    private static void requireGpuWhereAsked(Set<HardwareAccelerator> asked, List<Accelerator> registered)
            throws InferenceException {
        if (asked.contains(HardwareAccelerator.GPU)
                && registered.stream().noneMatch(a -> a.hardware().contains(HardwareAccelerator.GPU))) {
            throw new InferenceException("no LiteRT GPU accelerator is registered here (registered: "
                    + names(registered) + "): LiteRT found no GPU accelerator library beside "
                    + LiteRtLibrary.libraryFile() + " that loads. Use device CPU.");
        }
    }

    private static CompiledModel compile(Environment environment, Model model, CompilationOptions options,
                                         String device)
            throws LiteRtException, InferenceException {
        try {
            return CompiledModel.create(environment, model, options);
        } catch (LiteRtException e) {
            if (!device.equals(GPU)) {
                throw e;
            }
            throw new InferenceException("LiteRT has a GPU accelerator but could not compile the model for it ("
                    + e.getMessage() + "). The ai-edge-litert wheel's GPU accelerator is WebGPU, which on Linux needs "
                    + "a GPU with a Vulkan driver (libvulkan.so.1); LiteRT's reason is on standard error. Use device "
                    + "CPU.", e);
        }
    }

    private static int frameBytes(InputContract input) {
        return input.height() * input.width() * FrameBatch.CHANNELS;
    }

    private static EngineDescription describe(EngineConfig config, ModelManifest manifest, Artifact artifact,
                                              Set<HardwareAccelerator> accelerators, List<Accelerator> registered,
                                              ModelSignature signature, boolean fullyAccelerated) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hardwareAccelerators", accelerators.stream().map(Enum::name).collect(Collectors.joining(",")));
        settings.put("cpuThreads", config.numThreads().isPresent() ? Integer.toString(config.numThreads().getAsInt())
                : "default");
        settings.put("fullyAccelerated", Boolean.toString(fullyAccelerated));
        settings.put("modelBatch", Integer.toString(signature.batch()));
        settings.put("output", signature.outputDescription());
        settings.put("requestsInFlight", Integer.toString(config.requestsInFlight()));
        settings.put("maxBatch", Integer.toString(config.maxBatch()));
        List<Accelerator> used = registered.stream()
                .filter(a -> a.hardware().stream().anyMatch(accelerators::contains)).toList();
        return new EngineDescription(EngineKind.LITERT.configName(), LiteRtLibrary.version(), config.device(),
                names(used), manifest.model().name(), manifest.model().version(), artifact.id(),
                artifact.precision().manifestName(), artifact.sha256(), settings);
    }

    private static String names(List<Accelerator> accelerators) {
        return accelerators.stream().map(Accelerator::name).collect(Collectors.joining(", "));
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
        RunSlot slot = pool.acquire(batch);
        try {
            long start = ticker.nanoTime();
            slot.stage(batch);
            return run(slot, batch.count(), start);
        } finally {
            pool.release(slot);
        }
    }

    @Override
    public CompletableFuture<BatchResult> submit(FrameBatch batch) {
        RunSlot slot = pool.acquire(batch);
        long start = ticker.nanoTime();
        // Copy now, so the caller may reuse its buffer as soon as this returns.
        slot.stage(batch);
        int frames = batch.count();
        return pool.runOn(workers, slot, staged -> run(staged, frames, start));
    }

    /** Runs the frames staged on a slot; the time since {@code start} before the first run counts as loading. */
    private BatchResult run(RunSlot slot, int frames, long start) throws InferenceException {
        RunSlot.StageNanos nanos = new RunSlot.StageNanos();
        nanos.load = ticker.nanoTime() - start;
        float[] scores;
        try {
            scores = slot.run(frames, ticker, nanos);
        } catch (LiteRtException e) {
            throw new InferenceException("LiteRT inference failed: " + e.getMessage(), e);
        }
        long scoring = ticker.nanoTime();
        var predictions = Scores.predictions(scores, frames, manifest.output().isLogits(), topK,
                manifest.classNames());
        nanos.read += ticker.nanoTime() - scoring;
        return new BatchResult(predictions, new InferenceTimings(micros(nanos.load), micros(nanos.run),
                micros(nanos.read)));
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }

    @Override
    public void close() {
        if (!pool.closeAndDrain()) {
            return;
        }
        workers.shutdown();
        closeNatives(pool.slots(), options, model, environment);
    }

    /** Frees the slots, then the options, the model and the environment; nulls skipped. */
    private static void closeNatives(List<RunSlot> slots, CompilationOptions options, Model model,
                                     Environment environment) {
        slots.forEach(RunSlot::close);
        if (options != null) {
            options.close();
        }
        if (model != null) {
            model.close();
        }
        if (environment != null) {
            environment.close();
        }
    }
}
