# shellcheck shell=bash
# Shared by the scripts: builds (once) and names the virtual environment of one Home Assistant line.
#   source scripts/env.sh; venv=$(lpr_venv 2026.10)
# Each line has its own Python: 2025.4 runs on 3.13, 2026.10 on >= 3.14.2.

LPR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

lpr_python_for() {
  case "$1" in
    2025.4)
      local candidate
      for candidate in "$(command -v python3.13 2>/dev/null || true)" \
        "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13 /usr/bin/python3.13; do
        if [[ -x $candidate ]] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
          echo "$candidate"
          return 0
        fi
      done
      echo "no Python 3.13 found (install it, e.g. with pyenv)" >&2
      return 1
      ;;
    2026.10)
      # The team's provisioning tool (shared/ beside the clone) finds or unpacks a Python >= 3.14.2.
      if [[ -x $LPR_ROOT/../shared/tools/python314 ]]; then
        "$LPR_ROOT/../shared/tools/python314"
      elif python3.14 -c 'import sys; assert sys.version_info >= (3, 14, 2)' 2>/dev/null; then
        command -v python3.14
      else
        echo "no Python >= 3.14.2 found" >&2
        return 1
      fi
      ;;
    *) echo "unknown Home Assistant line: $1 (2025.4 or 2026.10)" >&2; return 1 ;;
  esac
}

# uv lives in a venv of its own: Home Assistant pins a uv of its own inside the test venvs.
lpr_uv() {
  local tools="$LPR_ROOT/.venv/uv"
  if [[ ! -x $tools/bin/uv ]]; then
    python3 -m venv "$tools" >&2
    "$tools/bin/python" -m pip install -q --disable-pip-version-check uv==0.9.13 >&2
  fi
  echo "$tools/bin/uv"
}

# Prints the venv's path; (re)installs when its requirement files changed since it was built.
#   lpr_venv LINE                  .venv/ha-LINE: requirements_test.txt + requirements_lint.txt
#   lpr_venv LINE NAME FILE...     .venv/NAME: the given requirement files, on LINE's Python
lpr_venv() {
  local line=$1 name=${2:-ha-$1} venv python stamp file
  local -a files=(requirements_lint.txt requirements_test.txt) args=()
  if (($# > 2)); then
    files=("${@:3}")
  fi
  venv="$LPR_ROOT/.venv/$name"
  for file in "${files[@]}"; do
    args+=(-r "$LPR_ROOT/$file")
  done
  stamp=$(cd "$LPR_ROOT" && cat "${files[@]}" | sha256sum | cut -c1-16) || return 1
  if [[ ! -f $venv/.stamp || $(cat "$venv/.stamp") != "$stamp" ]]; then
    python=$(lpr_python_for "$line") || return 1
    echo "setting up $venv with $python" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv" >&2
    "$(lpr_uv)" pip install -q --python "$venv/bin/python" "${args[@]}" >&2 || return 1
    echo "$stamp" >"$venv/.stamp"
  fi
  echo "$venv"
}
