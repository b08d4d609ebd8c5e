package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.edge.engine.FrameBatch;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.Ticker;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.serde.AvroSerdeException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a flight's frames into batches on the engine: each frame validated, deserialized and decoded into the batch's
 * pixels, a frame that cannot be becoming its dead letter instead; each full batch (and the last, whatever its size)
 * submitted, its future completing with the batch's predictions, or its frames' dead letters if inference fails.
 */
final class BatchAssembler {

    /** Largest pixel buffer kept from one frame's decoding to the next. */
    private static final int REUSED_PIXELS_BYTES = 64 * 1024;

    private final AvroDeserializer<ImageFrame> frameDeserializer;
    private final FrameDecoder decoder;
    private final InferenceEngine engine;
    private final Quarantine quarantine;
    private final DeadLetters deadLetters;
    private final PredictionRecords records;
    private final EdgeMetrics metrics;
    private final Clock clock;
    private final Ticker ticker;
    private final long largestFrame;
    private final ByteBuffer batchPixels;
    // Frames are decoded into this one record, and their pixels copied into the batch before the next is decoded, so
    // Avro reuses its pixel buffer instead of allocating 3 KB per frame.
    private ImageFrame reusableFrame;

    /**
     * @param largestFrame largest frame record decoded; a larger one is dead-lettered at validation
     */
    BatchAssembler(AvroDeserializer<ImageFrame> frameDeserializer, FrameDecoder decoder, InferenceEngine engine,
                   Quarantine quarantine, DeadLetters deadLetters, PredictionRecords records, EdgeMetrics metrics, Clock clock,
                   Ticker ticker, long largestFrame) {
        this.frameDeserializer = frameDeserializer;
        this.decoder = decoder;
        this.engine = engine;
        this.quarantine = quarantine;
        this.deadLetters = deadLetters;
        this.records = records;
        this.metrics = metrics;
        this.clock = clock;
        this.ticker = ticker;
        this.largestFrame = largestFrame;
        this.batchPixels = ByteBuffer.allocateDirect(engine.maxBatch() * decoder.frameBytes());
    }

    /**
     * @return an assembler for another model, sharing everything else with this one; this one must not be used after
     */
    BatchAssembler withModel(FrameDecoder otherDecoder, InferenceEngine otherEngine, PredictionRecords otherRecords) {
        return new BatchAssembler(frameDeserializer, otherDecoder, otherEngine, quarantine, deadLetters, otherRecords, metrics,
                clock, ticker, largestFrame);
    }

    /**
     * Decodes and submits every frame of {@code flight}, adding its batches' futures and the dead letters of the frames
     * refused before inference to it.
     *
     * @throws RetryableFlushException when a frame needs the registry and it cannot be reached
     */
    void assemble(Flight flight) {
        List<DecodedFrame> batch = new ArrayList<>(engine.maxBatch());
        ByteBuffer pixels = batchPixels.clear();
        long batchStart = ticker.nanoTime();
        for (Received received : flight.records()) {
            DecodedFrame decoded = decodeIntoBatch(received, pixels, flight.deadLetters());
            if (decoded == null) {
                continue;
            }
            batch.add(decoded);
            if (batch.size() == engine.maxBatch()) {
                flight.batches().add(submit(batch, pixels, batchStart));
                batch = new ArrayList<>(engine.maxBatch());
                pixels = batchPixels.clear();
                batchStart = ticker.nanoTime();
            }
        }
        if (!batch.isEmpty()) {
            flight.batches().add(submit(batch, pixels, batchStart));
        }
    }

    /**
     * Decodes a frame and writes its pixels at the batch's position; a frame that cannot be decoded becomes a dead
     * letter instead, and the batch is left as it was.
     */
    private DecodedFrame decodeIntoBatch(Received received, ByteBuffer pixels, List<Output> out) {
        ConsumerRecord<byte[], ByteBuffer> record = received.record();
        Quarantine.Refusal refusal = quarantine.of(record);
        if (refusal != null) {
            // The broker refused this frame's output before: its dead letter goes in its place, without inference.
            Output failed = refusal.failed();
            out.add(refusal.deadLetterRefused() ? deadLetters.truncated(failed, refusal.reason())
                    : deadLetters.of(record, failed.frameId(), FailureStage.PUBLISH,
                            new UnwritableOutputException(refusal.reason(), null)));
            return null;
        }
        ImageFrame frame = null;
        int before = pixels.position();
        try {
            if (record.value() == null) {
                throw new FrameRejectedException(FailureStage.VALIDATE, "record has no value", null);
            }
            if (received.bytes() > largestFrame) {
                throw new FrameRejectedException(FailureStage.VALIDATE, "frame of " + received.bytes() + " bytes exceeds the "
                        + largestFrame + " bytes this device reads (the frames topic's limit, or an eighth of its heap if"
                        + " less: a larger -Xmx raises it)", null);
            }
            try {
                frame = frameDeserializer.deserialize(record.topic(), record.partition(), record.offset(), record.value(),
                        reusableFrame);
                // A large frame's pixel buffer is not kept for the next frame: it would hold its megabytes for good.
                reusableFrame = frame.getPixels().capacity() <= REUSED_PIXELS_BYTES ? frame : null;
            } catch (AvroSerdeException e) {
                if (e.isRetriable()) {
                    throw new RetryableFlushException("frame at " + DeadLetters.where(record) + " needs the registry: "
                            + e.getMessage(), e);
                }
                throw new FrameRejectedException(FailureStage.DESERIALIZE, e.getMessage(), e);
            }
            try {
                decoder.decodeInto(frame, pixels);
            } catch (RuntimeException e) {
                // A failure the decoder did not foresee is still this frame's, not the device's.
                pixels.position(before);
                out.add(deadLetters.of(record, frame.getFrameId(), FailureStage.DECODE, e));
                return null;
            }
            boolean scored = decoder.scoresTruthOf(frame);
            return new DecodedFrame(received, frame.getFrameId(), frame.getCaptureTime(), scored ? frame.getGroundTruth() : null,
                    scored ? null : frame.getLabelSet(), frame.getProducerId());
        } catch (FrameRejectedException e) {
            pixels.position(before);
            out.add(deadLetters.of(record, frame == null ? null : frame.getFrameId(), e.stage(), e));
            return null;
        }
    }

    /** Starts inference of a filled batch; its predictions (or dead letters, if inference fails) complete the future. */
    private CompletableFuture<List<Output>> submit(List<DecodedFrame> frames, ByteBuffer pixels, long start) {
        long decodeMicros = (ticker.nanoTime() - start) / 1_000;
        FrameBatch batch = FrameBatch.of(pixels.flip(), frames.size(), decoder.height(), decoder.width());
        return engine.submit(batch).handle((result, failure) -> {
            List<Output> outputs = new ArrayList<>(frames.size());
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                for (DecodedFrame frame : frames) {
                    outputs.add(deadLetters.of(frame.received().record(), frame.frameId(), FailureStage.INFERENCE, cause));
                }
                return outputs;
            }
            metrics.batchInferred(result.timings().inferenceMicros());
            // One reading of each clock for the whole batch: its predictions are handed off together.
            PredictionRecords.BatchTimes times = new PredictionRecords.BatchTimes(start, decodeMicros, frames.size(),
                    ticker.nanoTime(), clock.instant());
            for (int i = 0; i < frames.size(); i++) {
                outputs.add(records.prediction(frames.get(i), result, i, times));
            }
            return outputs;
        });
    }
}
