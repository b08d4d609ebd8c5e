"""CI check of the committed model artifacts.

Needs only the runtime environment (openvino, onnxruntime, numpy, pytest) and
the CIFAR-10 binary batches in the folder named by CIFAR10_DIR. No training
framework is imported.

For every artifact in models/manifest.json: the sha256 and size of each file,
the input/output contract, and top-1 on the first 1,000 test images within
0.5 point of the manifest.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest

MODEL_DIR = Path(__file__).resolve().parents[1]
REPO = MODEL_DIR.parent
# MODELS_DIR may point elsewhere (e.g. a freshly exported set); default: models/
MODELS = Path(os.environ.get("MODELS_DIR", REPO / "models"))
sys.path.insert(0, str(MODEL_DIR))

import cifar_data  # noqa: E402
import runtimes  # noqa: E402

TOLERANCE = 0.005  # 0.5 point of top-1
FIRST_N = 1000

MANIFEST = json.loads((MODELS / "manifest.json").read_text())
ARTIFACTS = MANIFEST["artifacts"]
IDS = [a["id"] for a in ARTIFACTS]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@pytest.fixture(scope="session")
def first_test_images():
    try:
        return cifar_data.load_test(FIRST_N)
    except cifar_data.DatasetError as e:
        pytest.fail(f"CIFAR-10 test data unavailable: {e}", pytrace=False)


def test_manifest_contract():
    assert MANIFEST["formatVersion"] == 1
    assert MANIFEST["classNames"] == cifar_data.CLASS_NAMES
    inp, out = MANIFEST["input"], MANIFEST["output"]
    assert inp["name"] == "image" and inp["elementType"] == "u8" and inp["layout"] == "NHWC"
    assert inp["shape"] == [-1, 32, 32, 3] and inp["colorOrder"] == "RGB"
    norm = inp["normalization"]
    assert norm["insideGraph"] is True
    assert norm["scale"] == cifar_data.SCALE and norm["mean"] == cifar_data.MEAN and norm["std"] == cifar_data.STD
    assert out == {"name": "logits", "elementType": "f32", "shape": [-1, 10], "kind": "logits"}
    m = MANIFEST["model"]
    assert m["parameters"] <= 1_000_000 and m["macsPerImage"] <= 25_000_000
    assert len(m["trainedAtCommit"]) >= 40
    assert sorted(IDS) == sorted(["onnx-fp32", "onnx-int8", "openvino-fp32", "openvino-fp16", "openvino-int8",
                                  "litert-fp32", "litert-int8"])


@pytest.mark.parametrize("artifact", ARTIFACTS, ids=IDS)
def test_files_sha256(artifact):
    assert artifact["sha256"] == artifact["files"][0]["sha256"]
    for f in artifact["files"]:
        path = MODELS / f["path"]
        assert path.is_file(), f"missing artifact file {f['path']}"
        assert path.stat().st_size == f["bytes"], f"size mismatch for {f['path']}"
        assert _sha256(path) == f["sha256"], f"sha256 mismatch for {f['path']}"


@pytest.mark.parametrize("artifact", ARTIFACTS, ids=IDS)
def test_first_1000_top1(artifact, first_test_images):
    if artifact["runtime"] == "litert":
        pytest.importorskip("ai_edge_litert", reason="ai-edge-litert is not in this environment yet")
    x, y = first_test_images
    pred = runtimes.open_artifact(MODELS, artifact)
    assert pred.input_name == MANIFEST["input"]["name"]
    assert pred.output_name == MANIFEST["output"]["name"]
    logits = runtimes.predict_all(pred, x, 32)
    assert logits.shape == (FIRST_N, 10) and logits.dtype == np.float32
    # dynamic batch: a batch of 1 and of 7 give the same scores as the big batch
    np.testing.assert_allclose(pred.predict(x[:1]), logits[:1], rtol=1e-2, atol=1e-2)
    np.testing.assert_allclose(pred.predict(x[3:10]), logits[3:10], rtol=1e-2, atol=1e-2)
    top1 = float((logits.argmax(1) == y).mean())
    expected = artifact["evaluation"]["first1000Top1"]
    assert abs(top1 - expected) <= TOLERANCE, (
        f"{artifact['id']}: top-1 on the first {FIRST_N} test images is {top1:.4f}, manifest says {expected:.4f}")
