package dev.edgeinfer.schemas.manifest;

/** The order of an image input's colour channels. Frames are RGB, so it is the only order a model may take. */
public enum ColorOrder implements ManifestValue.UpperCase {
    /** Red, green, blue. */
    RGB;
}
