"""Write models/README.md from models/manifest.json (and the training summary).

The training summary (model/build/train/summary.json) exists only after a
retrain; without it, "The network" section is carried over from the current
models/README.md (e.g. when only the LiteRT artifacts are rebuilt).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODELS = HERE.parent / "models"


def network_section(models: Path, summary: dict, m: dict, hp_text: str, schedule_text: str, minutes: float) -> str:
    """The "The network" section; without a training summary, the current README's (the summary is not committed)."""
    old = models / "README.md"
    if not summary and old.exists():
        found = re.search(r"^## The network\n.*?(?=^## )", old.read_text(), re.S | re.M)
        if found:
            return found.group(0)
    return f"""## The network

{m['architecture']}

- Parameters: {m['parameters']:,} (limit 1,000,000).
- Multiply-accumulates per image: {m['macsPerImage']:,} (convolutions and the
  classifier; BatchNorm is folded into the convolutions on export; limit 25,000,000).
- Trained at commit `{m['trainedAtCommit']}`.
- Training: {hp_text} Augmentation: random 32x32 crop of the image padded by 4
  pixels (reflection), random horizontal flip.
- Training took {m['trainingSeconds']} s ({minutes:.0f} minutes) on {m['trainingHost']}.{schedule_text}
  PyTorch's own top-1 at the end of training: {m['trainingTestTop1'] * 100:.2f}%.
  The last epoch's weights are exported; no checkpoint was selected on the test set.

"""


