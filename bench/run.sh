#!/usr/bin/env bash
# Builds and runs the benchmarks, then the speed-of-light reference (limit_bfs) on a graph
# of the same size, in one go so that the figures share the machine's state.
# Usage: bench/run.sh [google-benchmark flags, e.g. --benchmark_filter=Cascade]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" build
dpkg-query -W -f='${Status}' libbenchmark-dev 2>/dev/null | grep -q "install ok installed" ||
  apt-get install -y -qq libbenchmark-dev >/dev/null
"$root/scripts/build.sh" -DBUZZ_BENCH=ON >/dev/null

limit_src="$root/../shared/bench/limit_bfs.cpp"
echo "== buzzsim"
"$root/build/bin/bench_engine" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true "$@"
if [ -f "$limit_src" ]; then
  g++ -O3 -march=native -o "$root/build/bin/limit_bfs" "$limit_src"
  echo "== limit_bfs: 1M nodes, 10M arcs, p = 0.2 (one core)"
  "$root/build/bin/limit_bfs" 1000000 10 0.2 5
fi
