# shellcheck shell=bash
# Shared by the scripts: builds (once) and names the virtual environment of one Home Assistant line.
#   source scripts/env.sh; venv=$(lpr_venv 2026.10)
# Each line has its own Python: 2025.4 runs on 3.13, 2026.10 on 3.14 from 3.14.2 on. The scripts take
# the machine's own when it has one, else one uv installs (python-build-standalone, downloaded from
# GitHub) into .venv/python; the team's provisioning tool (../shared/tools/python314) is the last resort.

LPR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# A uv that knows the Python builds up to 3.14.10.
LPR_UV_VERSION=0.13.9

# Prints the path of a Python LINE runs on, installing one when the machine has none.
lpr_python_for() {
  local minor patch
  case "$1" in
    2025.4) minor=13 patch=0 ;;
    2026.10) minor=14 patch=2 ;;
    *) echo "unknown Home Assistant line: $1 (2025.4 or 2026.10)" >&2; return 1 ;;
  esac
  local name=python3.$minor request=">=3.$minor.$patch,<3.$((minor + 1))" candidate
  for candidate in "$(command -v "$name" 2>/dev/null || true)" \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3."$minor".*/bin/"$name" /usr/local/bin/"$name" /usr/bin/"$name"; do
    if lpr_python_fits "$candidate" "$minor" "$patch"; then
      echo "$candidate"
      return 0
    fi
  done
  # Not a virtual environment's Python (an activated one's, say): a venv is made from its base.
  if candidate=$(lpr_uv_python find --system "$request" 2>/dev/null) ||
    { echo "no Python $request on this machine: uv installs one into .venv/python" >&2 &&
      lpr_uv_python install --no-bin "$request" >&2 &&
      candidate=$(lpr_uv_python find --system "$request"); }; then
    echo "$candidate"
    return 0
  fi
  if [[ $minor == 14 && -x $LPR_ROOT/../shared/tools/python314 ]] &&
    echo "uv could not install it: ../shared/tools/python314 provides one" >&2 &&
    candidate=$("$LPR_ROOT/../shared/tools/python314") && lpr_python_fits "$candidate" "$minor" "$patch"; then
    echo "$candidate"
    return 0
  fi
  echo "no Python $request found, and uv could not install one (it downloads from github.com):" \
    "install Python 3.$minor (from 3.$minor.$patch on) with pyenv or the system's packages" >&2
  return 1
}

# lpr_python_fits PATH MINOR PATCH: PATH runs Python 3.MINOR, from 3.MINOR.PATCH on, can make venvs,
# and is no venv's (a venv being rebuilt would take its own Python away).
lpr_python_fits() {
  [[ -x $1 ]] && "$1" -c "import sys, ensurepip
assert sys.version_info[:2] == (3, $2) and sys.version_info[2] >= $3 and sys.prefix == sys.base_prefix" \
    2>/dev/null
}

# uv python ARGS..., with the Pythons uv installs kept in .venv/python.
lpr_uv_python() {
  local uv
  uv=$(lpr_uv) || return 1
  UV_PYTHON_INSTALL_DIR="$LPR_ROOT/.venv/python" "$uv" python "$1" --python-preference only-managed "${@:2}"
}

# uv lives in a venv of its own, named by its version: Home Assistant pins a uv of its own inside the
# test venvs. It is installed from PyPI with the machine's python3.
lpr_uv() {
  local tools="$LPR_ROOT/.venv/uv-$LPR_UV_VERSION"
  if [[ ! -x $tools/bin/uv ]]; then
    if ! python3 -c 'import sys, ensurepip, venv; assert sys.version_info >= (3, 8)' 2>/dev/null; then
      echo "the scripts install uv with python3, which must be Python 3.8 or newer with its venv module" \
        "(Debian: apt-get install python3-venv)" >&2
      return 1
    fi
    python3 -m venv "$tools" >&2 &&
      "$tools/bin/python" -m pip install -q --disable-pip-version-check "uv==$LPR_UV_VERSION" >&2 ||
      { rm -rf "$tools"; return 1; }
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
