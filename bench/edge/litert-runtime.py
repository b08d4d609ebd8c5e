#!/usr/bin/env python3
"""LiteRT's own runtime driven as fast as it goes: the reference of consumer-ab.sh --litert-runtime yes.

    litert-runtime.py MODEL THREADS SECONDS

Runs the artifact with ai_edge_litert's Interpreter (the Python runtime of the pinned wheel, the same libLiteRt the
edge consumer binds) on the CIFAR-10 test images of CIFAR10_DIR, one image per run as the batch-1 model takes them,
with THREADS XNNPACK threads, for SECONDS after a first run. It prints what ab-window.py reads from a reference, in
benchmark_app's words: "First inference took", then "Dumping statistics report" and the throughput and duration of
the measured span.
"""
import os
import sys
import time

import numpy as np
from ai_edge_litert.interpreter import Interpreter


def test_images():
    """The 10,000 CIFAR-10 test images as uint8 NHWC arrays of shape (1, 32, 32, 3)."""
    raw = np.fromfile(os.path.join(os.environ["CIFAR10_DIR"], "test_batch.bin"), dtype=np.uint8).reshape(-1, 3073)
    return [np.ascontiguousarray(r[1:].reshape(3, 32, 32).transpose(1, 2, 0))[None] for r in raw]


def main():
    model, threads, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    interpreter = Interpreter(model_path=model, num_threads=threads)
    interpreter.allocate_tensors()
    input_index = interpreter.get_input_details()[0]["index"]
    output_index = interpreter.get_output_details()[0]["index"]
    images = test_images()
    start = time.perf_counter()
    interpreter.set_tensor(input_index, images[0])
    interpreter.invoke()
    interpreter.get_tensor(output_index)
    print(f"First inference took {1000 * (time.perf_counter() - start):.2f} ms", flush=True)
    frames, start = 0, time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        interpreter.set_tensor(input_index, images[frames % len(images)])
        interpreter.invoke()
        interpreter.get_tensor(output_index).argmax()
        frames += 1
    duration = time.perf_counter() - start
    print("Dumping statistics report", flush=True)
    print(f"Count: {frames} iterations")
    print(f"Duration: {1000 * duration:.2f} ms")
    print(f"Throughput: {frames / duration:.2f} FPS", flush=True)


if __name__ == "__main__":
    main()