def main() -> None:
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--models-dir", default=str(MODELS))
    ap.add_argument("--summary", default=str(HERE / "build" / "train" / "summary.json"))
    args = ap.parse_args()
    models = Path(args.models_dir)
    man = json.loads((models / "manifest.json").read_text())
    summary_path = Path(args.summary)
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    hp = summary.get("hyperparameters")
    m, inp, norm = man["model"], man["input"], man["input"]["normalization"]
    by_id = {a["id"]: a for a in man["artifacts"]}
    fp32 = by_id["onnx-fp32"]["evaluation"]["testTop1"]

    def own(a):
        # An artifact re-evaluated on another host than the manifest's names that host; its latencies are marked.
        return "*" if "evaluationHost" in a else ""

    rows = []
    for a in man["artifacts"]:
        e = a["evaluation"]
        size = sum(f["bytes"] for f in a["files"])
        files = ", ".join(f"`{f['path']}`" for f in a["files"])
        rows.append(
            f"| `{a['id']}` | {a['format']} | {a['precision']} | {a['runtime']} | {size / 1024:.0f} KiB | "
            f"{e['testTop1'] * 100:.2f}% | {(e['testTop1'] - fp32) * 100:+.2f} | {e['first1000Top1'] * 100:.1f}% | "
            f"{e['latencyMsPerImageBatch1']:.3f}{own(a)} | {e['latencyMsPerImageBatch32']:.3f}{own(a)} | {files} |")
    total = sum(f["bytes"] for a in man["artifacts"] for f in a["files"])
    elsewhere = [a for a in man["artifacts"] if "evaluationHost" in a]
    own_hosts = "".join(f"\\* `{a['id']}`'s latencies come from its own evaluation host in the manifest "
                        f"({a['evaluationHost'].split(',')[0]}).\n\n" for a in elsewhere)
    minutes = m["trainingSeconds"] / 60

    hp_text = ""
    if hp:
        hp_text = (f"SGD with Nesterov momentum {hp['momentum']}, peak learning rate {hp['lr']} "
                   f"(one-cycle: linear warm-up over the first {hp['warmup_frac']:.0%} of the steps, then linear "
                   f"decay to 0), weight decay {hp['weight_decay']}, label smoothing {hp['label_smoothing']}, "
                   f"batch {hp['batch_size']}, {m['epochs']} epochs, seed {hp['seed']}, "
                   f"{'bfloat16 autocast (weights and BatchNorm statistics kept in float32)' if hp['bf16'] else 'float32'}, "
                   f"channels-last.")

    schedule_text = ""
    if "phase2" in summary:
        p1, p2 = summary["phase1"], summary["phase2"]
        e1 = p1["steps"] // (50000 // hp["batch_size"])
        ep2 = p2["steps"] / (50000 // hp["batch_size"])
        hp_text = (f"SGD with Nesterov momentum {hp['momentum']}, weight decay {hp['weight_decay']}, label "
                   f"smoothing {hp['label_smoothing']}, batch {hp['batch_size']}, "
                   f"{'bfloat16 autocast (weights and BatchNorm statistics kept in float32)' if hp['bf16'] else 'float32'}, "
                   f"channels-last. Learning rate in two phases: (1) the {hp['epochs']}-epoch one-cycle schedule "
                   f"(linear warm-up to {hp['lr']} over the first {hp['warmup_frac']:.0%} of the steps, then linear "
                   f"decay), seed {hp['seed']}, stopped after epoch {e1} ({p1['steps']} steps, {p1['trainingSeconds']} s); "
                   f"(2) resumed from those weights with a new momentum buffer and seed {p2['seed']}, the learning "
                   f"rate decaying linearly from {p2['lrStart']:.3f} to 0 over {p2['steps']} steps "
                   f"({ep2:.1f} epochs, {p2['seconds']} s); {m['epochs']} epochs in all. The run was "
                   f"switched to the second phase when the shared CPU became several times slower than when the "
                   f"run was planned; the second phase's decay was set by a wall-clock budget of "
                   f"{p2['decaySeconds']:.0f} s, which (the CPU having become faster again) came to "
                   f"{p2['steps']} steps; `model/retrain.sh` replays it by step count.")
        schedule_text = " " + summary.get("readmeNote", "")

    lite = {a["id"]: a for a in man["artifacts"] if a["runtime"] == "litert"}
    lite_int8 = lite.get("litert-int8")
    lite_out_q = lite_int8["output"]["quantization"] if lite_int8 else None
    int8_count = sum(a["precision"] == "INT8" for a in man["artifacts"])
    int8_words = {2: "Both", 3: "All three"}.get(int8_count, "All")

    per_class = " | ".join(f"{v * 100:.1f}%" for v in by_id["onnx-fp32"]["evaluation"]["perClassTop1"].values())

    text = f"""# Models

Image classifiers for the edge devices of the pipeline. Every artifact below is
the same network, `{m['name']}` version `{m['version']}`, in a different format
and precision; `manifest.json` describes each one (files, sha256, contract,
class names, evaluation) and is what the engines read.

This file is generated by `model/write_readme.py` from `manifest.json`.

## Input / output contract (all artifacts)

| | name | type | layout / shape | meaning |
|---|---|---|---|---|
| input | `{inp['name']}` | uint8 (`{inp['elementType']}`) | {inp['layout']} `[N, 32, 32, 3]`, N dynamic | {inp['colorOrder']} pixels, 0..255, no preprocessing by the caller |
| output | `{man['output']['name']}` | float32 (`{man['output']['elementType']}`) | `[N, 10]` | raw logits in class-index order (apply softmax for scores) |

The LiteRT (`.tflite`) files differ in two ways, recorded in their own `input`
and `output` entries in the manifest: the batch is fixed at 1 (`[1, 32, 32, 3]`
in, `[1, 10]` out), and `litert-int8`'s output is uint8 quantized logits,
logit = (q - zeroPoint) * scale{f" (scale {lite_out_q['scale']:.9g}, zero point {lite_out_q['zeroPoint']})" if lite_out_q else ""}.
Its input is uint8 with scale 1 and zero point 0: the same raw pixels.

Normalization is **inside the graph**; callers feed raw RGB bytes. The graph
computes, for channel c in R, G, B order:

```
y[n, c, h, w] = (float(x[n, h, w, c]) / {norm['scale']} - mean[c]) / std[c]
mean = {norm['mean']}
std  = {norm['std']}
```

and then runs the network on `y` (NCHW). The mean and standard deviation are
those of the 50,000 CIFAR-10 training images on the 0..1 scale, rounded to four
decimals. A CIFAR-10 binary record (label byte, 1024 R, 1024 G, 1024 B bytes,
each plane row-major) becomes the input by interleaving the three planes:
`image[h][w][c] = record[1 + c * 1024 + h * 32 + w]`.

Class names, index 0..9: {', '.join(f'`{c}`' for c in man['classNames'])}.

## Artifacts

Test top-1 is on all 10,000 CIFAR-10 test images; "Δ" is the difference to
the ONNX FP32 artifact in points. Latency is the mean wall time per image at
batch 1 and at batch 32, measured in Python with the artifact's own runtime on
{man['evaluationHost']}.

| id | format | precision | runtime | size | test top-1 | Δ | first 1000 | ms/img b1 | ms/img b32 | files |
|---|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

{own_hosts}All artifacts together: {total / 1024 / 1024:.1f} MiB.

- ONNX files use opset 17. `onnx-int8` is static QDQ quantization by
  `onnxruntime.quantization.quantize_static` (int8 per-channel weights in a
  7-bit range, int8 activations, MinMax calibration); the input normalization
  stays in float. The 7-bit range (`reduce_range`) keeps ONNX Runtime's
  u8 x s8 kernels on x86 CPUs without VNNI from saturating, where full-range
  weights cost this model points of top-1.
- `openvino-fp32` and `openvino-fp16` are converted from the ONNX FP32 model;
  FP16 stores the weights in half precision (compressed weights).
- `openvino-int8` is NNCF post-training quantization of the OpenVINO model.
- `litert-fp32` and `litert-int8` (LiteRT, the TensorFlow Lite format) are
  built by `model/export_litert.py` from the weights of the `onnx-fp32` file
  (see "LiteRT artifacts" below); `litert-int8` is full-integer post-training
  quantization by the TensorFlow Lite converter.
- {int8_words} INT8 artifacts are calibrated on the same {by_id['openvino-int8']['quantization']['calibrationImages']} images of the
  **training** split (a fixed random subset, seed {by_id['openvino-int8']['quantization']['calibrationSeed']}); no test image is used.
- OpenVINO artifacts are evaluated with `INFERENCE_PRECISION_HINT=f32`
  (`runtimeConfig` in the manifest). On CPUs with AMX or AVX512-BF16 the CPU
  plugin would otherwise run float layers in bfloat16; engines should pass the
  same setting to get the manifest's numbers.
- LiteRT artifacts are evaluated with the `ai_edge_litert` interpreter on the
  CPU (XNNPACK) with the thread count in their `runtimeConfig`, one image per
  call (their batch is fixed at 1): their batch-32 latency is 32 single-image calls.

Per-class top-1 of `onnx-fp32` ({', '.join(man['classNames'])}): {per_class}.
Confusion matrices (rows: true class, columns: predicted class) are in the manifest.

{network_section(models, summary, m, hp_text, schedule_text, minutes)}## Retrain (one command)

```
CIFAR10_DIR=/path/to/cifar-10-batches-bin model/retrain.sh
```

It creates `model/.venv-train` from `model/requirements-train.txt` (PyTorch CPU
training, onnx, nncf, openvino, onnxruntime, and `model/requirements-litert.txt`:
TensorFlow CPU and ai-edge-litert), trains (`model/train.py`), exports and
quantizes (`model/export.py`), converts the new ONNX FP32 model to LiteRT
(`model/export_litert.py`), evaluates every artifact with its runtime
(`model/evaluate.py`, writes `manifest.json`) and rewrites this file
(`model/write_readme.py`). Seeds are fixed (model initialisation, shuffling,
augmentation, calibration subset); results can still differ slightly across
CPUs and thread counts because of floating-point reduction order. Then commit
`models/`. `CIFAR10_DIR` must hold `data_batch_1.bin` .. `data_batch_5.bin`
and `test_batch.bin` (the official binary release); nothing of the data set is
committed.

## Runtime environment and test

```
model/setup-runtime.sh                         # creates/updates .venv (idempotent)
CIFAR10_DIR=/path/to/cifar-10-batches-bin .venv/bin/python -m pytest model/tests
```

`.venv` holds only the pinned runtimes of `model/requirements-runtime.txt`
(OpenVINO, ONNX Runtime, LiteRT's `ai-edge-litert`, numpy, pytest; no
TensorFlow); OpenVINO's native libraries are in
`.venv/lib/python3.11/site-packages/openvino/libs`, and LiteRT's C library is
`.venv/lib/python3.11/site-packages/ai_edge_litert/libLiteRt.so`. The test
checks the sha256 and size of every file in the manifest, the input/output
contract, dynamic batch, and top-1 on the first 1,000 test images against the
manifest (within 0.5 point) for every artifact, each run by its own runtime;
that every INT8 artifact's test top-1 is within 1.0 point of the FP32 artifact
of its format; and that the LiteRT files' tensors (shapes, element types,
quantization, integer-only inside `litert-int8`) are those the manifest records.

## LiteRT artifacts

`litert-fp32` and `litert-int8` are TensorFlow Lite flatbuffers for LiteRT.
The training checkpoint is not committed, so they are built from the
committed `onnx-fp32` file, which holds the trained weights with BatchNorm
folded into the convolutions:

```
CIFAR10_DIR=/path/to/cifar-10-batches-bin model/export-litert.sh
```

creates `model/.venv-litert` from `model/requirements-litert.txt` (TensorFlow
CPU, ai-edge-litert, onnx, onnxruntime; no PyTorch), runs
`model/export_litert.py`, evaluates both files (`model/evaluate.py --only
litert-fp32,litert-int8`, which updates only their manifest entries) and
rewrites this file. `model/retrain.sh` runs the same conversion after a
retrain.

- `model/export_litert.py` reads the ONNX graph node by node and rebuilds it
  with plain TensorFlow ops in NHWC (kernels transposed OIHW -> HWIO; the
  input normalization becomes one multiply-add per channel; the logit scale
  is folded into the classifier weights), then converts it with
  `tf.lite.TFLiteConverter`. It refuses a graph with any other operator.
  `litert-fp32`'s logits match ONNX Runtime's on the `onnx-fp32` file within
  1e-3 (checked on every export).
- `litert-int8`: `Optimize.DEFAULT` with the calibration images as the
  representative dataset, integer kernels only (`TFLITE_BUILTINS_INT8`),
  uint8 input and output: int8 per-channel symmetric weights, int8
  activations, int32 biases; no float tensor is left in the graph.
- Batch fixed at 1, signature `serving_default` (input `image`, output
  `logits`). Operators: CAST (FP32 only), QUANTIZE (INT8 only: uint8 <-> int8
  at the input and output), MUL and ADD (normalization, residual additions),
  CONV_2D with fused ReLU, MAX_POOL_2D, FULLY_CONNECTED.
- A rerun writes byte-identical files (same TensorFlow version and CPU); the
  manifest's sha256 identifies the committed ones.

## Coral Edge TPU (not compiled or run)

`litert-int8` is shaped for the Coral Edge TPU: full-integer, uint8 input and
output, static shapes, and only operators on the Edge TPU's list of
supported operations. It has **not** been compiled or run on an Edge TPU: the
Edge TPU compiler is not among the project's tools (it ships only as the
`edgetpu-compiler` Debian package from Coral's own apt repository, for x86-64
Linux). To compile it, from the repository root:

```
edgetpu_compiler -s -o model/build/edgetpu models/{m['name']}/litert-int8/model.tflite
```

This writes `model/build/edgetpu/model_edgetpu.tflite` and a log; `-s` prints
which operators were mapped to the Edge TPU (any that are not would run on
the host CPU). The compiler's last release predates this TensorFlow version;
whether it accepts every operator version in the file is unchecked.
Running the compiled file needs the Edge TPU runtime `libedgetpu`
(`libedgetpu1-std` or `libedgetpu1-max`, same repository) and a LiteRT
interpreter that loads it as a delegate (`load_delegate("libedgetpu.so.1")`
in Python); the `ai-edge-litert` package has no Edge TPU delegate of its own,
and the project's engines do not load one. A compiled model's accuracy would
have to be measured again on the device.
"""
    (models / "README.md").write_text(text)
    print(f"wrote {models / 'README.md'}")


if __name__ == "__main__":
    sys.exit(main())
