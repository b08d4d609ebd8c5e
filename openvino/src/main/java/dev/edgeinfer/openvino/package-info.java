/**
 * The project's OpenVINO Java API: a JNA binding to OpenVINO's C API ({@code libopenvino_c}), pinned to one
 * release's ABI ({@link dev.edgeinfer.openvino.OpenVinoLibrary#PINNED_VERSION}).
 *
 * <p>Each native object is one final {@link java.lang.AutoCloseable} class ({@link dev.edgeinfer.openvino.Core},
 * {@link dev.edgeinfer.openvino.Model}, {@link dev.edgeinfer.openvino.CompiledModel},
 * {@link dev.edgeinfer.openvino.InferRequest}, {@link dev.edgeinfer.openvino.Tensor} and the
 * {@link dev.edgeinfer.openvino.PrePostProcessor} pieces). Whoever receives one from a factory method owns it and
 * closes it; a closed object throws {@link java.lang.IllegalStateException}. Native pointers never leave this
 * package. Every failing C call becomes an {@link dev.edgeinfer.openvino.OpenVinoException} carrying the
 * {@code ov_status_e} and the library's own error text.
 */
package dev.edgeinfer.openvino;
