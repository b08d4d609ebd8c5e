"""Makes the tiny models the engine tests run on, and the manifest that describes them.

Run from this folder with a Python that has onnx, numpy and openvino:
    python make_test_models.py

The weights are random but seeded, so the files are reproducible. Two classifiers with the production
contract's shape (32x32 RGB in, 10 logits out):
  models/tiny-u8/                 uint8 NHWC input, normalization inside the graph (like the real models);
  models-f32-nchw/tiny-f32-nchw/  float32 NCHW input, normalization left to the engine (the preprocessing path).
Each models folder has a manifest.json in the project's manifest format, paths relative to that folder.
Both compute the same function, so their logits agree on the same pixels. make_tflite_test_models.py adds the
same function as LiteRT models (it needs tensorflow); this script keeps their manifest entries.
The OpenVINO binding's own tests (module openvino/) run on copies of these models, and on one more IR,
element-types/, with one parameter per element type, which pins the C enum values; all go to BINDING_MODELS.
"""
import hashlib
import json
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MEAN = [0.4914, 0.4822, 0.4465]
STD = [0.2470, 0.2435, 0.2616]
# The binding module's test models, from this folder.
BINDING_MODELS = "../../../../../openvino/src/test/resources/models"
CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def classifier_nodes(rng):
    """Conv 3x3/2 -> ReLU -> global average pool -> flatten -> dense, on normalized NCHW float input 'x'."""
    weights = [
        numpy_helper.from_array((rng.standard_normal((16, 3, 3, 3)) * 0.5).astype(np.float32), "conv_w"),
        numpy_helper.from_array((rng.standard_normal(16) * 0.1).astype(np.float32), "conv_b"),
        numpy_helper.from_array((rng.standard_normal((16, 10)) * 0.8).astype(np.float32), "fc_w"),
        numpy_helper.from_array((rng.standard_normal(10) * 0.1).astype(np.float32), "fc_b"),
    ]
    nodes = [
        helper.make_node("Conv", ["x", "conv_w", "conv_b"], ["conv"], kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv"], ["relu"]),
        helper.make_node("GlobalAveragePool", ["relu"], ["pool"]),
        helper.make_node("Flatten", ["pool"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "fc_w"], ["mm"]),
        helper.make_node("Add", ["mm", "fc_b"], ["logits"]),
    ]
    return nodes, weights


def u8_model():
    nodes, weights = classifier_nodes(np.random.default_rng(7))
    weights += [
        numpy_helper.from_array(np.array([255.0], np.float32), "scale"),
        numpy_helper.from_array(np.array(MEAN, np.float32).reshape(1, 1, 1, 3), "mean"),
        numpy_helper.from_array(np.array(STD, np.float32).reshape(1, 1, 1, 3), "std"),
    ]
    pre = [
        helper.make_node("Cast", ["image"], ["f"], to=TensorProto.FLOAT),
        helper.make_node("Div", ["f", "scale"], ["unit"]),
        helper.make_node("Sub", ["unit", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "std"], ["nhwc"]),
        helper.make_node("Transpose", ["nhwc"], ["x"], perm=[0, 3, 1, 2]),
    ]
    graph = helper.make_graph(
        pre + nodes, "tiny-u8",
        [helper.make_tensor_value_info("image", TensorProto.UINT8, ["N", 32, 32, 3])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])], weights)
    return finish(graph)


def f32_nchw_model():
    nodes, weights = classifier_nodes(np.random.default_rng(7))
    nodes[0].input[0] = "image"
    graph = helper.make_graph(
        nodes, "tiny-f32-nchw",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, 32, 32])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])], weights)
    return finish(graph)


