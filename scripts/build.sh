#!/usr/bin/env bash
# Configures and builds buzzsim (Release) into build/; executables land in build/bin/.
# Extra arguments go to CMake's configure step, e.g. -DBUZZ_VIEWER=OFF.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# A clone that was moved or copied keeps a CMake cache that names its old place, which CMake
# refuses: say so and configure afresh (the compiled objects are rebuilt as needed).
cache="$root/build/CMakeCache.txt"
if [ -f "$cache" ]; then
  configured=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache")
  if [ -n "$configured" ] && [ "$configured" != "$root" ]; then
    echo "build.sh: build/ was configured for $configured (this clone was moved or copied);" \
      "configuring it afresh for $root" >&2
    rm -rf "$cache" "$root/build/CMakeFiles"
  fi
fi
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$root/build" --parallel "$(nproc)"
