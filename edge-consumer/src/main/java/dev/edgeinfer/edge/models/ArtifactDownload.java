package dev.edgeinfer.edge.models;

import dev.edgeinfer.avro.ArtifactFileChunks;
import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelChunk;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.models.ArtifactChunks;
import dev.edgeinfer.schemas.models.FileAssembly;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an assigned artifact on the device's disk: its manifest and every file, reassembled from the model-chunks topic
 * and checked against the size and sha256 the assignment gives, in a folder of its own under the model cache. A folder
 * already complete is used as it is, so a device that restarts does not download again.
 *
 * <p>Folder: {@code <cache>/<first 16 hex digits of the SHA-256 of the assignment's manifest>-<sha256 of its first
 * file>}: two assignments of the same files with different manifests (another version, other class names) do not
 * share a folder.
 */
final class ArtifactDownload {

    private static final Logger log = LoggerFactory.getLogger(ArtifactDownload.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Consumer<byte[], byte[]> chunks;
    private final AvroDeserializer<ModelChunk> deserializer;
    private final Path cache;

    /**
     * @param chunks       a consumer without a group, assigned and sought per file here; the caller assigns it again after
     *                     a download
     * @param deserializer reads chunk values
     * @param cache        the device's model cache
     */
    ArtifactDownload(Consumer<byte[], byte[]> chunks, AvroDeserializer<ModelChunk> deserializer, Path cache) {
        this.chunks = chunks;
        this.deserializer = deserializer;
        this.cache = cache;
    }

    /**
     * @param assignment the assignment whose artifact is wanted
     * @param running    false stops the download
     * @return the models folder holding the artifact and its manifest
     * @throws ModelLoadException if a file cannot be found whole on the chunks topic, or is not the one assigned
     */
    Path fetch(ModelAssignment assignment, BooleanSupplier running) throws ModelLoadException {
        Path folder = cache.resolve(folderName(assignment));
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(ModelManifest.FILE_NAME), assignment.getManifest(), StandardCharsets.UTF_8);
            for (ArtifactFileChunks file : assignment.getFiles()) {
                Path target = folder.resolve(file.getPath()).normalize();
                if (!target.startsWith(folder)) {
                    throw new ModelLoadException("file path " + file.getPath() + " leaves the model's folder");
                }
                if (ArtifactChunks.matches(target, file.getSha256(), file.getBytes())) {
                    continue; // downloaded before
                }
                download(file, target, running);
            }
        } catch (IOException e) {
            throw new ModelLoadException("cannot write the model to " + folder + ": " + e, e);
        }
        return folder;
    }

    static String folderName(ModelAssignment assignment) {
        byte[] manifestHash = ArtifactChunks.sha256Of(
                assignment.getManifest().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(manifestHash, 0, 8) + "-" + assignment.getFiles().get(0).getSha256();
    }

    private void download(ArtifactFileChunks file, Path target, BooleanSupplier running)
            throws IOException, ModelLoadException {
        TopicPartition partition = new TopicPartition(file.getChunkTopic(), file.getPartition());
        chunks.assign(List.of(partition));
        Map<TopicPartition, Long> ends = chunks.endOffsets(List.of(partition));
        long end = ends.getOrDefault(partition, 0L);
        chunks.seek(partition, file.getFirstOffset());
        long started = System.nanoTime();
        try (FileAssembly assembly = new FileAssembly(target, file.getSha256(), file.getBytes())) {
            while (!assembly.isComplete()) {
                if (!running.getAsBoolean()) {
                    throw new ModelLoadException("stopped while downloading " + file.getPath());
                }
                if (chunks.position(partition) >= end) {
                    throw new ModelLoadException("file " + file.getPath() + " (sha256 " + file.getSha256() + ") lacks chunks "
                            + assembly.missing() + " on " + partition + " from offset " + file.getFirstOffset()
                            + " to its end, " + end);
                }
                for (ConsumerRecord<byte[], byte[]> record : chunks.poll(POLL)) {
                    ModelChunk chunk;
                    try {
                        chunk = deserializer.deserialize(record.topic(), record.value());
                    } catch (RuntimeException e) {
                        log.warn("model chunk at {}-{} offset {} cannot be read, skipped: {}", record.topic(),
                                record.partition(), record.offset(), e.toString());
                        continue;
                    }
                    if (chunk == null || !chunk.getFileSha256().equalsIgnoreCase(file.getSha256())) {
                        continue; // another file's chunk, or a tombstone
                    }
                    try {
                        assembly.add(chunk);
                    } catch (IllegalArgumentException e) {
                        throw new ModelLoadException("chunk at " + record.topic() + "-" + record.partition() + " offset "
                                + record.offset() + ": " + e.getMessage(), e);
                    }
                }
            }
            assembly.complete();
        } catch (IllegalStateException e) {
            throw new ModelLoadException(e.getMessage(), e);
        } finally {
            chunks.unsubscribe();
        }
        log.info("downloaded {} ({} bytes) in {} ms", file.getPath(), file.getBytes(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }
}
