"""Export the model to LiteRT (TensorFlow Lite flatbuffer, `.tflite`).

  litert-fp32   FP32 weights and activations
  litert-int8   full-integer post-training quantization: int8 weights and
                activations inside, uint8 input and output (what the Edge TPU
                compiler requires), calibrated on the same training images as
                the other INT8 artifacts

Where the weights come from: the committed ONNX FP32 artifact
(models/<name>/onnx-fp32/model.onnx). The training checkpoint is not kept in
the repository (model/export.py reads it from model/build/, which is not
committed), and the ONNX file holds the same weights with BatchNorm already
folded into the convolutions. This script reads the ONNX graph node by node
and rebuilds it with plain TensorFlow ops in NHWC layout (kernels OIHW -> HWIO),
then converts it with tf.lite.TFLiteConverter. It refuses graphs with other
operators or attributes than this network's.

Both files have a FIXED batch dimension of 1 (`image` uint8 [1,32,32,3],
`logits` [1,10]): the Edge TPU compiler needs static shapes and the Java engine
runs one image per call. Signature `serving_default`, input `image`, output
`logits`; the normalization is inside the graph, as in every other artifact.
litert-int8's output is uint8 with a scale and zero point (in the manifest):
logit = (q - zero_point) * scale.

The conversion is deterministic: a rerun writes byte-identical files. Needs
model/requirements-litert.txt (TensorFlow is only needed here, not at run time).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from export import calibration_images  # noqa: E402

BATCH = 1
SIGNATURE = "serving_default"
# the litert-fp32 logits must match the ONNX FP32 artifact's (ONNX Runtime) within this, on the calibration images
PARITY_ATOL = 1e-3


class OnnxGraphError(ValueError):
    pass


def _attrs(node) -> dict:
    import onnx
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def read_onnx(path: Path):
    """The ONNX graph's nodes and constants (initializers and Constant nodes)."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    consts = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    nodes = []
    for n in model.graph.node:
        if n.op_type == "Constant":
            consts[n.output[0]] = numpy_helper.to_array(_attrs(n)["value"])
        else:
            nodes.append(n)
    return model, nodes, consts


