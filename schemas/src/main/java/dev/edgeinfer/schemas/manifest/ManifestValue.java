package dev.edgeinfer.schemas.manifest;

/** An enum of the manifest, spelled in the file as {@link #manifestName()}. */
interface ManifestValue {
    /** @return the value as the manifest writes it */
    String manifestName();
}
