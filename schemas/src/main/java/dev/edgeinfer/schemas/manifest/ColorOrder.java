package dev.edgeinfer.schemas.manifest;

import com.fasterxml.jackson.annotation.JsonValue;

/** The order of an image input's colour channels. Frames are RGB, so it is the only order a model may take. */
public enum ColorOrder implements ManifestValue {
    /** Red, green, blue. */
    RGB;

    /** @return the name in the manifest, {@code RGB} */
    @JsonValue
    @Override
    public String manifestName() {
        return name();
    }
}