def build_module(onnx_path: Path):
    """A tf.Module computing the ONNX graph in NHWC; `fp32(image uint8)` and `f32in(image float 0..255)`."""
    import tensorflow as tf

    model, nodes, consts = read_onnx(onnx_path)
    inp, out = model.graph.input[0].name, model.graph.output[0].name
    # Normalization prelude: Cast(image) / scale, - mean, * inv_std, NHWC -> NCHW. Folded into one
    # multiply-add per channel on the NHWC pixels: x * (inv_std / scale) + (-mean * inv_std).
    ops = [n.op_type for n in nodes[:5]]
    if ops != ["Cast", "Div", "Sub", "Mul", "Transpose"] or nodes[0].input[0] != inp:
        raise OnnxGraphError(f"unexpected normalization prelude {ops}")
    for prev, n in zip(nodes[:4], nodes[1:5]):
        if n.input[0] != prev.output[0]:
            raise OnnxGraphError(f"{n.op_type} does not follow {prev.op_type}")
    scale = consts[nodes[1].input[1]]
    mean = consts[nodes[2].input[1]]
    inv_std = consts[nodes[3].input[1]]
    if scale.size != 1 or mean.shape != (1, 1, 1, 3) or inv_std.shape != (1, 1, 1, 3):
        raise OnnxGraphError("normalization constants are not a scalar scale and per-channel NHWC mean/inv_std")
    if list(_attrs(nodes[4])["perm"]) != [0, 3, 1, 2]:
        raise OnnxGraphError("the prelude does not end with an NHWC -> NCHW transpose")
    mul = (inv_std / scale.reshape(())).reshape(3).astype(np.float32)
    add = (-mean * inv_std).reshape(3).astype(np.float32)
    body, start = nodes[5:], nodes[4].output[0]

    class Net(tf.Module):
        def __init__(self):
            super().__init__()
            self.mul, self.add = tf.constant(mul), tf.constant(add)

        def forward(self, pixels):  # float32 NHWC, 0..255
            env = {start: pixels * self.mul + self.add}  # NCHW in ONNX, kept NHWC here
            skip = set()
            for i, n in enumerate(body):
                if i in skip:
                    continue
                a = _attrs(n)
                x = env[n.input[0]]
                if n.op_type == "Conv":
                    w, b = consts[n.input[1]], consts[n.input[2]]
                    k = list(a["kernel_shape"])
                    if (a.get("group", 1) != 1 or list(a.get("strides", [1, 1])) != [1, 1]
                            or list(a.get("dilations", [1, 1])) != [1, 1] or k[0] != k[1] or k[0] % 2 != 1
                            or list(a.get("pads", [0] * 4)) != [k[0] // 2] * 4):
                        raise OnnxGraphError(f"{n.name}: only stride-1 'same' convolutions are handled: {a}")
                    y = tf.nn.conv2d(x, tf.constant(w.transpose(2, 3, 1, 0)), 1, "SAME")  # OIHW -> HWIO
                    y = tf.nn.bias_add(y, tf.constant(b))
                elif n.op_type == "Relu":
                    y = tf.nn.relu(x)
                elif n.op_type == "MaxPool":
                    if (list(a.get("pads", [0] * 4)) != [0] * 4 or a.get("ceil_mode", 0)
                            or list(a.get("dilations", [1, 1])) != [1, 1]):
                        raise OnnxGraphError(f"{n.name}: only unpadded max pooling is handled: {a}")
                    y = tf.nn.max_pool2d(x, list(a["kernel_shape"]), list(a["strides"]), "VALID")
                elif n.op_type == "Add":
                    y = x + env[n.input[1]]
                elif n.op_type == "Flatten":
                    if a.get("axis", 1) != 1 or x.shape[1] != 1 or x.shape[2] != 1:
                        raise OnnxGraphError(f"{n.name}: flatten of {x.shape}: NHWC and NCHW orders differ")
                    y = tf.reshape(x, [-1, x.shape[3]])
                elif n.op_type == "MatMul":
                    w = consts[n.input[1]]
                    # A following multiply by a scalar constant (the logit scale) is folded into the weights.
                    nxt = body[i + 1] if i + 1 < len(body) else None
                    if (nxt is not None and nxt.op_type == "Mul" and nxt.input[0] == n.output[0]
                            and consts.get(nxt.input[1], np.zeros(2)).size == 1
                            and sum(n.output[0] in m.input for m in body) == 1):
                        w = (w * consts[nxt.input[1]].reshape(())).astype(np.float32)
                        skip.add(i + 1)
                        env[nxt.output[0]] = tf.matmul(x, tf.constant(w))
                        continue
                    y = tf.matmul(x, tf.constant(w))
                else:
                    raise OnnxGraphError(f"{n.name}: operator {n.op_type} is not handled")
                env[n.output[0]] = y
            return env[out]

        @tf.function
        def fp32(self, image):  # uint8 in, like every other artifact
            return {"logits": self.forward(tf.cast(image, tf.float32))}

        @tf.function
        def f32in(self, image):  # float pixels in: the INT8 converter quantizes this input to uint8
            return {"logits": self.forward(image)}

    return Net()


def convert(onnx_path: Path, int8: bool, calib: np.ndarray | None = None) -> bytes:
    import tensorflow as tf

    net = build_module(onnx_path)  # a fresh module each time: a retrace would relax the batch dimension to -1
    shape = [BATCH, 32, 32, 3]
    if int8:
        fn = net.f32in.get_concrete_function(tf.TensorSpec(shape, tf.float32, name="image"))
    else:
        fn = net.fp32.get_concrete_function(tf.TensorSpec(shape, tf.uint8, name="image"))
    conv = tf.lite.TFLiteConverter.from_concrete_functions([fn], net)
    if int8:
        images = calib.astype(np.float32)

        def representative():
            for i in range(len(images)):
                yield [images[i:i + 1]]

        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.representative_dataset = representative
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        conv.inference_input_type = tf.uint8
        conv.inference_output_type = tf.uint8
    return conv.convert()


def check_parity(onnx_path: Path, tflite_path: Path, images: np.ndarray) -> float:
    """Largest |difference| of the logits of litert-fp32 and the ONNX FP32 artifact on `images`."""
    import onnxruntime as ort
    from ai_edge_litert.interpreter import Interpreter

    ref = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"]).run(None, {"image": images})[0]
    runner = Interpreter(model_path=str(tflite_path)).get_signature_runner(SIGNATURE)
    got = np.concatenate([runner(image=images[i:i + 1])["logits"] for i in range(len(images))])
    return float(np.abs(got - ref).max())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models-dir", default=str(HERE.parent / "models"))
    ap.add_argument("--name", default=None,
                    help="model folder name (default: net.MODEL_NAME where PyTorch is installed, else manifest.json's)")
    args = ap.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

    models_dir = Path(args.models_dir)
    name = args.name
    if name is None:
        try:
            import net  # imports PyTorch: present in the training environment, not in model/.venv-litert
            name = net.MODEL_NAME
        except ImportError:
            import json
            name = json.loads((models_dir / "manifest.json").read_text())["model"]["name"]
    out_dir = models_dir / name
    onnx_fp32 = out_dir / "onnx-fp32" / "model.onnx"
    if not onnx_fp32.is_file():
        raise SystemExit(f"{onnx_fp32} is missing: export the ONNX FP32 artifact first (model/export.py)")
    calib, _ = calibration_images()
    for prec, int8 in (("fp32", False), ("int8", True)):
        d = out_dir / f"litert-{prec}"
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        data = convert(onnx_fp32, int8, calib if int8 else None)
        (d / "model.tflite").write_bytes(data)
        print(f"litert-{prec} written ({len(data)} bytes)", flush=True)
    diff = check_parity(onnx_fp32, out_dir / "litert-fp32" / "model.tflite", calib[:200])
    print(f"litert-fp32 against onnx-fp32 on 200 calibration images: max |logit difference| {diff:.2e}")
    if diff > PARITY_ATOL:
        raise SystemExit(f"litert-fp32 differs from onnx-fp32 by {diff} (> {PARITY_ATOL}): conversion is wrong")


if __name__ == "__main__":
    main()
