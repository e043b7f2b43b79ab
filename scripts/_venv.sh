# Shared by scripts/run and scripts/test: make .venv and install a requirements file when it changed.
# usage: ensure_venv requirements.txt
ensure_venv() {
  local req="$1" stamp=".venv/.installed-$(basename "$1")"
  local py="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $($py --version 2>&1)…"
    "$py" -m venv .venv
  fi
  if [ ! -f "$stamp" ] || [ "$req" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
    echo "Installing $req into .venv (first run only; this takes a minute)…"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -r "$req"
    touch "$stamp"
  fi
}
