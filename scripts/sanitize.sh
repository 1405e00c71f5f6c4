#!/usr/bin/env bash
# Builds everything with clang under AddressSanitizer and UndefinedBehaviorSanitizer into
# build-asan/ and runs the test suite there (the notebooks, MPI, the report in Chromium and
# the viewer apart: they exercise other programs more than ours; the interrupt check,
# which times the stop; and the calibration recovery check, whose code the calibrate CLI
# test runs under the sanitizers in a fraction of the time). Any sanitizer report
# fails the run: UBSan does not recover, ASan stops at the first error.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" build test sanitize
# The same configuration as scripts/fuzz.sh (coverage for libFuzzer included), so that the
# fuzz targets build in this tree without compiling the libraries again.
"$root/scripts/configure_asan.sh"
cmake --build "$root/build-asan" --parallel "$(nproc)"
cd "$root/build-asan"
# The statistical validations apart too (the stylized facts, the calibration checks, the
# docking of the campaign with Bass and Bass against its closed form): they run many
# replicates of code the unit and golden tests already take through every path under the
# sanitizers, and took 530 of the 700 s this run spent in tests. Likewise the golden outputs
# on 1, 3 and 4 threads: the golden test at the machine's count takes every scenario
# through the same code once.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure --timeout 1800 -j "$(nproc)" \
  -E "notebook|mpi|chromium|buzzview|interrupt|recovers|^fact [0-9]|^calibration: |^docking|fully mixed|golden outputs on 1"
