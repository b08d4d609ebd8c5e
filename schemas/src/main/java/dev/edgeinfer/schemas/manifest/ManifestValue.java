package dev.edgeinfer.schemas.manifest;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * An enum of the manifest, spelled in the file as {@link #manifestName()}: by default the constant's name in lower
 * case with hyphens between words ({@code OPENVINO_IR} is {@code openvino-ir}); {@link UpperCase} values keep their
 * name as it is ({@code FP32}).
 */
public interface ManifestValue {

    /** The enum constant's name. */
    String name();

    /** @return the value as the manifest writes it */
    @JsonValue
    default String manifestName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A value the manifest spells exactly as the constant is named, e.g. {@code FP32}, {@code NHWC}. */
    interface UpperCase extends ManifestValue {
        @JsonValue
        @Override
        default String manifestName() {
            return name();
        }
    }
}
