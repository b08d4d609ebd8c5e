#!/usr/bin/env python3
"""Derives a deliberately bad candidate from an OpenVINO FP32 artifact: the same network with two classes' outputs swapped.

    swap_classes.py --models-dir models --artifact openvino-fp32 --classes cat,dog --version 1.0.0-swapped --out DIR

A frame of either class is then predicted as the other, so accuracy drops by about the share of those classes in the
data: what a rollout drill needs to show an automatic rollback. It swaps the two classes' rows of the weights of the
network's classifier MatMul, and their entries of any per-class constant after it (OpenVINO's Python API on the IR),
saves the IR uncompressed, and writes a
models folder with a manifest holding that one artifact under the given model version, with the new sizes and sha256.
"""
import argparse
import hashlib
import json
import os

import numpy as np
import openvino as ov
from openvino import opset13 as ops


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def swap_rows(node, a, b, axis):
    """A constant like node's with the entries of classes a and b exchanged along axis."""
    values = node.get_data().copy()
    index = [slice(None)] * values.ndim
    index[axis] = [a, b]
    swapped = list(index)
    swapped[axis] = [b, a]
    values[tuple(index)] = values[tuple(swapped)]
    return ops.constant(values)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models-dir", required=True)
    parser.add_argument("--artifact", default="openvino-fp32")
    parser.add_argument("--classes", required=True, help="two class names, comma-separated")
    parser.add_argument("--version", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    manifest = json.load(open(os.path.join(args.models_dir, "manifest.json")))
    artifact = next(a for a in manifest["artifacts"] if a["id"] == args.artifact)
    if artifact["runtime"] != "openvino" or artifact["precision"] != "FP32":
        raise SystemExit("swap_classes: needs an OpenVINO FP32 artifact, " + args.artifact + " is not")
    a, b = (manifest["classNames"].index(name) for name in args.classes.split(","))
    xml = os.path.join(args.models_dir, artifact["files"][0]["path"])
    model = ov.Core().read_model(xml)
    # Back from the output to the classifier's MatMul, through element-wise ops (a bias Add, a scale Multiply); the
    # classes' entries of a constant of such an op swap too.
    node, per_class = model.get_results()[0].input_value(0).get_node(), []
    while node.get_type_name() != "MatMul":
        if node.get_type_name() not in ("Add", "Multiply"):
            raise SystemExit("swap_classes: expected Add or Multiply after the classifier, found " + node.get_type_name())
        constant = node.input_value(1).get_node()
        if constant.get_type_name() == "Constant" and constant.get_output_shape(0)[-1] == len(manifest["classNames"]):
            per_class.append(constant)
        node = node.input_value(0).get_node()
    weights = node.input_value(1).get_node()
    if weights.get_type_name() != "Constant":
        raise SystemExit("swap_classes: the classifier's weights are not a constant")
    classes_axis = 0 if node.get_attributes().get("transpose_b", False) else len(weights.get_output_shape(0)) - 1
    weights.output(0).replace(swap_rows(weights, a, b, classes_axis).output(0))
    for constant in per_class:
        constant.output(0).replace(swap_rows(constant, a, b, len(constant.get_output_shape(0)) - 1).output(0))
    folder = os.path.dirname(artifact["files"][0]["path"])
    os.makedirs(os.path.join(args.out, folder), exist_ok=True)
    ov.save_model(model, os.path.join(args.out, artifact["files"][0]["path"]), compress_to_fp16=False)
    for file in artifact["files"]:
        path = os.path.join(args.out, file["path"])
        file["sha256"], file["bytes"] = sha256(path), os.path.getsize(path)
    artifact["sha256"] = artifact["files"][0]["sha256"]
    artifact.pop("evaluation", None)
    manifest["artifacts"] = [artifact]
    manifest["model"]["version"] = args.version
    with open(os.path.join(args.out, "manifest.json"), "w") as out:
        json.dump(manifest, out, indent=2)
    print("swapped classes %s and %s of %s into %s (model version %s)" % (
        manifest["classNames"][a], manifest["classNames"][b], args.artifact, args.out, args.version))


if __name__ == "__main__":
    main()
