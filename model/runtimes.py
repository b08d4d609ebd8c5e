"""Open a model artifact with its own runtime (OpenVINO, ONNX Runtime or LiteRT).

Needs only numpy and the runtime packages (no training framework).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

# OpenVINO's CPU plugin runs FP32 graphs in bfloat16 by default on CPUs with
# AMX / AVX512-BF16. The manifest numbers are measured with f32 inference
# precision so that FP32 and FP16 artifacts are evaluated at the precision
# they are named for; engines should pass the same setting.
OPENVINO_CONFIG = {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY"}

# LiteRT's CPU path (XNNPACK) with two threads; the C API takes the same key in its "xnnpack" options.
LITERT_CONFIG = {"num_threads": "2"}
LITERT_SIGNATURE = "serving_default"

_ELEMENT_TYPES = {np.dtype(np.uint8): "u8", np.dtype(np.int8): "i8", np.dtype(np.float32): "f32"}


class Predictor:
    def predict(self, images: np.ndarray) -> np.ndarray:  # uint8 [N,32,32,3] -> float32 [N,10]
        raise NotImplementedError

    input_name: str
    output_name: str


class OpenVinoPredictor(Predictor):
    def __init__(self, path: Path, config: dict | None = None):
        import openvino as ov

        core = ov.Core()
        model = core.read_model(str(path))
        self.input_name = model.inputs[0].get_any_name()
        self.output_name = model.outputs[0].get_any_name()
        self.input_type = model.inputs[0].get_element_type().get_type_name()
        self.compiled = core.compile_model(model, "CPU", config or OPENVINO_CONFIG)
        self.request = self.compiled.create_infer_request()

    def predict(self, images: np.ndarray) -> np.ndarray:
        self.request.infer({0: images})
        return self.request.get_output_tensor(0).data.copy()


class OnnxRuntimePredictor(Predictor):
    def __init__(self, path: Path):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        self.session = ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name
        self.output_name = self.session.get_outputs()[0].name
        self.input_type = self.session.get_inputs()[0].type

    def predict(self, images: np.ndarray) -> np.ndarray:
        return self.session.run([self.output_name], {self.input_name: images})[0]


class LiteRtPredictor(Predictor):
    """A `.tflite` file run by the LiteRT interpreter (ai_edge_litert) through its signature.

    The LiteRT artifacts have a fixed batch of 1: larger batches are run one image at a time. A quantized
    (uint8) output is dequantized, logit = (q - zero_point) * scale, so that predict() returns float32 logits
    like every other runtime; a quantized input is quantized from the raw pixels the same way.
    """

    def __init__(self, path: Path, config: dict | None = None):
        from ai_edge_litert.interpreter import Interpreter

        cfg = config or LITERT_CONFIG
        self.interpreter = Interpreter(model_path=str(path), num_threads=int(cfg["num_threads"]))
        signature = self.interpreter.get_signature_list()[LITERT_SIGNATURE]
        (self.input_name,), (self.output_name,) = signature["inputs"], signature["outputs"]
        self.runner = self.interpreter.get_signature_runner(LITERT_SIGNATURE)
        self.input_details = self.runner.get_input_details()[self.input_name]
        self.output_details = self.runner.get_output_details()[self.output_name]
        self.input_type = np.dtype(self.input_details["dtype"]).name
        self.batch = int(self.input_details["shape_signature"][0])

    def _run(self, images: np.ndarray) -> np.ndarray:
        x = images
        scale, zero = self.input_details["quantization"]
        if scale and (scale, zero) != (1.0, 0):
            x = np.clip(np.round(images / scale) + zero, 0, 255)
        out = self.runner(**{self.input_name: x.astype(self.input_details["dtype"], copy=False)})[self.output_name]
        scale, zero = self.output_details["quantization"]
        if scale:
            return (out.astype(np.int32) - zero).astype(np.float32) * np.float32(scale)
        return out

    def predict(self, images: np.ndarray) -> np.ndarray:
        if self.batch == -1 or len(images) == self.batch:
            return self._run(images)
        return np.concatenate([self._run(images[i:i + self.batch]) for i in range(0, len(images), self.batch)])

    def tensor_contract(self) -> tuple[dict, dict]:
        """The file's own input and output tensors, as the manifest records them for a LiteRT artifact."""

        def describe(d: dict, name: str) -> dict:
            entry = {"name": name, "tensorName": d["name"], "elementType": _ELEMENT_TYPES[np.dtype(d["dtype"])]}
            if name == self.input_name:
                entry["layout"] = "NHWC"
            entry["shape"] = [int(v) for v in d["shape_signature"]]
            if name == self.output_name:
                entry["kind"] = "logits"
            scale, zero = d["quantization"]
            if scale:
                entry["quantization"] = {"scale": float(scale), "zeroPoint": int(zero),
                                         "dequantize": "real = (q - zeroPoint) * scale"}
            return entry

        return describe(self.input_details, self.input_name), describe(self.output_details, self.output_name)


def open_artifact(models_dir: Path, artifact: dict) -> Predictor:
    path = Path(models_dir) / artifact["files"][0]["path"]
    if artifact["runtime"] == "openvino":
        return OpenVinoPredictor(path)
    if artifact["runtime"] == "onnxruntime":
        return OnnxRuntimePredictor(path)
    if artifact["runtime"] == "litert":
        return LiteRtPredictor(path, artifact.get("runtimeConfig"))
    raise ValueError(f"unknown runtime {artifact['runtime']!r}")


def predict_all(pred: Predictor, images: np.ndarray, batch: int) -> np.ndarray:
    out = [pred.predict(images[i:i + batch]) for i in range(0, len(images), batch)]
    return np.concatenate(out)
