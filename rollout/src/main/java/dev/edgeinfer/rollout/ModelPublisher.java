package dev.edgeinfer.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeinfer.avro.ArtifactFileChunks;
import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelChunk;
import dev.edgeinfer.avro.ModelDecision;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.ModelVerdict;
import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.ArtifactFile;
import dev.edgeinfer.schemas.manifest.ManifestException;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.models.ArtifactChunks;
import dev.edgeinfer.schemas.models.ModelTargets;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a model to the fleet: the artifact's files in chunks on the model-chunks topic, then the assignment that
 * names them on the models topic, in one transaction, so a device never reads an assignment whose chunks are not there.
 * The artifact is checked against its manifest (sizes and sha256) first: only the files the manifest describes are
 * published.
 */
public final class ModelPublisher {

    private static final Logger log = LoggerFactory.getLogger(ModelPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Producer<String, SpecificRecord> producer;
    private final Clock clock;
    private final String publishedBy;
    private final int chunkBytes;

    /**
     * @param producer    a transactional producer, {@code initTransactions} already called; the publisher's alone
     * @param clock       for the publication time
     * @param publishedBy who publishes, recorded in the assignment
     * @param chunkBytes  bytes per chunk at most
     */
    public ModelPublisher(Producer<String, SpecificRecord> producer, Clock clock, String publishedBy, int chunkBytes) {
        this.producer = producer;
        this.clock = clock;
        this.publishedBy = publishedBy;
        this.chunkBytes = chunkBytes;
    }

    /** What to publish, and to whom. */
    public record Publication(Path modelsDir, String artifactId, String deviceType, String cohort, int sharePercent) {
    }

    /**
     * @return the assignment published
     * @throws ManifestException if the manifest is invalid, lacks the artifact, or a file is not the one it records
     * @throws IOException       if a file cannot be read
     * @throws KafkaException    if the transaction fails; nothing of it is visible to devices then
     */
    public ModelAssignment publish(Publication publication) throws ManifestException, IOException {
        Path manifestFile = publication.modelsDir().resolve(ModelManifest.FILE_NAME);
        ModelManifest manifest = ModelManifest.read(manifestFile);
        Artifact artifact = manifest.artifact(publication.artifactId());
        artifact.verifiedFiles(publication.modelsDir());
        String single = manifestOf(manifestFile, artifact.id());
        ModelAssignment.Builder assignment = ModelAssignment.newBuilder()
                .setDeviceType(publication.deviceType())
                .setCohort(publication.cohort())
                .setSharePercent(publication.sharePercent())
                .setModel(ModelRef.newBuilder()
                        .setName(manifest.model().name())
                        .setVersion(manifest.model().version())
                        .setArtifactId(artifact.id())
                        .setPrecision(dev.edgeinfer.avro.Precision.valueOf(artifact.precision().name()))
                        .setSha256(artifact.sha256())
                        .build())
                .setRuntime(artifact.runtime().manifestName())
                .setManifest(single)
                .setPublishedBy(publishedBy)
                .setPublishedTime(clock.instant())
                .setFiles(List.of());
        ModelTargets.problem(assignment.build()).filter(p -> !p.equals("it lists no file")).ifPresent(p -> {
            throw new IllegalArgumentException("cannot publish: " + p);
        });
        producer.beginTransaction();
        try {
            List<ArtifactFileChunks> files = new ArrayList<>();
            for (ArtifactFile file : artifact.files()) {
                files.add(sendChunks(publication.modelsDir(), file));
            }
            ModelAssignment done = assignment.setFiles(files).build();
            producer.send(new ProducerRecord<>(Topics.MODELS, ModelTargets.key(done), done));
            producer.commitTransaction();
            log.info("published {} {} ({}) to {} in {} files", done.getModel().getName(), done.getModel().getVersion(),
                    artifact.id(), ModelTargets.key(done), files.size());
            return done;
        } catch (RuntimeException | IOException e) {
            abort(e);
            throw e;
        }
    }

    /**
     * Ends a canary: on {@code PROMOTE} the tried model becomes the decision's device type's assignment (its files are on
     * the chunks topic already); either way the trial's assignment (a cohort's, or a shadow device type's) is withdrawn,
     * so a cohort's devices return to their type's assignment. The decision is recorded with them, in one transaction.
     *
     * @param tried    the assignment the candidate was tried under
     * @param decision the decision, with its figures
     * @throws KafkaException if the transaction fails; nothing of it is visible then
     */
    public void decide(ModelAssignment tried, ModelDecision decision) {
        producer.beginTransaction();
        try {
            if (decision.getDecision() == ModelVerdict.PROMOTE) {
                ModelAssignment promoted = ModelAssignment.newBuilder(tried).setDeviceType(decision.getDeviceType())
                        .setCohort(null).setSharePercent(100).setPublishedBy(publishedBy).setPublishedTime(clock.instant())
                        .build();
                producer.send(new ProducerRecord<>(Topics.MODELS, ModelTargets.key(promoted), promoted));
            }
            producer.send(new ProducerRecord<>(Topics.MODELS, ModelTargets.key(tried), null));
            producer.send(new ProducerRecord<>(Topics.MODEL_DECISIONS, decision.getDeviceType(), decision));
            producer.commitTransaction();
        } catch (RuntimeException e) {
            abort(e);
            throw e;
        }
        log.info("{} {} {} on {}: {}", decision.getDecision(), tried.getModel().getName(), tried.getModel().getVersion(),
                ModelTargets.key(tried), decision.getReason());
    }

    private ArtifactFileChunks sendChunks(Path modelsDir, ArtifactFile file) throws IOException {
        List<ModelChunk> chunks = ArtifactChunks.split(modelsDir.resolve(file.path()), file.sha256(), file.bytes(), chunkBytes);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ModelChunk chunk : chunks) {
            sent.add(producer.send(new ProducerRecord<>(Topics.MODEL_CHUNKS,
                    ArtifactChunks.key(chunk.getFileSha256(), chunk.getIndex()), chunk)));
        }
        producer.flush();
        RecordMetadata first;
        try {
            first = sent.get(0).get();
            for (Future<RecordMetadata> each : sent) {
                each.get();
            }
        } catch (ExecutionException e) {
            throw new KafkaException("chunks of " + file.path() + " not written to " + Topics.MODEL_CHUNKS + ": "
                    + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while writing the chunks of " + file.path(), e);
        }
        return ArtifactFileChunks.newBuilder()
                .setPath(file.path())
                .setSha256(file.sha256())
                .setBytes(file.bytes())
                .setChunkTopic(first.topic())
                .setPartition(first.partition())
                .setFirstOffset(first.offset())
                .setChunks(chunks.size())
                .build();
    }

    private void abort(Exception cause) {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * The manifest file with its artifacts cut down to one: every other field kept as written, so the device reads the
     * same contract (input, output, class names) the toolchain wrote.
     */
    static String manifestOf(Path manifestFile, String artifactId) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(manifestFile));
        ArrayNode kept = JSON.createArrayNode();
        root.withArray("artifacts").forEach(a -> {
            if (artifactId.equals(a.path("id").asText())) {
                kept.add(a);
            }
        });
        root.set("artifacts", kept);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
