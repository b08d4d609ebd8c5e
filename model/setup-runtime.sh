#!/usr/bin/env bash
# Create or update the project runtime environment (.venv at the repository
# root) from model/requirements-runtime.txt. Idempotent: returns at once when
# the environment already matches the requirements file.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQ="$ROOT/model/requirements-runtime.txt"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
STAMP="$VENV/.requirements-runtime.sha256"
WANT="$(sha256sum "$REQ" | cut -d' ' -f1)"

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
  echo "runtime environment up to date: $VENV"
  exit 0
fi
if [[ ! -x "$VENV/bin/python" ]]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$REQ"
echo "$WANT" > "$STAMP"
echo "runtime environment ready: $VENV"
echo "OpenVINO libraries: $VENV/lib/python3.11/site-packages/openvino/libs"
echo "LiteRT library: $VENV/lib/python3.11/site-packages/ai_edge_litert/libLiteRt.so"
