package dev.edgeinfer.schemas.serde;

import dev.edgeinfer.avro.Accelerator;
import dev.edgeinfer.avro.ArtifactFileChunks;
import dev.edgeinfer.avro.ClassScore;
import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.DeviceTimings;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.HostInfo;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelChunk;
import dev.edgeinfer.avro.ModelDecision;
import dev.edgeinfer.avro.ModelRef;
import dev.edgeinfer.avro.ModelUpdate;
import dev.edgeinfer.avro.ModelUpdateState;
import dev.edgeinfer.avro.ModelVerdict;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.avro.Precision;
import dev.edgeinfer.avro.Prediction;
import java.util.List;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 loads generated classes by name only when they are trusted; this adds the project's contracts to the trusted
 * set once, so a specific reader can instantiate them without system properties.
 */
final class GeneratedClasses {

    private static final List<Class<?>> CONTRACTS = List.of(ImageFrame.class, FrameSource.class, PixelEncoding.class,
            Prediction.class, ClassScore.class, DeviceTimings.class, Accelerator.class, ModelRef.class, Precision.class,
            DeviceHeartbeat.class, HostInfo.class, DeadLetter.class, FailureStage.class, ModelUpdate.class,
            ModelUpdateState.class, ModelAssignment.class, ArtifactFileChunks.class, ModelChunk.class, ModelDecision.class,
            ModelVerdict.class);
    private static boolean trusted;

    private GeneratedClasses() {
    }

    static synchronized void trust() {
        if (trusted) {
            return;
        }
        ClassSecurityValidator.Builder builder = ClassSecurityValidator.builder();
        CONTRACTS.forEach(builder::add);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), builder.build()));
        trusted = true;
    }
}
