/**
 * The project's LiteRT Java API: a JNA binding to LiteRT's {@code CompiledModel} C API ({@code libLiteRt.so} of the
 * {@code ai-edge-litert} wheel), pinned to one release ({@link dev.edgeinfer.litert.LiteRtLibrary#PINNED_VERSION}).
 *
 * <p>Each native object is one final {@link java.lang.AutoCloseable} class ({@link dev.edgeinfer.litert.Environment},
 * {@link dev.edgeinfer.litert.Model}, {@link dev.edgeinfer.litert.CompilationOptions},
 * {@link dev.edgeinfer.litert.CompiledModel}, {@link dev.edgeinfer.litert.TensorBuffer}). Whoever receives one from a
 * factory method owns it and closes it; a closed object throws {@link java.lang.IllegalStateException}. An object
 * that LiteRT needs to outlive others (the environment, a model and options under their compiled models) is freed
 * only once those are: closing in any order is safe. Native pointers never leave this package. Every failing C call
 * becomes a {@link dev.edgeinfer.litert.LiteRtException} carrying the {@code LiteRtStatus}.
 */
package dev.edgeinfer.litert;
