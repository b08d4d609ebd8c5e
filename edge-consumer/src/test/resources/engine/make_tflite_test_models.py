"""Makes the tiny LiteRT (.tflite) test models from the tiny u8 ONNX model, and adds them to its manifest.

Run from this folder, after make_test_models.py, with a Python that has tensorflow (2.21), onnx and
ai-edge-litert (2.3.0), the conversion environment, not the project's runtime .venv:
    python make_tflite_test_models.py

The same function as models/tiny-u8/onnx/model.onnx (its weights are read from it), written with tf.nn ops and
converted with TFLiteConverter, batch 1 (static), uint8 NHWC input, normalization inside the graph:
  models/tiny-u8/litert/model-fp32.tflite  float32 logits;
  models/tiny-u8/litert/model-int8.tflite  full-integer, uint8 input (scale 1, zero point 0) and uint8 logits
                                           with a per-tensor scale and zero point.
The LiteRT binding's tests (module litert/) run on copies of both, with the logits ai_edge_litert's Interpreter
gives for one fixed frame (expected-logits.txt), so the Java binding is checked against the Python runtime.
"""
import json
import os
import shutil

import numpy as np
import onnx
import tensorflow as tf
from onnx import numpy_helper

from make_test_models import MEAN, STD, litert_artifacts

ONNX_MODEL = "models/tiny-u8/onnx/model.onnx"
OUT = "models/tiny-u8/litert"
BINDING_MODELS = "../../../../../litert/src/test/resources/models/tiny-u8"
MANIFEST = "models/manifest.json"


def weights():
    return {t.name: numpy_helper.to_array(t) for t in onnx.load(ONNX_MODEL).graph.initializer}


def classifier(w, pixels):
    """pixels: float32 [1, 32, 32, 3] holding 0..255."""
    x = (pixels / 255.0 - np.array(MEAN, np.float32)) / np.array(STD, np.float32)
    # ONNX pads 1 on every side; TF's SAME would pad only bottom and right at stride 2.
    x = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]])
    x = tf.nn.conv2d(x, np.transpose(w["conv_w"], (2, 3, 1, 0)), strides=2, padding="VALID") + w["conv_b"]
    x = tf.reduce_mean(tf.nn.relu(x), axis=[1, 2])
    return tf.matmul(x, w["fc_w"]) + w["fc_b"]


def convert(w, quantize):
    dtype = tf.float32 if quantize else tf.uint8

    class Tiny(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([1, 32, 32, 3], dtype, name="image")])
        def serve(self, image):
            return {"logits": classifier(w, tf.cast(image, tf.float32))}

    module = Tiny()
    converter = tf.lite.TFLiteConverter.from_concrete_functions([module.serve.get_concrete_function()], module)
    if quantize:
        rng = np.random.default_rng(11)

        def representative():
            for _ in range(200):
                yield [rng.integers(0, 256, (1, 32, 32, 3)).astype(np.float32)]

        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.uint8
        converter.inference_output_type = tf.uint8
    return converter.convert()


def fixed_frame():
    """The frame the binding tests classify: byte i of the frame is (i * 7) % 256."""
    return (np.arange(32 * 32 * 3) * 7 % 256).astype(np.uint8).reshape(1, 32, 32, 3)


def interpreter_logits(path):
    from ai_edge_litert.interpreter import Interpreter
    interpreter = Interpreter(model_path=path, num_threads=1)
    interpreter.allocate_tensors()
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    interpreter.set_tensor(inp["index"], fixed_frame())
    interpreter.invoke()
    logits = interpreter.get_tensor(out["index"]).astype(np.float32)
    scale, zero_point = out["quantization"]
    return (logits - zero_point) * scale if out["dtype"] != np.float32 else logits, out["quantization"]



def main():
    w = weights()
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(BINDING_MODELS, exist_ok=True)
    lines = ["# Logits of the frame whose byte i is (i * 7) % 256, from ai_edge_litert's Interpreter "
             "(dequantized for int8)."]
    for precision, quantize in (("fp32", False), ("int8", True)):
        path = f"{OUT}/model-{precision}.tflite"
        with open(path, "wb") as out:
            out.write(convert(w, quantize))
        shutil.copy(path, f"{BINDING_MODELS}/model-{precision}.tflite")
        logits, quantization = interpreter_logits(path)
        lines.append(f"{precision} " + " ".join(f"{v:.7g}" for v in logits.ravel()))
        print(path, "output quantization", quantization, "logits", logits.ravel())
    with open(f"{BINDING_MODELS}/expected-logits.txt", "w") as out:
        out.write("\n".join(lines) + "\n")
    with open(MANIFEST) as f:
        manifest = json.load(f)
    manifest["artifacts"] = [a for a in manifest["artifacts"] if a["runtime"] != "litert"] + litert_artifacts("models")
    with open(MANIFEST, "w") as out:
        json.dump(manifest, out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main()
