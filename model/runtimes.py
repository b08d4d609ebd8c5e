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
    """A .tflite through ai_edge_litert's Interpreter. The artifacts have a static batch (1): images go in that many
    at a time; an integer output is dequantized with its own scale and zero point."""

    def __init__(self, path: Path):
        from ai_edge_litert.interpreter import Interpreter

        self.interpreter = Interpreter(model_path=str(path))
        self.interpreter.allocate_tensors()
        signature = next(iter(self.interpreter.get_signature_list().values()))
        self.input_name = signature["inputs"][0]
        self.output_name = signature["outputs"][0]
        self.input = self.interpreter.get_input_details()[0]
        self.output = self.interpreter.get_output_details()[0]
        self.input_type = self.input["dtype"].__name__
        self.batch = int(self.input["shape"][0])

    def predict(self, images: np.ndarray) -> np.ndarray:
        scale, zero_point = self.output["quantization"]
        out = []
        for start in range(0, len(images), self.batch):
            chunk = images[start:start + self.batch]
            padded = np.zeros((self.batch, *chunk.shape[1:]), dtype=np.uint8)
            padded[:len(chunk)] = chunk
            self.interpreter.set_tensor(self.input["index"], padded)
            self.interpreter.invoke()
            raw = self.interpreter.get_tensor(self.output["index"])[:len(chunk)]
            out.append(raw if raw.dtype == np.float32 else (raw.astype(np.float32) - zero_point) * scale)
        return np.concatenate(out).astype(np.float32)


def open_artifact(models_dir: Path, artifact: dict) -> Predictor:
    path = Path(models_dir) / artifact["files"][0]["path"]
    if artifact["runtime"] == "openvino":
        return OpenVinoPredictor(path)
    if artifact["runtime"] == "onnxruntime":
        return OnnxRuntimePredictor(path)
    if artifact["runtime"] == "litert":
        return LiteRtPredictor(path)
    raise ValueError(f"unknown runtime {artifact['runtime']!r}")


def predict_all(pred: Predictor, images: np.ndarray, batch: int) -> np.ndarray:
    out = [pred.predict(images[i:i + batch]) for i in range(0, len(images), batch)]
    return np.concatenate(out)
