import dev.edgeinfer.edge.engine.BatchResult;
import dev.edgeinfer.edge.engine.EngineConfig;
import dev.edgeinfer.edge.engine.FrameBatch;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.InferenceEngines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The OpenVINO engine alone, without Kafka: batches of the largest size, or of random sizes from 1 to the largest (as
 * a consumer's partial batches come), for a fixed time. Prints frames per second after a warm-up and the process's
 * resident memory as it goes. {@code bench/edge/engine-batch-shapes.sh} runs both modes, each in its own JVM.
 *
 * <p>Arguments: {@code full|random seconds artifact maxBatch requestsInFlight modelsDir}.
 */
public final class EngineBatchShapes {

    public static void main(String[] args) throws Exception {
        boolean random = args[0].equals("random");
        int seconds = Integer.parseInt(args[1]);
        int maxBatch = Integer.parseInt(args[3]);
        int inFlight = Integer.parseInt(args[4]);
        Properties p = EngineConfig.defaults();
        p.setProperty(EngineConfig.ENGINE, "openvino");
        p.setProperty(EngineConfig.MODELS_DIR, args[5]);
        p.setProperty(EngineConfig.ARTIFACT, args[2]);
        p.setProperty(EngineConfig.PERFORMANCE_HINT, "THROUGHPUT");
        p.setProperty(EngineConfig.NUM_STREAMS, "1");
        p.setProperty(EngineConfig.REQUESTS_IN_FLIGHT, Integer.toString(inFlight));
        p.setProperty(EngineConfig.MAX_BATCH, Integer.toString(maxBatch));
        try (InferenceEngine engine = InferenceEngines.open(EngineConfig.fromProperties(p))) {
            Random rng = new Random(1);
            ByteBuffer pixels = ByteBuffer.allocateDirect(maxBatch * 32 * 32 * FrameBatch.CHANNELS);
            while (pixels.hasRemaining()) {
                pixels.put((byte) rng.nextInt());
            }
            Deque<CompletableFuture<BatchResult>> inFlightBatches = new ArrayDeque<>();
            long start = System.nanoTime();
            long warm = start + 5_000_000_000L;
            long end = start + seconds * 1_000_000_000L;
            long nextReport = start;
            long frames = 0;
            long warmFrames = -1;
            long warmNanos = 0;
            long maxRss = 0;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (warmFrames < 0 && now > warm) {
                    warmFrames = frames;
                    warmNanos = now;
                }
                if (now >= nextReport) {
                    nextReport += 10_000_000_000L;
                    long rss = rssKb();
                    maxRss = Math.max(maxRss, rss);
                    System.out.printf(Locale.ROOT, "  %s, %3d s: VmRSS %d MB, %d frames%n", args[0], (now - start) / 1_000_000_000L,
                            rss / 1024, frames);
                }
                int n = random ? 1 + rng.nextInt(maxBatch) : maxBatch;
                inFlightBatches.add(engine.submit(FrameBatch.of(pixels.duplicate().clear().limit(n * 32 * 32 * 3), n, 32, 32)));
                if (inFlightBatches.size() >= inFlight) {
                    frames += inFlightBatches.poll().join().predictions().size();
                }
            }
            while (!inFlightBatches.isEmpty()) {
                frames += inFlightBatches.poll().join().predictions().size();
            }
            double fps = (frames - warmFrames) / ((System.nanoTime() - warmNanos) / 1e9);
            maxRss = Math.max(maxRss, rssKb());
            System.out.printf(Locale.ROOT, "%s batches: %.0f FPS after a 5 s warm-up, VmRSS at most %d MB, at the end %d MB%n",
                    random ? "random-size" : "full", fps, maxRss / 1024, rssKb() / 1024);
        }
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
