package dev.edgeinfer.edge.engine.onnxruntime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.edgeinfer.edge.engine.BatchResult;
import dev.edgeinfer.edge.engine.EngineConfig;
import dev.edgeinfer.edge.engine.EngineDescription;
import dev.edgeinfer.edge.engine.EngineKind;
import dev.edgeinfer.edge.engine.FrameBatch;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.InferenceException;
import dev.edgeinfer.edge.engine.InferenceTimings;
import dev.edgeinfer.edge.engine.PixelNormalizer;
import dev.edgeinfer.edge.engine.Scores;
import dev.edgeinfer.edge.engine.SlotPool;
import dev.edgeinfer.edge.engine.Ticker;
import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.InputContract;
import dev.edgeinfer.schemas.manifest.Layout;
import dev.edgeinfer.schemas.manifest.ModelFormat;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The engine on ONNX Runtime: one session (thread-safe), {@link EngineConfig#requestsInFlight()} slots with
 * their own direct input and output buffers, and as many worker threads for {@link #submit(FrameBatch)}.
 * Outputs are written into the slot's pinned output tensor, so a batch allocates no output memory.
 */
public final class OnnxRuntimeEngine implements InferenceEngine {
    /** Device names this engine accepts: the default CPU provider, or CUDA where a GPU build is present. */
    public static final String CPU = "CPU";
    public static final String CUDA = "CUDA";
    /** Measured: 3,965 bytes start, 3,995 crash; keep a margin. */
    static final int LONGEST_SAFE_COMMAND_LINE = 3_900;

    private final OrtSession session;
    private final SlotPool<Slot> pool;
    private final ExecutorService workers;
    private final EngineDescription description;
    private final ModelManifest manifest;
    private final PixelNormalizer normalizer;
    private final String inputName;
    private final String outputName;
    private final int maxBatch;
    private final int topK;
    private final Ticker ticker;

    private OnnxRuntimeEngine(OrtSession session, EngineDescription description, ModelManifest manifest,
                              EngineConfig config, Ticker ticker)
            throws OrtException {
        this.session = session;
        this.description = description;
        this.manifest = manifest;
        this.normalizer = manifest.input().takesFramesAsIs() ? null : new PixelNormalizer(manifest.input());
        this.inputName = session.getInputNames().iterator().next();
        this.outputName = session.getOutputNames().iterator().next();
        this.maxBatch = config.maxBatch();
        this.topK = config.topK();
        this.ticker = ticker;
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < config.requestsInFlight(); i++) {
            slots.add(new Slot());
        }
        this.pool = new SlotPool<>(slots, manifest.input(), maxBatch);
        this.workers = Executors.newFixedThreadPool(slots.size(), r -> {
            Thread thread = new Thread(r, "onnxruntime-engine");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * @param config   the engine settings; {@code device} {@value #CPU} or {@value #CUDA}
     * @param manifest the model manifest
     * @param artifact the artifact to load, an ONNX file
     * @param files    its verified files
     * @param ticker   the clock for timings
     * @return the engine
     * @throws InferenceException if the execution provider is unavailable or the session cannot be created
     */
    public static OnnxRuntimeEngine open(EngineConfig config, ModelManifest manifest, Artifact artifact,
                                         List<Path> files, Ticker ticker)
            throws InferenceException {
        if (artifact.format() != ModelFormat.ONNX) {
            throw new InferenceException("ONNX Runtime needs an onnx artifact; " + artifact.id() + " is "
                    + artifact.format());
        }
        refuseLongCommandLine(Path.of("/proc/self/cmdline"));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String provider;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            switch (config.device()) {
                case CPU -> provider = OrtProvider.CPU.getName();
                case CUDA -> {
                    provider = OrtProvider.CUDA.getName();
                    addCuda(options);
                }
                default -> throw new InferenceException("ONNX Runtime device must be CPU or CUDA, is "
                        + config.device());
            }
            OrtSession session = env.createSession(files.get(0).toString(), options);
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("executionProvider", provider);
            settings.put("requestsInFlight", Integer.toString(config.requestsInFlight()));
            settings.put("maxBatch", Integer.toString(config.maxBatch()));
            EngineDescription description = new EngineDescription(EngineKind.ONNXRUNTIME.configName(),
                    env.getVersion(), config.device(), provider, manifest.model().name(), manifest.model().version(),
                    artifact.id(), artifact.precision().manifestName(), artifact.sha256(), settings);
            try {
                return new OnnxRuntimeEngine(session, description, manifest, config, ticker);
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new InferenceException("ONNX Runtime could not load artifact " + artifact.id() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * ONNX Runtime 1.29.0's native start-up crashes the JVM (SIGSEGV) when the process's command line is about
     * 4 KB or longer, as {@code java -cp <every jar>} easily is. Fail with an explanation instead of a crash.
     */
    static void refuseLongCommandLine(Path cmdline) throws InferenceException {
        long length;
        try {
            length = Files.size(cmdline) > 0 ? Files.readAllBytes(cmdline).length : 0;
        } catch (IOException e) {
            return; // Not Linux, or no procfs: nothing to check.
        }
        if (length >= LONGEST_SAFE_COMMAND_LINE) {
            throw new InferenceException("This JVM's command line is " + length + " bytes; ONNX Runtime "
                    + "crashes the process at start-up when it is " + LONGEST_SAFE_COMMAND_LINE + " or more. Start "
                    + "the JVM with the class path in an @argfile, in the CLASSPATH variable or in a jar manifest.");
        }
    }

    private static void addCuda(OrtSession.SessionOptions options) throws InferenceException {
        try {
            options.addCUDA(0);
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            throw new InferenceException("The CUDA execution provider is not available here (available: "
                    + OrtEnvironment.getAvailableProviders() + "). It needs the onnxruntime_gpu build and a CUDA "
                    + "device; use device CPU. Cause: " + e.getMessage(), e);
        }
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
        Slot slot = pool.acquire(batch);
        try {
            return run(slot, batch.count(), ticker.nanoTime(), batch);
        } finally {
            pool.release(slot);
        }
    }

    @Override
    public CompletableFuture<BatchResult> submit(FrameBatch batch) {
        Slot slot = pool.acquire(batch);
        long start = ticker.nanoTime();
        // Copy now, so the caller may reuse its buffer as soon as this returns.
        slot.stage(batch);
        int frames = batch.count();
        return pool.runOn(workers, slot, staged -> run(staged, frames, start, null));
    }

    /** Runs one batch on a slot; {@code batch} is null when its pixels were staged already. */
    private BatchResult run(Slot slot, int frames, long start, FrameBatch batch) throws InferenceException {
        try {
            if (batch != null) {
                slot.stage(batch);
            }
            Slot.Bound bound = slot.bind(frames);
            long loaded = ticker.nanoTime();
            try (OrtSession.Result ignored = session.run(Map.of(inputName, bound.input()),
                    Map.of(outputName, bound.output()))) {
                long inferred = ticker.nanoTime();
                float[] outputs = new float[frames * manifest.classNames().size()];
                slot.outputFloats.get(0, outputs);
                var predictions = Scores.predictions(outputs, frames, manifest.output().isLogits(), topK,
                        manifest.classNames());
                long done = ticker.nanoTime();
                return new BatchResult(predictions, new InferenceTimings(micros(loaded - start),
                        micros(inferred - loaded), micros(done - inferred)));
            }
        } catch (OrtException e) {
            throw new InferenceException("ONNX Runtime inference failed: " + e.getMessage(), e);
        }
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
        pool.slots().forEach(Slot::close);
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not close its session", e);
        }
    }

    /** Input and output memory of one batch in flight, with tensors over it per batch size, made once. */
    private final class Slot implements AutoCloseable {
        record Bound(OnnxTensor input, OnnxTensor output) {
        }

        private final ByteBuffer pixels;
        private final FloatBuffer modelInput;
        private final ByteBuffer output;
        final FloatBuffer outputFloats;
        private final Bound[] bound;
        private final InputContract contract = manifest.input();
        private final int frameBytes = contract.height() * contract.width() * FrameBatch.CHANNELS;
        private final int classes = manifest.classNames().size();

        Slot() {
            pixels = ByteBuffer.allocateDirect(frameBytes * maxBatch);
            modelInput = normalizer == null ? null : ByteBuffer.allocateDirect(frameBytes * Float.BYTES * maxBatch)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            output = ByteBuffer.allocateDirect(classes * Float.BYTES * maxBatch).order(ByteOrder.nativeOrder());
            outputFloats = output.asFloatBuffer();
            bound = new Bound[maxBatch + 1];
        }

        void stage(FrameBatch batch) {
            pixels.clear();
            pixels.put(batch.pixels());
            if (normalizer != null) {
                normalizer.convert(pixels, batch.count(), contract.height() * contract.width(), modelInput);
            }
        }

        Bound bind(int frames) throws OrtException {
            if (bound[frames] == null) {
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                OnnxTensor in = normalizer == null
                        ? OnnxTensor.createTensor(env, pixels.slice(0, frames * frameBytes), inputShape(frames),
                                OnnxJavaType.UINT8)
                        : OnnxTensor.createTensor(env, modelInput.slice(0, frames * frameBytes), inputShape(frames));
                OnnxTensor out = OnnxTensor.createTensor(env, outputFloats.slice(0, frames * classes),
                        new long[] {frames, classes});
                bound[frames] = new Bound(in, out);
            }
            return bound[frames];
        }

        private long[] inputShape(int frames) {
            return contract.layout() == Layout.NCHW
                    ? new long[] {frames, FrameBatch.CHANNELS, contract.height(), contract.width()}
                    : new long[] {frames, contract.height(), contract.width(), FrameBatch.CHANNELS};
        }

        @Override
        public void close() {
            for (Bound b : bound) {
                if (b != null) {
                    b.input().close();
                    b.output().close();
                }
            }
        }
    }
}
