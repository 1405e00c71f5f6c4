#!/bin/sh
# The Python package as users install it: `pip install .` into a fresh virtual environment
# made Debian's way (--system-site-packages, --no-build-isolation, nothing downloaded),
# reusing the CMake build tree BUILD; then the package's tests with that environment's
# Python, from outside the source tree, with no PYTHONPATH, and the command line through
# the installed `buzzsim` script.
# Usage: installed.sh SRC BUILD
set -eu
src=$1
build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
BUZZSIM_BUILD_DIR=$build "$work/venv/bin/pip" install --quiet --no-build-isolation \
  --no-deps --no-index "$src"
cd "$work"
unset PYTHONPATH
BUZZSIM_INSTALLED="$work/venv" BUZZSIM="$work/venv/bin/buzzsim" \
  "$work/venv/bin/python" "$src/tests/python/test_buzzsim.py"
