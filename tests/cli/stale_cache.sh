#!/usr/bin/env bash
# A clone that was moved or copied: build.sh finds a CMake cache naming the old place, says
# so and configures afresh, where CMake alone would stop with a bare cache error. Run on a
# stand-in project (an empty CMakeLists.txt) so that nothing real is rebuilt.
# Usage: stale_cache.sh SOURCE_DIR
set -euo pipefail
source=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/clone/scripts" "$work/old"
cp "$source/scripts/build.sh" "$work/clone/scripts/"
printf 'cmake_minimum_required(VERSION 3.16)\nproject(standin NONE)\n' > "$work/clone/CMakeLists.txt"
cp "$work/clone/CMakeLists.txt" "$work/old/"
cmake -S "$work/old" -B "$work/old/build" >/dev/null
cp -r "$work/old/build" "$work/clone/build"   # the cache still names $work/old
"$work/clone/scripts/build.sh" >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
grep -q "build.sh: build/ was configured for $work/old (this clone was moved or copied)" "$work/out.txt"
grep -q "^CMAKE_HOME_DIRECTORY:INTERNAL=$work/clone$" "$work/clone/build/CMakeCache.txt"
# A second build in place says nothing of the kind.
"$work/clone/scripts/build.sh" >"$work/again.txt" 2>&1
! grep -q "was configured for" "$work/again.txt"
echo "stale cache reconfigured"
