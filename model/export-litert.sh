#!/usr/bin/env bash
# Rebuild the LiteRT artifacts without retraining: convert the committed ONNX
# FP32 artifact to .tflite FP32 and full-integer INT8 (model/export_litert.py),
# evaluate both with the LiteRT interpreter on the CIFAR-10 test set and update
# their entries in models/manifest.json (model/evaluate.py --only), and rewrite
# models/README.md. The other artifacts and their manifest entries are kept.
#
#   CIFAR10_DIR=/path/to/cifar-10-batches-bin model/export-litert.sh
#
# The conversion environment, model/.venv-litert, is created from
# model/requirements-litert.txt (TensorFlow CPU, ai-edge-litert, onnx,
# onnxruntime; no PyTorch). model/retrain.sh runs the same conversion in the
# training environment.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
: "${CIFAR10_DIR:?set CIFAR10_DIR to the folder holding the CIFAR-10 binary batches}"
export CIFAR10_DIR
source "$HERE/venv.sh"
VENV="$HERE/.venv-litert"
ensure_venv "$VENV" requirements-litert.txt
PY="$VENV/bin/python"

"$PY" export_litert.py
"$PY" evaluate.py --only litert-fp32,litert-int8
"$PY" write_readme.py
echo "done: models/*/litert-*, models/manifest.json and models/README.md rewritten; check them and commit models/"
