# Sourced by the toolchain's scripts: ensure_venv VENV REQUIREMENTS_FILE [MORE_FILES...] creates the virtual
# environment VENV with $PYTHON (python3.11, else python3) when missing and installs REQUIREMENTS_FILE into it whenever
# the requirements (all the files named, which the first may include with -r) changed since the last install.
ensure_venv() {
  local venv="$1" requirements="$2" python="${PYTHON:-python3.11}" stamp want
  command -v "$python" >/dev/null 2>&1 || python=python3
  stamp="$venv/.requirements.sha256"
  want="$(cat "${@:2}" | sha256sum | cut -d' ' -f1)"
  if [[ ! -x "$venv/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    [[ -x "$venv/bin/python" ]] || "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$requirements"
    echo "$want" > "$stamp"
  fi
}
