#!/usr/bin/env bash
# Configures build-asan/: clang with ASan, UBSan and libFuzzer's coverage, the tests and the
# fuzz targets. scripts/sanitize.sh and scripts/fuzz.sh share it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# -O1 with line tables only (as ASan's documentation suggests): reports keep file and
# line, and the build takes less of CI's time than a release build with full debug
# information.
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -O1 -gline-tables-only"
CC=clang CXX=clang++ cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=None -DBUZZ_PYTHON=OFF \
  -DBUZZ_VIEWER=OFF -DBUZZ_MPI=OFF -DBUZZ_TESTS=ON -DBUZZ_FUZZ=ON -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
