#!/usr/bin/env bash
# Runs the engine's, the models' and the campaign's tests, and the CLI's determinism test
# across thread counts, under ThreadSanitizer. Debian's oneTBB is not instrumented, and TSan
# cannot see the synchronisation inside an uninstrumented TBB (it reports races between
# tasks that TBB orders), so this builds oneTBB from Debian's own source package, the
# version installed, with TBB_SANITIZE=thread into build-tsan/onetbb (once; later runs
# reuse it), then those tests (buzz_parallel_tests) with clang -fsanitize=thread against
# it. Any TSan report fails the run (halt_on_error).
# Usage: scripts/tsan.sh [Catch2 test spec]   (default: the tests named above)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" build test sanitize tsan
out="$root/build-tsan"
tbb="$out/onetbb"
prefix="$tbb/prefix"
version=$(dpkg-query -W -f='${source:Version}' libtbb-dev)
if [[ ! -f "$prefix/lib/cmake/TBB/TBBConfig.cmake" || "$(cat "$tbb/version" 2>/dev/null)" != "$version" ]]; then
  rm -rf "$tbb"
  mkdir -p "$tbb/apt/lists/partial" "$tbb/apt/parts"
  # The source list lives in the build tree: the machine's apt configuration is left alone.
  for suite in bookworm bookworm-updates; do
    echo "deb-src http://deb.debian.org/debian $suite main"
  done >"$tbb/apt/sources.list"
  echo "deb-src http://deb.debian.org/debian-security bookworm-security main" >>"$tbb/apt/sources.list"
  apt=(-o APT::Sandbox::User=root -o "Dir::Etc::SourceList=$tbb/apt/sources.list" -o "Dir::Etc::SourceParts=$tbb/apt/parts"
    -o "Dir::State::Lists=$tbb/apt/lists")
  apt-get "${apt[@]}" update -qq
  # apt checks the files against the signed release's hashes; dpkg-source applies Debian's
  # patches.
  (cd "$tbb" && apt-get "${apt[@]}" source -qq --download-only "onetbb=$version" &&
    dpkg-source -x --no-check ./*.dsc src >/dev/null)
  CC=clang CXX=clang++ cmake -S "$tbb/src" -B "$tbb/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTBB_SANITIZE=thread -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBB_STRICT=OFF -DTBBMALLOC_BUILD=OFF \
    -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
  cmake --build "$tbb/build" --parallel "$(nproc)" >/dev/null
  cmake --install "$tbb/build" >/dev/null
  echo "$version" >"$tbb/version"
fi
export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
# The sanitizer must see a race between TBB tasks, or a clean run below proves nothing.
clang++ -std=c++20 -fsanitize=thread -g -O1 "$root/tests/tsan/race.cpp" -o "$out/race" \
  -I"$prefix/include" -L"$prefix/lib" -ltbb
if "$out/race" >/dev/null 2>"$out/race.log" || ! grep -q "ThreadSanitizer: data race" "$out/race.log"; then
  echo "tsan.sh: ThreadSanitizer did not report the deliberate race of tests/tsan/race.cpp" >&2
  exit 1
fi
# Line tables are enough for TSan's reports, and -O1 compiles faster than a release build.
flags="-fsanitize=thread -fno-omit-frame-pointer -O1 -gline-tables-only"
CC=clang CXX=clang++ cmake -S "$root" -B "$out/build" -DCMAKE_BUILD_TYPE=None -DBUZZ_PYTHON=OFF \
  -DBUZZ_VIEWER=OFF -DBUZZ_MPI=OFF -DBUZZ_TESTS=ON -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DTBB_DIR="$prefix/lib/cmake/TBB" >/dev/null
cmake --build "$out/build" --parallel "$(nproc)" --target buzz_parallel_tests
# The instrumented TBB, not the system's, at run time.
if ldd "$out/build/bin/buzz_parallel_tests" | grep -q "libtbb.so.* => /usr/lib"; then
  echo "tsan.sh: the tests would load the uninstrumented system oneTBB" >&2
  exit 1
fi
"$out/build/bin/buzz_parallel_tests" \
  "${1:-[engine],[random],[determinism],[dynamics]~[validation],[campaign]~[calibration]~[facts]}"
