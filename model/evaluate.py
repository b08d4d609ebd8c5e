"""Evaluate every artifact with its own runtime on the full CIFAR-10 test set and
write models/manifest.json.

With --only ID[,ID...] only those artifacts are evaluated and their entries
replaced (or added) in the existing manifest; the model block and the other
artifacts are kept. model/export-litert.sh uses it for the LiteRT artifacts,
which are built from the committed ONNX FP32 artifact without retraining.

For each artifact: top-1, per-class top-1, confusion matrix (rows = true class,
columns = predicted class), mean latency per image at batch 1 and batch 32.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import cifar_data  # noqa: E402
import runtimes  # noqa: E402

ARTIFACTS = [
    # id, format, precision, runtime, files
    ("onnx-fp32", "onnx", "FP32", "onnxruntime", ["model.onnx"]),
    ("onnx-int8", "onnx", "INT8", "onnxruntime", ["model.onnx"]),
    ("openvino-fp32", "openvino-ir", "FP32", "openvino", ["model.xml", "model.bin"]),
    ("openvino-fp16", "openvino-ir", "FP16", "openvino", ["model.xml", "model.bin"]),
    ("openvino-int8", "openvino-ir", "INT8", "openvino", ["model.xml", "model.bin"]),
    ("litert-fp32", "tflite", "FP32", "litert", ["model.tflite"]),
    ("litert-int8", "tflite", "INT8", "litert", ["model.tflite"]),
]

QUANTIZATION_METHODS = {
    "openvino": "NNCF post-training quantization (nncf.quantize, preset MIXED, fast bias correction), 8-bit",
    "onnxruntime": ("onnxruntime.quantization.quantize_static, QDQ format, MinMax calibration, "
                    "int8 per-channel symmetric weights in a 7-bit range (reduce_range), int8 asymmetric activations; "
                    "input normalization kept in float"),
    "litert": ("TensorFlow Lite converter full-integer post-training quantization (Optimize.DEFAULT, representative "
               "dataset, TFLITE_BUILTINS_INT8 only): int8 per-channel symmetric weights, int8 asymmetric "
               "activations, int32 biases, uint8 input and output; the input normalization is quantized too"),
}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def cpu_description() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def timed_predict(pred, images: np.ndarray, batch: int, warmup: int = 20):
    for i in range(warmup):
        pred.predict(images[:batch])
    outs = []
    t0 = time.perf_counter()
    for i in range(0, len(images), batch):
        outs.append(pred.predict(images[i:i + batch]))
    dt = time.perf_counter() - t0
    return np.concatenate(outs), dt * 1000.0 / len(images)


def evaluate(models_dir: Path, name: str, art: tuple, x: np.ndarray, y: np.ndarray, b1_images: int) -> dict:
    aid, fmt, prec, runtime, files = art
    entry = {
        "id": aid, "format": fmt, "precision": prec, "runtime": runtime,
        "files": [], "sha256": None,
    }
    for f in files:
        p = models_dir / name / aid / f
        entry["files"].append({"path": f"{name}/{aid}/{f}", "sha256": sha256(p), "bytes": p.stat().st_size})
    entry["sha256"] = entry["files"][0]["sha256"]
    pred = runtimes.open_artifact(models_dir, entry)
    logits32, ms32 = timed_predict(pred, x, 32)
    p32 = logits32.argmax(1)
    _, ms1 = timed_predict(pred, x[:b1_images], 1)
    top1 = float((p32 == y).mean())
    conf = np.zeros((10, 10), dtype=np.int64)
    np.add.at(conf, (y, p32), 1)
    per_class = {c: round(float(conf[i, i] / conf[i].sum()), 4) for i, c in enumerate(cifar_data.CLASS_NAMES)}
    entry["evaluation"] = {
        "testTop1": round(top1, 4),
        "testImages": int(len(y)),
        "first1000Top1": round(float((p32[:1000] == y[:1000]).mean()), 4),
        "perClassTop1": per_class,
        "confusionMatrix": conf.tolist(),
        "latencyMsPerImageBatch1": round(ms1, 4),
        "latencyMsPerImageBatch32": round(ms32, 4),
        "latencyBatch1Images": int(b1_images),
    }
    if runtime == "openvino":
        entry["runtimeConfig"] = dict(runtimes.OPENVINO_CONFIG)
    if runtime == "litert":
        # Built by model/export_litert.py from the onnx-fp32 file's weights. The file's own tensors differ from the
        # shared contract: a fixed batch of 1 and, for INT8, a quantized uint8 output.
        entry["convertedFrom"] = "onnx-fp32"
        entry["runtimeConfig"] = dict(runtimes.LITERT_CONFIG)
        entry["signature"] = runtimes.LITERT_SIGNATURE
        entry["input"], entry["output"] = pred.tensor_contract()
    print(f"{aid:14s} top1={top1:.4f} b1={ms1:.3f} ms b32={ms32:.3f} ms/img", flush=True)
    return entry


def evaluation_host() -> str:
    return (f"{cpu_description()}, 2 CPU cores shared with other work; OpenVINO and ONNX Runtime default thread "
            f"settings, LiteRT with {runtimes.LITERT_CONFIG['num_threads']} threads")


def quantization(runtime: str, calib: dict) -> dict:
    return {"method": QUANTIZATION_METHODS[runtime], "calibrationImages": calib["calibrationImages"],
            "calibrationSplit": calib["calibrationSplit"], "calibrationSeed": calib["calibrationSeed"]}


def calibration_info(path: Path) -> dict:
    """What model/export.py recorded; without it (LiteRT only, no retrain) the calibration subset it defines."""
    if path.is_file():
        return json.loads(path.read_text())
    import export
    return {"calibrationImages": export.CALIBRATION_IMAGES, "calibrationSplit": "train",
            "calibrationSeed": export.CALIBRATION_SEED}


def update(models_dir: Path, ids: list[str], calib: dict, b1_images: int) -> None:
    """Evaluate only `ids` and replace or add their entries in the existing manifest."""
    path = models_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    known = {a[0]: a for a in ARTIFACTS}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise SystemExit(f"unknown artifact id(s) {unknown}; known: {list(known)}")
    x, y = cifar_data.load_test()
    by_id = {a["id"]: a for a in manifest["artifacts"]}
    same_host = manifest["evaluationHost"].split(",")[0] == cpu_description()
    for aid in ids:
        art = known[aid]
        entry = evaluate(models_dir, manifest["model"]["name"], art, x, y, b1_images)
        if art[2] == "INT8":
            entry["quantization"] = quantization(art[3], calib)
        if not same_host:
            entry["evaluationHost"] = (f"{cpu_description()}: this artifact's latencies were measured there, "
                                       f"the other artifacts' on the evaluation host above")
        by_id[aid] = entry
    manifest["artifacts"] = [by_id[a[0]] for a in ARTIFACTS if a[0] in by_id]
    if same_host:
        manifest["evaluationHost"] = evaluation_host()
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"updated {', '.join(ids)} in {path}")


def training_command(summary: dict) -> str:
    def cmd(hp: dict, extra: str = "") -> str:
        parts = [f"--{k.replace('_', '-')} {v}" for k, v in hp.items()
                 if k not in ("bf16", "threads", "resume", "decay_seconds", "decay_steps") and v is not None and v is not False and v != 0 or k == "seed"]
        return "model/train.py " + " ".join(parts) + (" --bf16" if hp.get("bf16") else "") + extra
    if "phase2" in summary:
        p2 = summary["phase2"]
        return (cmd(summary["phase1"]["hyperparameters"], " --out model/build/phase1") + " && "
                f"model/train.py --resume model/build/phase1 --decay-steps {p2['steps']} --seed {p2['seed']}"
                + (" --bf16" if summary["hyperparameters"].get("bf16") else ""))
    return cmd(summary["hyperparameters"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models-dir", default=str(HERE.parent / "models"))
    ap.add_argument("--summary", default=str(HERE / "build" / "train" / "summary.json"))
    ap.add_argument("--calibration", default=str(HERE / "build" / "calibration.json"))
    ap.add_argument("--b1-images", type=int, default=10000)
    ap.add_argument("--version", default="1.0.0")
    ap.add_argument("--only", default=None,
                    help="comma-separated artifact ids: evaluate only these and update them in the existing manifest")
    args = ap.parse_args()

    import net_meta
    models_dir = Path(args.models_dir)
    calib = calibration_info(Path(args.calibration))
    if args.only:
        update(models_dir, args.only.split(","), calib, args.b1_images)
        return
    summary = json.loads(Path(args.summary).read_text())
    name = summary["modelName"]
    x, y = cifar_data.load_test()

    artifacts = []
    for art in ARTIFACTS:
        entry = evaluate(models_dir, name, art, x, y, args.b1_images)
        if art[2] == "INT8":
            entry["quantization"] = quantization(art[3], calib)
        artifacts.append(entry)

    manifest = {
        "formatVersion": 1,
        "model": {
            "name": name,
            "version": args.version,
            "trainedAtCommit": summary["trainedAtCommit"],
            "architecture": summary["architecture"],
            "parameters": summary["parameters"],
            "macsPerImage": summary["macsPerImage"],
            "dataset": "CIFAR-10",
            "trainingSeconds": summary["trainingSeconds"],
            "trainingHost": summary["trainingHost"] + (
                ", bfloat16 autocast (AMX)" if summary["hyperparameters"].get("bf16") else ", float32"),
            "trainingCommand": training_command(summary),
            "epochs": int(round(summary["epochs"])),
            "epochsExact": summary["epochs"],
            "trainingSteps": summary["steps"],
            "trainingTestTop1": round(summary["torchTestTop1"], 4),
        },
        "input": net_meta.INPUT,
        "output": net_meta.OUTPUT,
        "classNames": cifar_data.CLASS_NAMES,
        "labelSet": "cifar-10",
        "evaluationHost": evaluation_host(),
        "artifacts": artifacts,
    }
    (models_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {models_dir / 'manifest.json'}")


if __name__ == "__main__":
    main()
