"""Reference top-1 classes of one model artifact, computed by the artifact's own runtime's Python API.

Runs the artifact named in the manifest (OpenVINO IR through `openvino`, ONNX through `onnxruntime`, .tflite through
`ai_edge_litert`'s Interpreter) on the CIFAR-10 test images of `test_batch.bin` in file order and writes one byte per image, the index of its
highest-scoring class. ReferenceParityIT compares the Java engines against this file.

Usage:
    CIFAR10_DIR=... python reference_top1.py --models-dir models --artifact openvino-int8 --out top1.bin \
        [--images 10000] [--batch 100] [--inference-precision f32]

Prints one JSON line: artifact, runtime, runtime version, images, top-1 accuracy and the settings used.
Needs numpy and the runtime of the artifact only.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

RECORD_BYTES = 1 + 32 * 32 * 3


def test_images(count: int) -> tuple[np.ndarray, np.ndarray]:
    """The first `count` test images as uint8 NHWC RGB, and their labels."""
    folder = os.environ.get("CIFAR10_DIR")
    if not folder:
        sys.exit("reference_top1: CIFAR10_DIR is not set (the folder holding test_batch.bin)")
    raw = np.fromfile(Path(folder) / "test_batch.bin", dtype=np.uint8)
    records = raw.reshape(-1, RECORD_BYTES)
    if len(records) < count:
        sys.exit(f"reference_top1: test_batch.bin holds {len(records)} images, {count} asked for")
    records = records[:count]
    labels = records[:, 0].astype(np.int64)
    # Each record stores the red, green and blue planes one after the other; the models take interleaved RGB.
    images = records[:, 1:].reshape(count, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels


def openvino_scorer(model_file: Path, precision: str | None):
    import openvino as ov

    core = ov.Core()
    config = {"INFERENCE_PRECISION_HINT": precision} if precision else {}
    compiled = core.compile_model(core.read_model(str(model_file)), "CPU", config)
    request = compiled.create_infer_request()
    settings = {"INFERENCE_PRECISION_HINT": compiled.get_property("INFERENCE_PRECISION_HINT").get_type_name()}

    def score(images: np.ndarray) -> np.ndarray:
        request.infer({0: images})
        return request.get_output_tensor(0).data.copy()

    return score, ov.get_version(), settings


def onnxruntime_scorer(model_file: Path):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(model_file), sess_options=options, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name

    def score(images: np.ndarray) -> np.ndarray:
        return session.run(None, {input_name: images})[0]

    return score, ort.__version__, {"providers": session.get_providers()}


def litert_scorer(model_file: Path):
    from ai_edge_litert import interpreter as litert

    runner = litert.Interpreter(model_path=str(model_file))
    runner.allocate_tensors()
    inp, out = runner.get_input_details()[0], runner.get_output_details()[0]
    batch = int(inp["shape"][0])
    scale, zero_point = out["quantization"]

    def score(images: np.ndarray) -> np.ndarray:
        # The .tflite artifacts have a static batch (1): run the images that many at a time.
        scores = []
        for start in range(0, len(images), batch):
            chunk = images[start:start + batch]
            padded = np.zeros((batch, *chunk.shape[1:]), dtype=np.uint8)
            padded[:len(chunk)] = chunk
            runner.set_tensor(inp["index"], padded)
            runner.invoke()
            raw = runner.get_tensor(out["index"])[:len(chunk)]
            scores.append(raw if raw.dtype == np.float32 else (raw.astype(np.float32) - zero_point) * scale)
        return np.concatenate(scores)

    version = getattr(sys.modules["ai_edge_litert"], "__version__", "unknown")
    return score, version, {"modelBatch": batch, "outputQuantization": [float(scale), int(zero_point)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path, required=True, help="folder holding manifest.json")
    parser.add_argument("--artifact", required=True, help="artifact id from the manifest, e.g. openvino-int8")
    parser.add_argument("--out", type=Path, required=True, help="file to write, one top-1 class byte per image")
    parser.add_argument("--images", type=int, default=10000, help="test images from the start (default 10000)")
    parser.add_argument("--batch", type=int, default=100, help="images per inference (default 100)")
    parser.add_argument("--inference-precision", default=None,
                        help="OpenVINO INFERENCE_PRECISION_HINT (f32, bf16, f16); default: the device's choice")
    args = parser.parse_args()

    manifest = json.loads((args.models_dir / "manifest.json").read_text(encoding="utf-8"))
    artifact = next((a for a in manifest["artifacts"] if a["id"] == args.artifact), None)
    if artifact is None:
        sys.exit(f"reference_top1: no artifact {args.artifact!r} in {args.models_dir / 'manifest.json'}")
    model_file = args.models_dir / artifact["files"][0]["path"]
    if artifact["runtime"] == "openvino":
        score, version, settings = openvino_scorer(model_file, args.inference_precision)
    elif artifact["runtime"] == "onnxruntime":
        score, version, settings = onnxruntime_scorer(model_file)
    elif artifact["runtime"] == "litert":
        score, version, settings = litert_scorer(model_file)
    else:
        sys.exit(f"reference_top1: unknown runtime {artifact['runtime']!r}")

    images, labels = test_images(args.images)
    top1 = np.empty(args.images, dtype=np.uint8)
    for start in range(0, args.images, args.batch):
        scores = score(images[start:start + args.batch])
        top1[start:start + len(scores)] = scores.argmax(axis=1)
    args.out.write_bytes(top1.tobytes())
    print(json.dumps({
        "artifact": args.artifact,
        "runtime": artifact["runtime"],
        "runtimeVersion": version,
        "images": args.images,
        "top1": float((top1 == labels).mean()),
        "settings": settings,
    }))


if __name__ == "__main__":
    main()
