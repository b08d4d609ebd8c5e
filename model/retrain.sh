#!/usr/bin/env bash
# Retrain everything from scratch: create the training environment
# (model/.venv-train), train, export ONNX, convert to OpenVINO IR FP32/FP16,
# quantize (NNCF for OpenVINO, onnxruntime.quantization for ONNX), convert the
# ONNX model to LiteRT .tflite FP32 and full-integer INT8, evaluate
# every artifact on the CIFAR-10 test set, write models/manifest.json and
# models/README.md.
#
#   CIFAR10_DIR=/path/to/cifar-10-batches-bin model/retrain.sh
#
# Training replays the schedule of the committed model in two phases:
#   1. the 30-epoch one-cycle schedule (peak lr 0.4 at 20% of the steps),
#      stopped after epoch 9 (lr 0.35 at that point);
#   2. resumed from those weights (new momentum buffer, seed 1), the learning
#      rate decaying linearly from 0.35 to 0 over DECAY_STEPS steps.
# bfloat16 autocast is used when the CPU
# has AMX or AVX512-BF16 (40 s to 2.5 min per epoch on 2 cores, depending on
# other load); without it an epoch takes about 3 minutes or more in float32.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
: "${CIFAR10_DIR:?set CIFAR10_DIR to the folder holding the CIFAR-10 binary batches}"
export CIFAR10_DIR
source "$HERE/venv.sh"
VENV="$HERE/.venv-train"
ensure_venv "$VENV" requirements-train.txt requirements-litert.txt
PY="$VENV/bin/python"

BF16=()
if grep -qwE 'amx_bf16|avx512_bf16' /proc/cpuinfo 2>/dev/null; then BF16=(--bf16); fi
DECAY_STEPS="${DECAY_STEPS:-4447}"
mkdir -p build
"$PY" train.py "${BF16[@]}" --epochs 30 --stop-after-epochs 9 --seed 0 --out build/phase1 2>&1 | tee build/train.log
"$PY" train.py "${BF16[@]}" --resume build/phase1 --decay-steps "$DECAY_STEPS" --seed 1 --out build/train 2>&1 \
  | tee build/train-phase2.log
"$PY" export.py
"$PY" export_litert.py
"$PY" evaluate.py
"$PY" write_readme.py
echo "done: models/manifest.json and models/README.md rewritten; check them and commit models/"
