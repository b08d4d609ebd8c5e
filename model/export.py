"""Export the trained network to every deployable artifact.

  onnx-fp32      ONNX (opset 17), FP32
  openvino-fp32  OpenVINO IR converted from the ONNX model, FP32 weights
  openvino-fp16  OpenVINO IR, weights compressed to FP16
  openvino-int8  OpenVINO IR, NNCF post-training quantization (training images)
  onnx-int8      ONNX, static QDQ quantization by onnxruntime.quantization

Every artifact takes `image` (uint8, NHWC [N,32,32,3], RGB, 0..255) and returns
`logits` (float32 [N,10]); the normalization is inside the graph.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import cifar_data  # noqa: E402

OPSET = 17
CALIBRATION_IMAGES = 1000
CALIBRATION_SEED = 1234


def calibration_images() -> tuple[np.ndarray, np.ndarray]:
    """A fixed random subset of the TRAINING split (never test images)."""
    x, _ = cifar_data.load_train()
    idx = np.sort(np.random.default_rng(CALIBRATION_SEED).choice(len(x), CALIBRATION_IMAGES, replace=False))
    return x[idx], idx


def export_onnx(state_path: Path, dst: Path) -> None:
    import torch
    import net

    model = net.ResNet9Q()
    model.load_state_dict(torch.load(state_path, map_location="cpu", weights_only=True))
    model.eval()
    dummy = torch.zeros(2, 32, 32, 3, dtype=torch.uint8)
    dst.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        model, (dummy,), str(dst),
        input_names=["image"], output_names=["logits"],
        dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}},
        opset_version=OPSET, do_constant_folding=True, dynamo=False,
    )
    import onnx
    m = onnx.load(str(dst))
    onnx.checker.check_model(m)
    m.producer_name = "edge-inference-pipeline model/export.py"
    onnx.save(m, str(dst))


def export_openvino(onnx_path: Path, out_dir: Path, calib: np.ndarray) -> None:
    import nncf
    import openvino as ov

    ov_model = ov.convert_model(str(onnx_path))
    for prec, compress in (("fp32", False), ("fp16", True)):
        d = out_dir / f"openvino-{prec}"
        d.mkdir(parents=True, exist_ok=True)
        ov.save_model(ov_model, str(d / "model.xml"), compress_to_fp16=compress)

    dataset = nncf.Dataset([calib[i:i + 1] for i in range(len(calib))])
    q_model = nncf.quantize(ov.convert_model(str(onnx_path)), dataset, subset_size=len(calib),
                            preset=nncf.QuantizationPreset.MIXED)
    d = out_dir / "openvino-int8"
    d.mkdir(parents=True, exist_ok=True)
    ov.save_model(q_model, str(d / "model.xml"), compress_to_fp16=False)


class _Reader:
    def __init__(self, images: np.ndarray):
        self.images = images
        self.i = 0

    def get_next(self):
        if self.i >= len(self.images):
            return None
        item = {"image": self.images[self.i:self.i + 1]}
        self.i += 1
        return item

    def rewind(self):
        self.i = 0


def export_onnx_int8(onnx_path: Path, dst: Path, calib: np.ndarray, tmp: Path) -> None:
    import onnx
    from onnxruntime.quantization import (CalibrationMethod, QuantFormat, QuantType, quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process

    pre = tmp / "model.pre.onnx"
    quant_pre_process(str(onnx_path), str(pre), skip_symbolic_shape=True)
    # Keep the input normalization (Cast/Div/Sub/Mul/Transpose) in float: only
    # the convolutions, pooling, residual additions and the classifier are quantized.
    m = onnx.load(str(pre))
    first_conv = next(i for i, n in enumerate(m.graph.node) if n.op_type == "Conv")
    exclude = [n.name for n in m.graph.node[:first_conv]]
    dst.parent.mkdir(parents=True, exist_ok=True)
    quantize_static(
        str(pre), str(dst), _Reader(calib),
        quant_format=QuantFormat.QDQ,
        activation_type=QuantType.QInt8, weight_type=QuantType.QInt8,
        per_channel=True, calibrate_method=CalibrationMethod.MinMax,
        nodes_to_exclude=exclude,
        # 7-bit weights: on x86 CPUs without VNNI (AVX2, AVX-512 without VNNI) ONNX Runtime multiplies u8 by s8 with
        # VPMADDUBSW, whose int16 pair sums saturate with full-range weights; this model lost 5.6 points of top-1
        # there (86.24% against 91.85% with VNNI). With 7-bit weights no pair sum can saturate.
        reduce_range=True,
        extra_options={"ActivationSymmetric": False, "WeightSymmetric": True},
    )
    # drop the opset imports of domains no node uses (left by the ORT pre-processing)
    q = onnx.load(str(dst))
    used = {n.domain for n in q.graph.node} | {""}
    keep = [o for o in q.opset_import if o.domain in used]
    del q.opset_import[:]
    q.opset_import.extend(keep)
    q.producer_name = "edge-inference-pipeline model/export.py (onnxruntime.quantization)"
    onnx.checker.check_model(q)
    onnx.save(q, str(dst))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default=str(HERE / "build" / "train" / "model.pt"))
    ap.add_argument("--models-dir", default=str(HERE.parent / "models"))
    ap.add_argument("--name", default=None)
    args = ap.parse_args()

    import net
    name = args.name or net.MODEL_NAME
    out_dir = Path(args.models_dir) / name
    tmp = HERE / "build" / "tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for sub in ("onnx-fp32", "onnx-int8", "openvino-fp32", "openvino-fp16", "openvino-int8"):
        shutil.rmtree(out_dir / sub, ignore_errors=True)

    calib, idx = calibration_images()
    onnx_fp32 = out_dir / "onnx-fp32" / "model.onnx"
    export_onnx(Path(args.checkpoint), onnx_fp32)
    print("onnx-fp32 written", flush=True)
    export_openvino(onnx_fp32, out_dir, calib)
    print("openvino fp32/fp16/int8 written", flush=True)
    export_onnx_int8(onnx_fp32, out_dir / "onnx-int8" / "model.onnx", calib, tmp)
    print("onnx-int8 written", flush=True)
    (HERE / "build" / "calibration.json").write_text(json.dumps({
        "calibrationImages": CALIBRATION_IMAGES, "calibrationSplit": "train",
        "calibrationSeed": CALIBRATION_SEED, "trainIndices": idx.tolist()}))


if __name__ == "__main__":
    main()
