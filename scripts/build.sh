#!/usr/bin/env bash
# Configures and builds buzzsim (Release) into build/; executables land in build/bin/.
# Extra arguments go to CMake's configure step, e.g. -DBUZZ_VIEWER=OFF.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$root/build" --parallel "$(nproc)"
