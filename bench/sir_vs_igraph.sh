#!/usr/bin/env bash
# Continuous-time SIR against igraph's igraph_sir, in one sitting: Erdos-Renyi G(n, m)
# with n = N and mean degree 10, transmission rate 0.25 per tie, recovery rate 1, one
# random initial infected person, R runs; seconds per major outbreak (final size >= 1%).
# buzzsim runs through `buzzsim run` on one thread (the event-driven model is serial
# within a replicate; igraph's is serial too): (T_R - T_1tick) / majors, so graph building
# and start-up are left out of both. igraph's driver (bench/igraph_sir.c) is built when
# libigraph-dev is installed; otherwise the script says so and runs buzzsim alone.
# Usage: bench/sir_vs_igraph.sh [N] [R] [BUZZSIM]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000000}
runs=${2:-8}
buzzsim=${3:-$root/build/bin/buzzsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in 1 400; do
  cat > "$work/sir$t.textproto" <<SCENARIO
seed: 1
replicates: $runs
ticks: $t
graph { erdos_renyi { nodes: $n mean_degree: 10 } }
dynamics { sir { continuous_time: true transmission_rate: 0.25 recovery_rate: 1 seeds { count: 1 } } }
SCENARIO
done
start=$(date +%s.%N)
"$buzzsim" run "$work/sir1.textproto" --threads 1 --out "$work/o1" > /dev/null
mid=$(date +%s.%N)
"$buzzsim" run "$work/sir400.textproto" --threads 1 --out "$work/o" > /dev/null
end=$(date +%s.%N)
/usr/bin/python3 - "$work/o/sir400/summary.csv" "$start" "$mid" "$end" "$n" "$runs" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["kind"] == "replicate"]
start, mid, end, n, runs = map(float, sys.argv[2:7])
major = [float(r["final_size"]) for r in rows if float(r["final_size"]) >= 0.01 * n]
spent = (end - mid) - (mid - start)
print(f"buzzsim (1 thread): {len(major)} of {int(runs)} runs major; "
      f"{spent / max(1, len(major)):.3f} s per major outbreak, final size "
      f"{sum(major) / max(1, len(major)) / n:.4f}")
PY
if pkg-config --exists igraph; then
  gcc -O2 "$root/bench/igraph_sir.c" -o "$work/igraph_sir" $(pkg-config --cflags --libs igraph)
  "$work/igraph_sir" "$n" 10 0.25 1 "$runs" 1
else
  echo "igraph_sir: not run (apt-get install libigraph-dev to build the driver)"
fi
