package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.Ticker;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model the loop classifies with, and its swap for the one a {@link ModelHandOff} has ready. Once a model is
 * ready the loop {@linkplain #waiting stops handing frames} to the engine, writes and commits what is in flight, and
 * then, with nothing in flight or uncommitted, {@linkplain #swap swaps}: frames received meanwhile are classified by the
 * new model, none is lost or classified twice, and the pause (from the last frame given to the old model to the swap)
 * is reported. The loop owns the engines it swapped in and closes the one it swaps out; the one it started with stays
 * its caller's.
 */
final class ModelSwitch {

    private static final Logger log = LoggerFactory.getLogger(ModelSwitch.class);

    private final ModelHandOff handOff;
    private final EdgeConsumerSettings settings;
    private final Ticker ticker;
    private InferenceEngine engine;
    private BatchAssembler assembler;
    private PredictionRecords records;
    private boolean ownsEngine;
    /** When the loop stopped handing frames to the engine for a swap; -1 when no swap waits. */
    private long waitingSince = -1;

    ModelSwitch(ModelHandOff handOff, EdgeConsumerSettings settings, Ticker ticker, InferenceEngine engine,
                BatchAssembler assembler, PredictionRecords records) {
        this.handOff = handOff;
        this.settings = settings;
        this.ticker = ticker;
        this.engine = engine;
        this.assembler = assembler;
        this.records = records;
    }

    InferenceEngine engine() {
        return engine;
    }

    BatchAssembler assembler() {
        return assembler;
    }

    PredictionRecords records() {
        return records;
    }

    ModelHandOff handOff() {
        return handOff;
    }

    /** @return whether a model waits to take over: no more frames go to the engine until {@link #swap} */
    boolean waiting() {
        if (waitingSince < 0 && handOff.ready()) {
            waitingSince = ticker.nanoTime();
        }
        return waitingSince >= 0;
    }

    /** Swaps to the model handed over; the caller has nothing in flight or uncommitted. */
    void swap() {
        ModelHandOff.ReadyModel next = handOff.take();
        long pauseNanos = ticker.nanoTime() - waitingSince;
        waitingSince = -1;
        if (next == null) {
            return; // withdrawn meanwhile
        }
        ModelManifest manifest = next.manifest();
        InferenceEngine old = engine;
        engine = next.engine();
        records = new PredictionRecords(settings, engine.describe(), records.host());
        assembler = assembler.withModel(new FrameDecoder(manifest.input().height(), manifest.input().width(),
                manifest.classNames().size(), manifest.labelSet()), engine, records);
        if (ownsEngine) {
            old.close();
        }
        ownsEngine = true;
        Duration pause = Duration.ofNanos(pauseNanos);
        handOff.swapped(next, pause);
        log.info("device {} swapped to model {} {} ({}, sha256 {}) of {} after {} ms without classifying", settings.deviceId(),
                manifest.model().name(), manifest.model().version(), engine.describe().artifactId(), engine.describe().sha256(),
                next.target(), pause.toMillis());
    }

    /** The dead letters of models the device could not follow since the last call, keyed by their assignment's target. */
    List<Output> failures() {
        List<Output> out = new ArrayList<>();
        for (DeadLetter letter : handOff.drainFailures()) {
            String key = letter.getOriginalKey() == null ? settings.deviceId()
                    : StandardCharsets.UTF_8.decode(letter.getOriginalKey().duplicate()).toString();
            out.add(new Output(settings.deadLettersTopic(), key, letter, null, null));
        }
        return out;
    }

    /** Closes the engine in use if the loop swapped it in. */
    void close() {
        if (ownsEngine) {
            engine.close();
        }
    }
}
