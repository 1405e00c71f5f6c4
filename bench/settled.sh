#!/usr/bin/env bash
# What idle ticks cost: independent cascade on Erdos-Renyi (1M nodes, mean degree 10,
# p = 0.2, 10 seeds, 4 replicates) through `buzzsim run` at a 60-tick and a 200-tick
# horizon. The cascade dies out within about 20 ticks, so a run that stops stepping once
# nothing can change costs the same at both. A 1-tick run gives the cost of everything but
# the cascades (start-up, graph building, writing), so (T - T1) / 4 is what a replicate
# costs through `buzzsim run`, to set beside bench_engine's kernel figure. Median wall time
# of R runs each, interleaved between the binaries given.
# Usage: bench/settled.sh [R] BUZZSIM [OTHER_BUZZSIM...]
set -euo pipefail
reps=${1:-3}
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in 1 60 200; do
  cat > "$work/ic$t.textproto" <<SCENARIO
seed: 1
replicates: 4
ticks: $t
graph { erdos_renyi { nodes: 1000000 mean_degree: 10 } }
dynamics { independent_cascade { p: 0.2 seeds { count: 10 } } }
SCENARIO
done
/usr/bin/python3 - "$reps" "$work" "$@" <<'PY'
import statistics, subprocess, sys, time
reps, work, binaries = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
times = {}
for _ in range(reps):
    for t in (1, 60, 200):
        for b in binaries:
            t0 = time.perf_counter()
            subprocess.run([b, "run", f"{work}/ic{t}.textproto", "--out", f"{work}/out", "--overwrite",
                            "--threads", "2"], check=True, stdout=subprocess.DEVNULL)
            times.setdefault((b, t), []).append(time.perf_counter() - t0)
print(f"median of {reps} runs, s (graph building included)")
for b in binaries:
    one, a, z = (statistics.median(times[(b, t)]) for t in (1, 60, 200))
    print(f"{b[-40:]:>40}: 1 tick {one:.2f}, 60 ticks {a:.2f}, 200 ticks {z:.2f}; "
          f"200/60 {z / a:.2f}; per replicate at 60 ticks {(a - one) / 4:.3f}, at 200 {(z - one) / 4:.3f}")
PY
