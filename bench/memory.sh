#!/usr/bin/env bash
# Peak memory per person of a campaign run: scenarios/conversational.textproto (one brand,
# mean degree 20) at N people for one day of ticks, graph building included, as the
# process's peak resident set divided by N; interleaved between the binaries given.
# Usage: bench/memory.sh [N] BUZZSIM [OTHER_BUZZSIM...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000000}
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf "%-44s %10s %12s %14s\n" binary people "peak MB" "bytes/person"
for b in "$@"; do
  rm -rf "$work/out"
  /usr/bin/time -f "%M" -o "$work/rss" "$b" run "$root/scenarios/conversational.textproto" \
    --set graph.communities.nodes="$n" --ticks 24 --replicates 1 --threads 2 \
    --out "$work/out" >/dev/null 2>&1
  kb=$(cat "$work/rss")
  printf "%-44s %10d %12.0f %14.0f\n" "$b" "$n" "$((kb / 1024))" "$(echo "$kb * 1024 / $n" | bc -l)"
done
