"""OpenVINO's CPU plugin on one IR compiled two ways, in one process: reshaped to a static batch (as benchmark_app's
-shape does) and as the IR comes, with its dynamic batch dimension (as the edge consumer's engine compiles it).

The two run in alternating bursts of --burst seconds for --seconds in all, so that both see the same phases of a
machine whose speed drifts; each burst keeps --requests infer requests busy on the same batch of random frames.
Prints frames per second of each and their ratio.

    taskset -c 1 .venv/bin/python bench/edge/static-vs-dynamic-batch.py [--artifact openvino-int8] [--batch 64]
        [--requests 4] [--seconds 40] [--burst 0.5] [--models-dir models]
"""
import argparse
import json
import pathlib
import time

import numpy as np
import openvino as ov


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artifact", default="openvino-int8")
    parser.add_argument("--models-dir", default="models")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--requests", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--burst", type=float, default=0.5)
    args = parser.parse_args()

    models = pathlib.Path(args.models_dir)
    manifest = json.loads((models / "manifest.json").read_text())
    artifact = next(a for a in manifest["artifacts"] if a["id"] == args.artifact)
    if artifact["runtime"] != "openvino":
        raise SystemExit(f"{args.artifact} is a {artifact['runtime']} artifact; this compares OpenVINO compilations")
    xml = models / artifact["files"][0]["path"]
    contract = manifest["input"]
    height, width, channels = contract["shape"][1:]
    frames = np.random.default_rng(7).integers(0, 256, (args.batch, height, width, channels), dtype=np.uint8)

    core = ov.Core()
    queues = {}
    for mode in ("static", "dynamic"):
        model = core.read_model(xml)
        if mode == "static":
            model.reshape(list(frames.shape))
        compiled = core.compile_model(model, "CPU", {"PERFORMANCE_HINT": "THROUGHPUT", "NUM_STREAMS": "1"})
        queues[mode] = ov.AsyncInferQueue(compiled, args.requests)
        run(queues[mode], frames, 2.0)  # warm-up: first inferences allocate the plugin's working memory

    done = {"static": 0, "dynamic": 0}
    spent = {"static": 0.0, "dynamic": 0.0}
    start = time.monotonic()
    bursts = 0
    while time.monotonic() - start < args.seconds:
        mode = ("static", "dynamic")[bursts % 2]
        began = time.monotonic()
        done[mode] += run(queues[mode], frames, args.burst) * args.batch
        spent[mode] += time.monotonic() - began
        bursts += 1
    static, dynamic = (done[m] / spent[m] for m in ("static", "dynamic"))
    print(f"{args.artifact}, batch {args.batch}, {args.requests} requests, {bursts} alternating bursts of "
          f"{args.burst} s: static batch {static:.0f} FPS, dynamic batch {dynamic:.0f} FPS, "
          f"static/dynamic {static / dynamic:.3f}")


def run(queue, frames, seconds):
    """Keeps the queue's requests busy for about `seconds`; returns how many batches ran."""
    batches = 0
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        queue.start_async({0: frames})
        batches += 1
    queue.wait_all()
    return batches


if __name__ == "__main__":
    main()
