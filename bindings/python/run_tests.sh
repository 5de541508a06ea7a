#!/usr/bin/env bash
# Runs the Python binding's test suite against a built libchatbot.so. Builds nothing:
# `make lib` first, or point CHATBOT_LIBRARY at a library.
#
# The package is installed into a throw-away virtual environment (`pip install` of this
# folder, without build isolation so that it works offline), and pytest runs against that
# installed copy, so packaging mistakes (missing module, missing py.typed) fail here too.
# Installs pytest with pip if the interpreter lacks it. Exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}

export CHATBOT_LIBRARY=${CHATBOT_LIBRARY:-$root/.build/release/libchatbot.so}
if [[ ! -f $CHATBOT_LIBRARY ]]; then
    echo "run_tests.sh: $CHATBOT_LIBRARY is missing: run 'make lib' first (or set CHATBOT_LIBRARY)" >&2
    exit 1
fi

if ! "$python" -c 'import pytest' 2>/dev/null; then
    echo "== installing pytest"
    "$python" -m pip install --quiet pytest
fi
# Installing without build isolation uses the interpreter's own setuptools (>= 61 reads
# pyproject.toml; before 70.1 it also needs the wheel package).
if ! "$python" -c 'import setuptools, sys; sys.exit(int(setuptools.__version__.split(".")[0]) < 61)' 2>/dev/null; then
    echo "== installing setuptools >= 61 (needed to install the package)"
    "$python" -m pip install --quiet 'setuptools>=61'
fi
if ! "$python" -c 'import wheel' 2>/dev/null; then
    echo "== installing wheel (needed by setuptools < 70.1 to install the package)"
    "$python" -m pip install --quiet wheel
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== pip install $here (virtual environment in $work)"
# --system-site-packages: the environment sees the interpreter's pytest and setuptools.
"$python" -m venv --system-site-packages "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --no-deps --no-build-isolation --no-cache-dir "$here"
installed=$(cd "$work" && "$work/venv/bin/python" -c 'import chatbot, pathlib; print(pathlib.Path(chatbot.__file__).parent)')
case $installed in
    "$work"/venv/*) ;;
    *) echo "run_tests.sh: chatbot was imported from $installed, not from the installed package" >&2; exit 1 ;;
esac
[[ -f $installed/py.typed ]] || { echo "run_tests.sh: py.typed is missing from the installed package" >&2; exit 1; }

echo "== pytest (library: $CHATBOT_LIBRARY)"
cd "$work"
"$work/venv/bin/python" -m pytest -q -p no:cacheprovider "$here/tests" "$@"
