#!/usr/bin/env bash
# Runs the tests against the lowest and the highest Optuna that pyproject.toml allows, each in a
# venv of its own: "lo" pins the range's floor (optuna>=X -> optuna==X), "hi" lets pip pick
# the newest release the range admits. The venvs are kept and rebuilt when pyproject.toml
# changes. `make test-optuna-bounds` calls this.
#
#   OPTUNA_BOUNDS_DIR  where the venvs live (default .optuna-bounds, git-ignored)
#   OPTUNA_TESTS       what pytest runs (default the Optuna-touching parts; "tests" for all)
#   PYTHON, TORCH_SPEC as in the Makefile (torch is installed first, CPU build from disk)
#   extra arguments go to pytest, e.g. `scripts/optuna-bounds.sh -x -q`
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
TORCH_SPEC=${TORCH_SPEC:-torch==2.13.0}
DIR=${OPTUNA_BOUNDS_DIR:-.optuna-bounds}
TESTS=${OPTUNA_TESTS:-tests/service tests/integration tests/dashboard tests/tunewise tests/workers}

range=$(grep -oE '"optuna[<>=!,.0-9 ]+"' pyproject.toml | head -n 1 | tr -d '" ' | sed 's/^optuna//')
floor=$(sed -nE 's/.*>=([0-9.]+).*/\1/p' <<<"$range")
if [ -z "$floor" ]; then
  echo "optuna-bounds: pyproject.toml's optuna requirement ($range) has no >= floor" >&2
  exit 2
fi
stamp=$(sha256sum pyproject.toml | cut -c1-16)

build() {  # build NAME OPTUNA_REQUIREMENT
  local venv="$DIR/$1"
  if [ -f "$venv/.stamp" ] && [ "$(cat "$venv/.stamp")" = "$stamp" ]; then return; fi
  echo "optuna-bounds: building $venv with $2" >&2
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q "$TORCH_SPEC"
  "$venv/bin/python" -m pip install -q -e ".[dev]" "$2"
  echo "$stamp" >"$venv/.stamp"
}

build lo "optuna==$floor"
build hi "optuna$range"

status=0
summary=()
for bound in lo hi; do
  python="$DIR/$bound/bin/python"
  version=$("$python" -c "import optuna; print(optuna.__version__)")
  echo "optuna-bounds: optuna $version ($bound end of $range): pytest $TESTS" >&2
  # The editable install points here; PYTHONPATH makes sure this tree is what is imported.
  # shellcheck disable=SC2086  # TESTS is a list of paths
  if PYTHONPATH="$PWD" "$python" -m pytest $TESTS "$@"; then
    summary+=("optuna $version: passed")
  else
    summary+=("optuna $version: FAILED")
    status=1
  fi
done
printf 'optuna-bounds: %s\n' "${summary[@]}" >&2
exit "$status"
