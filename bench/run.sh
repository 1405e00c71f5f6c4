#!/usr/bin/env bash
# Every benchmark figure of bench/RESULTS.md in one sitting, so that they share the
# machine's state: bench_engine (Google Benchmark: graph building at 1M and 10M people,
# the contagion kernels, the campaign at 1M), the speed-of-light reference limit_bfs on a
# graph of the same size, then start-up, many small runs, idle ticks, a saved graph read
# back, memory per person, continuous-time SIR against igraph, and the viewer's frame
# time. Each figure is at 1 and 2 threads where threads apply. The machine's load is
# printed before and after.
#
# Usage: bench/run.sh [--before BUILD_DIR] [--quick] [google-benchmark flags]
#   --before BUILD_DIR  also run an earlier build (BUILD_DIR/bin/buzzsim and bench_engine,
#                       e.g. a worktree of an older commit built with -DBUZZ_BENCH=ON),
#                       interleaved or side by side, for before-and-after figures; its
#                       10M-person graph build is left out (minutes per iteration before).
#   --quick             one repetition, no 10M graph, no viewer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
before="" quick=0
while [ $# -gt 0 ]; do
  case $1 in
    --before) before=$(cd "$2" && pwd); shift 2 ;;
    --quick) quick=1; shift ;;
    *) break ;;
  esac
done
"$root/scripts/deps.sh" build
dpkg-query -W -f='${Status}' libbenchmark-dev 2>/dev/null | grep -q "install ok installed" ||
  apt-get install -y -qq libbenchmark-dev >/dev/null
"$root/scripts/build.sh" -DBUZZ_BENCH=ON >/dev/null

bin=$root/build/bin
reps=3
filter_big="" # the 10M-person graph takes a minute per repetition
if [ "$quick" = 1 ]; then reps=1; filter_big="-BuildCommunitiesScale/[12]/10000000"; fi
echo "== $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
bench() {
  "$1" --benchmark_repetitions=$reps --benchmark_report_aggregates_only=true "${@:2}"
}
echo "== bench_engine (after)"
bench "$bin/bench_engine" ${filter_big:+--benchmark_filter="$filter_big"} "$@"
if [ -n "$before" ]; then
  echo "== bench_engine (before: $before)"
  bench "$before/bin/bench_engine" --benchmark_filter='-BuildCommunitiesScale/[12]/10000000' "$@"
fi
limit_src="$root/../shared/bench/limit_bfs.cpp"
if [ -f "$limit_src" ]; then
  g++ -O3 -march=native -o "$bin/limit_bfs" "$limit_src"
  echo "== limit_bfs: 1M nodes, 10M arcs, p = 0.2 (one core)"
  "$bin/limit_bfs" 1000000 10 0.2 5
else
  echo "== limit_bfs: $limit_src not found, left out"
fi
binaries=("$bin/buzzsim")
[ -n "$before" ] && binaries+=("$before/bin/buzzsim")
echo "== start-up"
"$root/bench/startup.sh" 40 "${binaries[@]}"
echo "== many small runs"
"$root/bench/many_runs.sh" "$reps" "${binaries[@]}"
echo "== idle ticks"
"$root/bench/settled.sh" "$reps" "${binaries[@]}"
echo "== a saved graph read back (4M people)"
"$root/bench/saved_graph.sh" "$reps" 4000000 "${binaries[@]}"
echo "== memory per person"
"$root/bench/memory.sh" 1000000 "${binaries[@]}"
echo "== continuous-time SIR against igraph"
"$root/bench/sir_vs_igraph.sh" 1000000 8 "$bin/buzzsim"
if [ "$quick" = 0 ] && [ -x "$bin/buzzview" ]; then
  echo "== viewer"
  viewers=("$bin/buzzview")
  [ -n "$before" ] && [ -x "$before/bin/buzzview" ] && viewers+=("$before/bin/buzzview")
  "$root/bench/viewer.sh" "$reps" "${viewers[@]}"
fi
echo "== $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
