#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan in build-asan/ and
# runs each for SECONDS (default 600) on a seed corpus from scenarios/ and small edge
# lists. A crash, a sanitizer report, an uncaught exception, a timeout or running out of
# memory fails the run and leaves the input in build-asan/fuzz/findings/.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (targets: scenario edge_list community_file sweep graph_file)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
shift || true
targets=("${@:-scenario edge_list community_file sweep graph_file}")
read -r -a targets <<<"${targets[*]}"
"$root/scripts/deps.sh" build sanitize
"$root/scripts/configure_asan.sh"
cmake --build "$root/build-asan" --parallel "$(nproc)" --target \
  $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null

work="$root/build-asan/fuzz"
mkdir -p "$work"
bin="$root/build-asan/bin"
seeds="$work/seeds"
rm -rf "$seeds"
mkdir -p "$seeds/scenario" "$seeds/sweep" "$seeds/edge_list" "$seeds/community_file" "$seeds/graph_file" \
  "$work/findings"
find "$root/scenarios" -name '*.textproto' -size -8k -exec cp {} "$seeds/scenario/" \;
cp "$root"/scenarios/sweeps/*.textproto "$seeds/sweep/"
printf '# Nodes: 4\n0 1\n1 2\n2 3\n' >"$seeds/edge_list/small"
printf '0\t1\n# comment\n\n3 2 7\n' >"$seeds/edge_list/tabs"
printf '0 0\n1 0\n2 1\n3 1\n' >"$seeds/community_file/small"
# The first byte picks the format (mod 3): 0 GML, 1 GraphML, 2 buzzgraph.
printf '\000graph [\n directed 0\n node [ id 1 club "a" ]\n node [ id 2 club 3 ]\n edge [ source 1 target 2 ]\n]\n' \
  >"$seeds/graph_file/gml"
printf '\001<graphml><key id="d0" for="node" attr.name="club" attr.type="int"/><graph edgedefault="undirected"><node id="a"><data key="d0">1</data></node><node id="b"/><edge source="a" target="b"/></graph></graphml>\n' \
  >"$seeds/graph_file/graphml"

status=0
for t in "${targets[@]}"; do
  corpus="$work/corpus/$t"
  mkdir -p "$corpus"
  log="$work/fuzz_$t.log"
  echo "== fuzz_$t: $seconds s"
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$bin/fuzz_$t" "$corpus" "$seeds/$t" -max_total_time="$seconds" -timeout=20 \
    -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$work/findings/$t-" >"$log" 2>&1; then
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" | tr '\n' ' '
    echo "(no findings; corpus $(ls "$corpus" | wc -l) inputs)"
  else
    status=1
    echo "fuzz_$t found a problem: see $log and $work/findings/" >&2
    tail -40 "$log" >&2
  fi
done
exit $status