def finish(graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="edgeinfer-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def save(model, folder):
    import openvino as ov
    os.makedirs(f"{folder}/onnx", exist_ok=True)
    os.makedirs(f"{folder}/openvino", exist_ok=True)
    onnx.save(model, f"{folder}/onnx/model.onnx")
    ov.save_model(ov.convert_model(f"{folder}/onnx/model.onnx"), f"{folder}/openvino/model.xml",
                  compress_to_fp16=False)


def element_types_model():
    """One parameter per element type, each fed straight to a result."""
    import openvino as ov
    import openvino.opset13 as ops
    names = ["boolean", "bf16", "f16", "f32", "f64", "i4", "i8", "i16", "i32", "i64", "u1", "u2", "u3", "u4",
             "u6", "u8", "u16", "u32", "u64", "nf4", "f8e4m3", "f8e5m2", "string", "f4e2m1", "f8e8m0"]
    params, results = [], []
    for name in names:
        p = ops.parameter([2], getattr(ov.Type, name), name=name)
        p.output(0).get_tensor().set_names({name})
        params.append(p)
        results.append(ops.result(p))
    os.makedirs(f"{BINDING_MODELS}/element-types", exist_ok=True)
    ov.save_model(ov.Model(results, params, "element-types"), f"{BINDING_MODELS}/element-types/model.xml")


def copy_to_binding(folder, name, formats):
    """The binding's tests read the same model files, without the manifest."""
    for fmt in formats:
        shutil.rmtree(f"{BINDING_MODELS}/{name}/{fmt}", ignore_errors=True)
        shutil.copytree(f"{folder}/{fmt}", f"{BINDING_MODELS}/{name}/{fmt}")


def file_entry(models_dir, path):
    data = open(f"{models_dir}/{path}", "rb").read()
    return {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def artifact(models_dir, artifact_id, fmt, runtime, files):
    entries = [file_entry(models_dir, f) for f in files]
    return {"id": artifact_id, "format": fmt, "precision": "FP32", "runtime": runtime, "files": entries,
            "sha256": entries[0]["sha256"], "evaluation": {}}


def litert_artifacts(models_dir):
    """The tiny model's LiteRT artifacts, where make_tflite_test_models.py has made them (it needs tensorflow)."""
    entries = []
    for precision in ("fp32", "int8"):
        path = f"tiny-u8/litert/model-{precision}.tflite"
        if os.path.isfile(f"{models_dir}/{path}"):
            file = file_entry(models_dir, path)
            entries.append({"id": f"litert-{precision}", "format": "tflite", "precision": precision.upper(),
                            "runtime": "litert", "files": [file], "sha256": file["sha256"], "evaluation": {}})
    return entries


def manifest(name, element_type, layout, shape, inside_graph, artifacts):
    return {
        "formatVersion": 1,
        "model": {"name": name, "version": "0.0.1", "trainedAtCommit": "none", "parameters": 650,
                  "macsPerImage": 110592},
        "input": {"name": "image", "elementType": element_type, "layout": layout, "shape": shape,
                  "colorOrder": "RGB",
                  "normalization": {"scale": 255.0, "mean": MEAN, "std": STD, "insideGraph": inside_graph}},
        "output": {"name": "logits", "elementType": "f32", "shape": [-1, 10], "kind": "logits"},
        "classNames": CLASSES,
        "artifacts": artifacts,
    }


def main():
    save(u8_model(), "models/tiny-u8")
    save(f32_nchw_model(), "models-f32-nchw/tiny-f32-nchw")
    copy_to_binding("models/tiny-u8", "tiny-u8", ["openvino", "onnx"])
    copy_to_binding("models-f32-nchw/tiny-f32-nchw", "tiny-f32-nchw", ["openvino"])
    element_types_model()
    u8 = manifest("tiny-u8", "u8", "NHWC", [-1, 32, 32, 3], True, [
        artifact("models", "onnx-fp32", "onnx", "onnxruntime", ["tiny-u8/onnx/model.onnx"]),
        artifact("models", "openvino-fp32", "openvino-ir", "openvino",
                 ["tiny-u8/openvino/model.xml", "tiny-u8/openvino/model.bin"]),
        artifact("models", "openvino-onnx-fp32", "onnx", "openvino", ["tiny-u8/onnx/model.onnx"]),
    ] + litert_artifacts("models"))
    f32 = manifest("tiny-f32-nchw", "f32", "NCHW", [-1, 3, 32, 32], False, [
        artifact("models-f32-nchw", "onnx-fp32", "onnx", "onnxruntime", ["tiny-f32-nchw/onnx/model.onnx"]),
        artifact("models-f32-nchw", "openvino-fp32", "openvino-ir", "openvino",
                 ["tiny-f32-nchw/openvino/model.xml", "tiny-f32-nchw/openvino/model.bin"]),
    ])
    for file_name, content in (("models/manifest.json", u8), ("models-f32-nchw/manifest.json", f32)):
        with open(file_name, "w") as out:
            json.dump(content, out, indent=2)
            out.write("\n")


if __name__ == "__main__":
    main()
