#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test through CTest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" build test
"$root/scripts/build.sh" -DBUZZ_TESTS=ON
cd "$root/build"
ctest --output-on-failure --timeout 900 -j "$(nproc)"
